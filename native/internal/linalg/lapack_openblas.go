//go:build cgo && openblas

package linalg

// #cgo LDFLAGS: -lopenblas
// extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a,
//     const int *lda, double *s, double *u, const int *ldu, double *vt,
//     const int *ldvt, double *work, const int *lwork, int *iwork, int *info);
import "C"

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
)

// lapackSVD calls dgesdd on a copy of a. LAPACK is column-major, so the
// row-major m x n buffer is the column-major n x m matrix a^T = V S U^T:
// dgesdd's left factor (n x k, column-major) is then, read row-major, the
// k x n Vt of a, and its right factor (k x m, column-major) is the m x k U
// of a. It returns false when dgesdd reports an error or the sizes do not
// fit LAPACK's 32-bit integers.
func lapackSVD(a blas64.General, vectors bool) (*SVD, bool) {
	m, n := a.Rows, a.Cols
	k := min(m, n)
	if int64(m)*int64(n) >= math.MaxInt32 || 8*int64(k)*int64(k)+4*int64(max(m, n)) >= math.MaxInt32 {
		return nil, false
	}
	data := contiguous(a)
	s := make([]float64, k)
	job := C.char('N')
	var ut, vtT []float64 // ut: k x n (Vt of a); vtT: m x k (U of a)
	ldu, ldvt := C.int(n), C.int(k)
	if vectors {
		job = 'S'
		ut = make([]float64, n*k)
		vtT = make([]float64, k*m)
	} else {
		ut, vtT = make([]float64, 1), make([]float64, 1)
		ldu, ldvt = 1, 1
	}
	cm, cn := C.int(n), C.int(m) // column-major rows, cols of a^T
	iwork := make([]C.int, 8*k)
	var info C.int
	query := make([]float64, 1)
	lwork := C.int(-1)
	dgesdd(&job, &cm, &cn, data, &cm, s, ut, &ldu, vtT, &ldvt, query, &lwork, iwork, &info)
	if info != 0 {
		return nil, false
	}
	lwork = C.int(query[0])
	work := make([]float64, int(lwork))
	dgesdd(&job, &cm, &cn, data, &cm, s, ut, &ldu, vtT, &ldvt, work, &lwork, iwork, &info)
	if info != 0 {
		return nil, false
	}
	out := &SVD{S: s}
	if vectors {
		out.U = blas64.General{Rows: m, Cols: k, Stride: k, Data: vtT}
		out.Vt = blas64.General{Rows: k, Cols: n, Stride: n, Data: ut}
	}
	return out, true
}

func dgesdd(job *C.char, m, n *C.int, a []float64, lda *C.int, s, u []float64, ldu *C.int, vt []float64, ldvt *C.int, work []float64, lwork *C.int, iwork []C.int, info *C.int) {
	C.dgesdd_(job, m, n, (*C.double)(&a[0]), lda, (*C.double)(&s[0]),
		(*C.double)(&u[0]), ldu, (*C.double)(&vt[0]), ldvt,
		(*C.double)(&work[0]), lwork, &iwork[0], info)
}
