package similarity

// OpenBLAS for blas64/blas32 (and so for gonum's LAPACK) when built with
// -tags openblas; gonum's pure Go BLAS otherwise.
import _ "github.com/subspace-kernel/subspace/native/blas"
