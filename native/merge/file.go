package merge

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Result summarises a merge.
type Result struct {
	// Path is the file written.
	Path string
	// Method is the merge method used.
	Method string
	// Tensors is the number of tensors written; Merged of them were float
	// tensors combined, the others (integer, bool) copied from the base.
	Tensors, Merged int
	// Params is the number of float parameters merged.
	Params int64
	// Metadata is the header metadata of the output.
	Metadata map[string]string
}

// inputs is a base file and fine-tuned files, open and checked against
// each other.
type inputs struct {
	base  string
	tuned []string
	st    []*dataset.Safetensors // base first
	infos []dataset.TensorInfo   // the base's tensors, by name
	b32   [][]float32            // per-input buffers reused across tensors
	b64   [][]float64
}

func isFloat(dtype string) bool {
	return dtype == dataset.Float64 || dtype == dataset.Float32 || dtype == dataset.Float16 || dtype == dataset.BFloat16
}

// open maps every file and checks that the fine-tuned files hold exactly
// the base's tensors with the same dtypes and shapes. O(headers).
func open(base string, tuned []string) (*inputs, error) {
	in := &inputs{base: base, tuned: tuned}
	for _, p := range append([]string{base}, tuned...) {
		st, err := dataset.OpenSafetensors(p)
		if err != nil {
			in.close()
			return nil, fmt.Errorf("merge: %w", err)
		}
		in.st = append(in.st, st)
	}
	names := in.st[0].Names()
	if len(names) == 0 {
		in.close()
		return nil, fmt.Errorf("merge: base %s has no tensors", base)
	}
	for _, name := range names {
		bi, _ := in.st[0].Info(name)
		in.infos = append(in.infos, bi)
		for t, st := range in.st[1:] {
			ti, err := st.Info(name)
			if err != nil {
				in.close()
				return nil, fmt.Errorf("merge: tensor %q of base %s (%s %v) is missing from %s", name, base, bi.DType, bi.Shape, tuned[t])
			}
			if ti.DType != bi.DType || !slices.Equal(ti.Shape, bi.Shape) {
				in.close()
				return nil, fmt.Errorf("merge: tensor %q is %s %v in base %s but %s %v in %s", name, bi.DType, bi.Shape, base, ti.DType, ti.Shape, tuned[t])
			}
		}
	}
	for t, st := range in.st[1:] {
		if extra := len(st.Names()) - len(names); extra > 0 {
			for _, name := range st.Names() {
				if _, err := in.st[0].Info(name); err != nil {
					in.close()
					ti, _ := st.Info(name)
					return nil, fmt.Errorf("merge: tensor %q (%s %v) of %s is not in base %s", name, ti.DType, ti.Shape, tuned[t], base)
				}
			}
		}
	}
	return in, nil
}

func (in *inputs) close() {
	for _, st := range in.st {
		st.Close()
	}
}

// tensorOp computes one float tensor's output into base (in float32 or
// float64); tuned may be overwritten.
type tensorOp struct {
	f32 func(name string, base []float32, tuned [][]float32)
	f64 func(name string, base []float64, tuned [][]float64)
}

// read returns every input's values of a tensor in T (through conv, into
// the buffers bufs, grown as needed) and checks them for NaN and Inf.
func read[T float](in *inputs, info dataset.TensorInfo, bufs *[][]T, conv func(st *dataset.Safetensors, name string, buf []T) ([]T, error)) ([][]T, error) {
	if *bufs == nil {
		*bufs = make([][]T, len(in.st))
	}
	out := make([][]T, len(in.st))
	for i, st := range in.st {
		v, err := conv(st, info.Name, (*bufs)[i])
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		(*bufs)[i] = v
		st.Release(info.Name) // the copy is ours: drop the mapped pages
		what := "base " + in.base
		if i > 0 {
			what = "fine-tuned model " + in.tuned[i-1]
		}
		if err := checkFinite(what, info.Name, v, info.Shape); err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// run streams every tensor through op into out (dtype "" keeps the
// base's), reporting progress after each tensor.
func (in *inputs) run(out, dtype string, meta map[string]string, op tensorOp, prog progress.Func) (*Result, error) {
	if dtype != "" && !isFloat(dtype) {
		return nil, fmt.Errorf("merge: output dtype %q must be float64, float32, float16 or bfloat16", dtype)
	}
	outInfos := make([]dataset.TensorInfo, len(in.infos))
	for i, t := range in.infos {
		outInfos[i] = dataset.TensorInfo{Name: t.Name, DType: t.DType, Shape: t.Shape}
		if dtype != "" && isFloat(t.DType) {
			outInfos[i].DType = dtype
		}
	}
	w, err := dataset.CreateSafetensors(out, outInfos, meta)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	res := &Result{Path: out, Tensors: len(in.infos), Metadata: meta}
	for i, info := range in.infos {
		if err := in.one(w, info, outInfos[i].DType, op, res); err != nil {
			w.Abort()
			return nil, err
		}
		if err := progress.Report(prog, i+1, len(in.infos)); err != nil {
			w.Abort()
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return res, nil
}

// one writes one tensor: float tensors through op (in float32 when the
// inputs and output are at most 32-bit), others copied from the base.
func (in *inputs) one(w *dataset.SafetensorsStream, info dataset.TensorInfo, outType string, op tensorOp, res *Result) error {
	if !isFloat(info.DType) {
		a, err := in.st[0].Array(info.Name)
		if err == nil {
			err = w.Write(info.Name, a)
		}
		return wrap(err)
	}
	res.Merged++
	if info.DType != dataset.Float64 && outType != dataset.Float64 {
		v, err := read(in, info, &in.b32, (*dataset.Safetensors).Float32sInto)
		if err != nil {
			return err
		}
		res.Params += int64(len(v[0]))
		op.f32(info.Name, v[0], v[1:])
		return wrap(w.WriteFloat32s(info.Name, v[0]))
	}
	v, err := read(in, info, &in.b64, (*dataset.Safetensors).Float64sInto)
	if err != nil {
		return err
	}
	res.Params += int64(len(v[0]))
	op.f64(info.Name, v[0], v[1:])
	return wrap(w.WriteFloat64s(info.Name, v[0]))
}

func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	return nil
}

// Merge merges the fine-tuned .safetensors files tuned into the base file
// base with opts and writes the result to out (see the package comment
// for the methods). Every fine-tuned file must hold exactly the base's
// tensors with the same dtypes and shapes. Float tensors are merged in
// float32 when inputs and output are at most 32-bit, else in float64
// (accumulations always in float64); integer and bool tensors are copied
// from the base. The output keeps the base's metadata and adds merge.method,
// merge.params (JSON), merge.base, merge.models and merge.tool.
//
// Cost: one pass over every tensor (TIES adds up to four selection passes
// per model), parallel on every core; memory: about (models + 1) times the
// largest tensor, never a whole model. Errors: bad options, missing or
// corrupted files, a tensor missing, extra, or of another dtype or shape
// (the error names it and both shapes), NaN or Inf (named with its
// position), a TensorScales entry for a tensor the base lacks, an
// interruption through Progress; out is then left as it was.
func Merge(out, base string, tuned []string, opts Options) (*Result, error) {
	o, err := opts.withDefaults(len(tuned))
	if err != nil {
		return nil, err
	}
	in, err := open(base, tuned)
	if err != nil {
		return nil, err
	}
	defer in.close()
	for name := range o.TensorScales {
		if _, err := in.st[0].Info(name); err != nil {
			return nil, fmt.Errorf("merge: TensorScales names tensor %q, which base %s lacks", name, base)
		}
	}
	meta := in.st[0].Metadata()
	maps.Copy(meta, o.metadata(base, tuned))
	op := tensorOp{
		f32: func(name string, b []float32, t [][]float32) { mergeTensor(name, b, t, o) },
		f64: func(name string, b []float64, t [][]float64) { mergeTensor(name, b, t, o) },
	}
	res, err := in.run(out, o.DType, meta, op, o.Progress)
	if err != nil {
		return nil, err
	}
	res.Method = o.Method
	return res, nil
}

// WriteTaskVector writes tuned - base, tensor by tensor, to out in dtype
// ("" = the base's dtypes); integer and bool tensors are copied from the
// base. The output keeps the base's metadata and adds task_vector.base and
// task_vector.tuned. Cost and errors as Merge.
func WriteTaskVector(out, base, tuned, dtype string) (*Result, error) {
	in, err := open(base, []string{tuned})
	if err != nil {
		return nil, err
	}
	defer in.close()
	meta := in.st[0].Metadata()
	meta["task_vector.base"] = filepath.Base(base)
	meta["task_vector.tuned"] = filepath.Base(tuned)
	op := tensorOp{
		f32: func(_ string, b []float32, t [][]float32) { combine(b, t, -1, []float64{1}) },
		f64: func(_ string, b []float64, t [][]float64) { combine(b, t, -1, []float64{1}) },
	}
	res, err := in.run(out, dtype, meta, op, nil)
	if err != nil {
		return nil, err
	}
	res.Method = "task_vector"
	return res, nil
}
