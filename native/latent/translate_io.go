package latent

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
)

// Metadata keys of a saved Translator.
const (
	metaKind     = "subspace.latent"
	metaMethod   = "subspace.latent.method"
	metaScale    = "subspace.latent.scale"
	metaResidual = "subspace.latent.residual"
	metaPairs    = "subspace.latent.pairs"
	metaCentre   = "subspace.latent.centre"
	metaScaleOpt = "subspace.latent.fit_scale"
	metaStd      = "subspace.latent.standardise"
	metaAlpha    = "subspace.latent.alpha"
	metaComps    = "subspace.latent.components"
)

// Save writes the translator to a .safetensors file: float64 tensors
// "matrix" (dx x dy), "bias" (dy), "rotation" (Procrustes) and
// "correlations" (CCA), the method, options, scale, residual and pair
// count in the metadata. The file is written under a temporary name in the
// same folder and renamed, so a failed write leaves nothing half-written.
// O(dx dy) time and disk.
func (t *Translator) Save(path string) error {
	w := dataset.NewSafetensorsWriter()
	if err := w.AddDense("matrix", t.Matrix, dataset.Float64); err != nil {
		return fmt.Errorf("latent: save %s: %w", path, err)
	}
	tensors := map[string][]float64{"bias": t.Bias, "correlations": t.Correlations}
	for _, name := range []string{"bias", "correlations"} {
		if v := tensors[name]; v != nil {
			a, err := dataset.FromFloat64s(v)
			if err == nil {
				err = w.Add(name, a)
			}
			if err != nil {
				return fmt.Errorf("latent: save %s: %w", path, err)
			}
		}
	}
	if t.Rotation != nil {
		if err := w.AddDense("rotation", t.Rotation, dataset.Float64); err != nil {
			return fmt.Errorf("latent: save %s: %w", path, err)
		}
	}
	o := t.Options
	for k, v := range map[string]string{
		metaKind: "translator", metaMethod: t.Method.String(),
		metaScale: fmtFloat(t.Scale), metaResidual: fmtFloat(t.Residual), metaPairs: strconv.Itoa(t.Pairs),
		metaCentre: strconv.FormatBool(o.Centre), metaScaleOpt: strconv.FormatBool(o.Scale),
		metaStd: strconv.FormatBool(o.Standardise), metaAlpha: fmtFloat(o.Alpha), metaComps: strconv.Itoa(o.Components),
	} {
		w.SetMetadata(k, v)
	}
	return writeAtomic(path, w)
}

// fmtFloat formats v so that ParseFloat returns it exactly.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// writeAtomic encodes w to a temporary file next to path and renames it.
func writeAtomic(path string, w *dataset.SafetensorsWriter) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("latent: save %s: %w", path, err)
	}
	tmp := f.Name()
	err = w.Encode(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("latent: save %s: %w", path, err)
	}
	return nil
}

// LoadTranslator reads a translator written by Save. It returns an error
// naming the file and the tensor or metadata key when the file is
// missing, truncated, not a translator, or its tensors' shapes disagree.
// O(dx dy).
func LoadTranslator(path string) (*Translator, error) {
	arrays, meta, err := dataset.ReadSafetensors(path)
	if err != nil {
		return nil, fmt.Errorf("latent: load translator: %w", err)
	}
	if meta[metaKind] != "translator" {
		return nil, fmt.Errorf("latent: %s is not a saved Translator (metadata %s = %q)", path, metaKind, meta[metaKind])
	}
	t := &Translator{}
	if t.Method, err = ParseMethod(meta[metaMethod]); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := parseMeta(path, meta, t); err != nil {
		return nil, err
	}
	if t.Matrix, err = tensorDense(path, arrays, "matrix"); err != nil {
		return nil, err
	}
	dx, dy := t.Matrix.Dims()
	if t.Bias, err = tensorVector(path, arrays, "bias", dy); err != nil {
		return nil, err
	}
	if _, ok := arrays["rotation"]; ok {
		if t.Rotation, err = tensorDense(path, arrays, "rotation"); err != nil {
			return nil, err
		}
		if r, c := t.Rotation.Dims(); r != dx || c != dy {
			return nil, fmt.Errorf("latent: %s: tensor rotation is %d x %d but matrix is %d x %d", path, r, c, dx, dy)
		}
	}
	if a, ok := arrays["correlations"]; ok {
		if t.Correlations, err = a.Float64s(); err != nil {
			return nil, fmt.Errorf("latent: %s: tensor correlations: %w", path, err)
		}
	}
	return t, nil
}

// parseMeta reads the scalar fields and options.
func parseMeta(path string, meta map[string]string, t *Translator) error {
	var err error
	get := func(key string, f func(string) error) {
		if err == nil {
			if e := f(meta[key]); e != nil {
				err = fmt.Errorf("latent: %s: metadata %s = %q: %w", path, key, meta[key], e)
			}
		}
	}
	float := func(dst *float64) func(string) error {
		return func(s string) (e error) { *dst, e = strconv.ParseFloat(s, 64); return e }
	}
	boolean := func(dst *bool) func(string) error {
		return func(s string) (e error) { *dst, e = strconv.ParseBool(s); return e }
	}
	integer := func(dst *int) func(string) error {
		return func(s string) (e error) { *dst, e = strconv.Atoi(s); return e }
	}
	get(metaScale, float(&t.Scale))
	get(metaResidual, float(&t.Residual))
	get(metaPairs, integer(&t.Pairs))
	get(metaCentre, boolean(&t.Options.Centre))
	get(metaScaleOpt, boolean(&t.Options.Scale))
	get(metaStd, boolean(&t.Options.Standardise))
	get(metaAlpha, float(&t.Options.Alpha))
	get(metaComps, integer(&t.Options.Components))
	t.Options.Method = t.Method
	return err
}

// tensorDense returns the named 2-D tensor as a matrix.
func tensorDense(path string, arrays map[string]*dataset.Array, name string) (*mat.Dense, error) {
	a, ok := arrays[name]
	if !ok {
		return nil, fmt.Errorf("latent: %s has no tensor %q", path, name)
	}
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("latent: %s: tensor %s has shape %v, want 2-D", path, name, a.Shape)
	}
	m, err := a.Dense()
	if err != nil {
		return nil, fmt.Errorf("latent: %s: tensor %s: %w", path, name, err)
	}
	return m, nil
}

// tensorVector returns the named tensor's n values.
func tensorVector(path string, arrays map[string]*dataset.Array, name string, n int) ([]float64, error) {
	a, ok := arrays[name]
	if !ok {
		return nil, fmt.Errorf("latent: %s has no tensor %q", path, name)
	}
	v, err := a.Float64s()
	if err != nil {
		return nil, fmt.Errorf("latent: %s: tensor %s: %w", path, name, err)
	}
	if len(v) != n {
		return nil, fmt.Errorf("latent: %s: tensor %s has %d values, want %d (the matrix's columns)", path, name, len(v), n)
	}
	return v, nil
}
