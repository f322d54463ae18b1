// Package merge computes task vectors and merges fine-tuned models, tensor
// by tensor, over .safetensors files: task arithmetic with a global scale
// and per-tensor, per-model scales (aTLAS-style), WiSE-FT interpolation,
// TIES (trim, elect sign, disjoint mean), DARE (drop and rescale, seeded)
// alone or with TIES, SLERP between two models and Model Stock; and the
// cosine similarity and sign-conflict statistics of task vectors.
//
// Files are streamed: one tensor of every input is in memory at a time
// (the inputs are memory-mapped and each tensor's pages are released once
// it is merged), and the output is written through a temporary file that
// is renamed at the end, so an interrupted or failed merge leaves no
// half-written file. The merged file carries the base model's metadata
// plus "merge.*" entries saying how it was made.
//
// Conventions follow mergekit and Hugging Face PEFT where they agree:
// task vector tau_t = theta_t - theta_0; TIES keeps the top Density
// fraction of each tensor's |tau| (k = floor(Density n)), elects the sign
// of sum_t w_t tau_t per entry (ties go to +), and averages the agreeing
// entries weighted by w_t; DARE keeps each entry with probability 1 - p
// and divides survivors by 1 - p; SLERP interpolates on the normalised
// directions of whole tensors and falls back to linear interpolation when
// they are nearly colinear (|cos| > 0.9995).
package merge

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"

	"github.com/subspace-kernel/subspace/native/progress"
)

// Merge methods (Options.Method).
const (
	TaskArithmetic = "task_arithmetic"
	WiSEFT         = "wise_ft"
	TIES           = "ties"
	DARE           = "dare"
	DARETIES       = "dare_ties"
	SLERP          = "slerp"
	ModelStock     = "model_stock"
)

// Options configures a merge. The zero value is task arithmetic with
// scale 1 and unit weights.
type Options struct {
	// Method is one of the method constants (default TaskArithmetic).
	Method string
	// Lambda scales the merged task vector: theta = theta_0 + Lambda *
	// merged (0 = 1). Used by TaskArithmetic, TIES, DARE and DARETIES.
	Lambda float64
	// Weights holds one weight w_t per fine-tuned model (nil = all 1).
	// TIES and DARETIES need them > 0.
	Weights []float64
	// TensorScales gives per-tensor, per-model coefficients (aTLAS-style):
	// for a tensor listed here they replace Weights (one per model).
	TensorScales map[string][]float64
	// Density is the fraction of each task vector's entries TIES keeps by
	// magnitude (0 = 0.2, the TIES paper's k = 20%).
	Density float64
	// DropRate is DARE's drop probability p (0 = 0.9); survivors are
	// divided by 1 - p.
	DropRate float64
	// T is the interpolation weight of the fine-tuned model for WiSE-FT
	// and SLERP: 0 gives the base, 1 the fine-tuned model.
	T float64
	// Seed seeds DARE's masks (each tensor and model draws its own
	// stream, so the result does not depend on the number of threads).
	Seed uint64
	// DType is the output's element type ("" = each tensor keeps the
	// base's dtype).
	DType string
	// Progress is called after each tensor with (tensors done, total); an
	// error from it (or the cell's interruption) stops the merge, and the
	// output file is not created.
	Progress progress.Func
}

// withDefaults validates o for n fine-tuned models and fills defaults.
func (o Options) withDefaults(n int) (Options, error) {
	if o.Method == "" {
		o.Method = TaskArithmetic
	}
	if o.Lambda == 0 {
		o.Lambda = 1
	}
	if o.Density == 0 {
		o.Density = 0.2
	}
	if o.DropRate == 0 {
		o.DropRate = 0.9
	}
	if n < 1 {
		return o, fmt.Errorf("merge: no fine-tuned models")
	}
	if o.Weights == nil {
		o.Weights = make([]float64, n)
		for i := range o.Weights {
			o.Weights[i] = 1
		}
	}
	if len(o.Weights) != n {
		return o, fmt.Errorf("merge: %d weights for %d fine-tuned models", len(o.Weights), n)
	}
	for name, s := range o.TensorScales {
		if len(s) != n {
			return o, fmt.Errorf("merge: tensor %q has %d scales for %d fine-tuned models", name, len(s), n)
		}
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case bad(o.Lambda) || bad(o.T):
		return o, fmt.Errorf("merge: Lambda = %v, T = %v: want finite values", o.Lambda, o.T)
	case !(o.Density > 0 && o.Density <= 1):
		return o, fmt.Errorf("merge: Density = %v must be in (0, 1]", o.Density)
	case !(o.DropRate > 0 && o.DropRate < 1):
		return o, fmt.Errorf("merge: DropRate = %v must be in (0, 1)", o.DropRate)
	}
	switch o.Method {
	case TaskArithmetic, DARE:
	case TIES, DARETIES:
		for t, w := range o.Weights {
			if !(w > 0) {
				return o, fmt.Errorf("merge: %s needs positive weights, weight %d is %v", o.Method, t, w)
			}
		}
		for name, s := range o.TensorScales {
			for t, w := range s {
				if !(w > 0) {
					return o, fmt.Errorf("merge: %s needs positive weights, tensor %q's scale %d is %v", o.Method, name, t, w)
				}
			}
		}
	case WiSEFT, SLERP:
		if n != 1 {
			return o, fmt.Errorf("merge: %s interpolates between the base and one fine-tuned model, got %d", o.Method, n)
		}
	case ModelStock:
		if n < 2 {
			return o, fmt.Errorf("merge: model_stock needs at least two fine-tuned models, got %d", n)
		}
	default:
		return o, fmt.Errorf("merge: unknown method %q (want task_arithmetic, wise_ft, ties, dare, dare_ties, slerp or model_stock)", o.Method)
	}
	for t, w := range o.Weights {
		if bad(w) {
			return o, fmt.Errorf("merge: weight %d is %v", t, w)
		}
	}
	return o, nil
}

// coefficients returns the per-model weights for a tensor.
func (o Options) coefficients(name string) []float64 {
	if s, ok := o.TensorScales[name]; ok {
		return s
	}
	return o.Weights
}

// metadata describes the merge for the output file's header.
func (o Options) metadata(base string, tuned []string) map[string]string {
	params := map[string]any{"lambda": o.Lambda, "weights": o.Weights}
	switch o.Method {
	case TIES:
		params["density"] = o.Density
	case DARE:
		params["drop_rate"], params["seed"] = o.DropRate, o.Seed
	case DARETIES:
		params["drop_rate"], params["seed"] = o.DropRate, o.Seed
	case WiSEFT, SLERP:
		params = map[string]any{"t": o.T}
	case ModelStock:
		params = map[string]any{}
	}
	if len(o.TensorScales) > 0 {
		params["tensor_scales"] = o.TensorScales
	}
	pj, _ := json.Marshal(params)
	names := make([]string, len(tuned))
	for i, p := range tuned {
		names[i] = filepath.Base(p)
	}
	mj, _ := json.Marshal(names)
	return map[string]string{
		"merge.method": o.Method,
		"merge.params": string(pj),
		"merge.base":   filepath.Base(base),
		"merge.models": string(mj),
		"merge.tool":   "subspace native/merge",
	}
}
