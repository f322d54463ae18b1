package complete

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/traefik/yaegi/stdlib"
	"gonum.org/v1/gonum/mat"
)

// fakeScope is a Scope for tests.
type fakeScope struct {
	imports map[string]string
	globals []Symbol
	values  map[string]any
	pkgs    map[string]map[string]reflect.Value
	sources map[string]string
}

func (f *fakeScope) Imports() map[string]string { return f.imports }
func (f *fakeScope) Globals() []Symbol          { return f.globals }
func (f *fakeScope) Value(name string) (any, bool) {
	v, ok := f.values[name]
	return v, ok
}
func (f *fakeScope) Packages() map[string]map[string]reflect.Value { return f.pkgs }

// sourceScope also implements SourceScope.
type sourceScope struct{ *fakeScope }

func (s sourceScope) Source(name string) (string, bool) {
	src, ok := s.sources[name]
	return src, ok
}

type point struct {
	X, Y  float64
	Label string
	hid   int
}

func (p point) Norm1() float64     { return p.X + p.Y }
func (p *point) Scale(f float64)   { p.X *= f; p.Y *= f }
func (p point) String() string     { return p.Label }
func (p point) unexported() string { return "" }

type wrapper struct {
	P    point
	Name string
}

// stdPackages converts yaegi's stdlib.Symbols ("path/name" keys) to the
// Packages() form.
func stdPackages() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	for key, syms := range stdlib.Symbols {
		i := strings.LastIndexByte(key, '/')
		if i <= 0 {
			continue
		}
		out[key[:i]] = syms
	}
	out["gonum.org/v1/gonum/mat"] = map[string]reflect.Value{
		"NewDense":     reflect.ValueOf(mat.NewDense),
		"NewDiagDense": reflect.ValueOf(mat.NewDiagDense),
		"NewVecDense":  reflect.ValueOf(mat.NewVecDense),
		"Dense":        reflect.ValueOf((*mat.Dense)(nil)),
		"Matrix":       reflect.ValueOf((*mat.Matrix)(nil)),
		"_Matrix":      reflect.ValueOf((*struct{})(nil)),
		"Det":          reflect.ValueOf(mat.Det),
	}
	return out
}

func newScope() *fakeScope {
	d := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6.5})
	return &fakeScope{
		imports: map[string]string{"fmt": "fmt", "la": "gonum.org/v1/gonum/mat", "strings": "strings"},
		globals: []Symbol{
			{Name: "embeddings", Kind: "var", Signature: "var embeddings [][]float64"},
			{Name: "embedDim", Kind: "const", Signature: "const embedDim = 384"},
			{Name: "center", Kind: "func", Signature: "func center(x *mat.Dense) *mat.Dense", Doc: "center subtracts the column means of x."},
			{Name: "pt", Kind: "var", Signature: "var pt point"},
			{Name: "w", Kind: "var", Signature: "var w wrapper"},
			{Name: "d", Kind: "var", Signature: "var d *mat.Dense"},
			{Name: "rect", Kind: "type", Signature: "type rect struct{ W, H float64 }"},
			{Name: "rect.Area", Kind: "func", Signature: "func (r rect) Area() float64", Doc: "Area is W*H."},
			{Name: "q", Kind: "var", Signature: "var q rect"},
			{Name: "newRect", Kind: "func", Signature: "func newRect(s float64) *rect"},
			{Name: "r4", Kind: "var", Signature: "var r4 *struct { W float64; H float64 }"},
		},
		values: map[string]any{
			"embeddings": [][]float64{{1, 2}, {3, 4}},
			"pt":         point{X: 1, Y: 2, Label: "p"},
			"w":          wrapper{P: point{X: 3}, Name: "w"},
			"d":          d,
			"xs":         []float64{4, -1, 2.5, 7},
			"ids":        []int{3, 1, 2},
			"m":          map[string]int{"b": 2, "a": 1},
			// yaegi builds user struct types with reflect.StructOf: they
			// have no name and no methods visible to reflection.
			"q":  struct{ W, H float64 }{2, 3},
			"r4": &struct{ W, H float64 }{1, 1},
		},
		pkgs: stdPackages(),
	}
}

func TestComplete(t *testing.T) {
	sc := newScope()
	tests := []struct {
		name      string
		code      string
		cursor    int // -1: end of code
		want      []string
		wantKinds map[string]string
		exact     bool // want is the whole match list
		not       []string
		start     int // expected CursorStart in code points
	}{
		{name: "fmt.Pri", code: "fmt.Pri", cursor: -1, want: []string{"Print", "Printf", "Println"}, exact: true, start: 4,
			wantKinds: map[string]string{"Println": "func"}},
		{name: "aliased gonum", code: "x := la.NewD", cursor: -1, want: []string{"NewDense", "NewDiagDense"}, exact: true, start: 8},
		{name: "gonum by name, not imported", code: "mat.NewD", cursor: -1, want: []string{"NewDense", "NewDiagDense"}, exact: true, start: 4},
		{name: "package kinds", code: "la.", cursor: -1, want: []string{"Dense", "Det", "Matrix", "NewDense"}, not: []string{"_Matrix"}, start: 3,
			wantKinds: map[string]string{"Dense": "type", "Matrix": "type", "Det": "func"}},
		{name: "not imported std package", code: "strconv.Ato", cursor: -1, want: []string{"Atoi"}, exact: true, start: 8},
		{name: "std var and const kinds", code: "os.Std", cursor: -1, want: []string{"Stderr", "Stdin", "Stdout"}, exact: true, start: 3,
			wantKinds: map[string]string{"Stdout": "var"}},
		{name: "math const", code: "math.MaxInt6", cursor: -1, want: []string{"MaxInt64"}, exact: true, start: 5,
			wantKinds: map[string]string{"MaxInt64": "const"}},
		{name: "user global", code: "y := embe", cursor: -1, want: []string{"embedDim", "embeddings"}, exact: true, start: 5,
			wantKinds: map[string]string{"embeddings": "var", "embedDim": "const"}},
		{name: "keyword", code: "fallt", cursor: -1, want: []string{"fallthrough"}, exact: true, start: 0,
			wantKinds: map[string]string{"fallthrough": "keyword"}},
		{name: "builtin and keyword", code: "ap", cursor: -1, want: []string{"append"}, exact: true},
		{name: "imported package name", code: "x := l", cursor: -1, want: []string{"la", "len"}, exact: true, start: 5,
			wantKinds: map[string]string{"la": "package"}},
		{name: "cell declarations", code: "func scoreAll(scale float64) {}\nvar (\n\tscoreMax = 3\n\tscoreMin, scoreMid int\n)\nscoreSum := 0\ntype scoreT int\nsco", cursor: -1,
			want: []string{"scoreAll", "scoreMax", "scoreMid", "scoreMin", "scoreSum", "scoreT"}, exact: true, start: 108,
			wantKinds: map[string]string{"scoreAll": "func", "scoreT": "type", "scoreSum": "var"}},
		{name: "parameters", code: "func f(alpha, beta float64, acc []int) { al", cursor: -1, want: []string{"alpha"}, exact: true},
		{name: "struct fields and methods", code: "pt.", cursor: -1, want: []string{"Label", "Norm1", "Scale", "String", "X", "Y"}, exact: true, start: 3,
			wantKinds: map[string]string{"X": "field", "Norm1": "method", "Scale": "method"}},
		{name: "nested field", code: "w.P.No", cursor: -1, want: []string{"Norm1"}, exact: true, start: 4},
		{name: "live *mat.Dense methods", code: "d.Raw", cursor: -1, want: []string{"RawMatrix", "RawRowView"}, exact: true, start: 2},
		{name: "package variable members", code: "os.Stdout.Wri", cursor: -1, want: []string{"Write", "WriteAt", "WriteString", "WriteTo"}, exact: true},
		{name: "code points with é before cursor", code: "s := \"été\"; fmt.Spri", cursor: -1, want: []string{"Sprint", "Sprintf", "Sprintln"}, exact: true, start: 16},
		{name: "cursor mid-code", code: "fmt.Pri\nx := 1", cursor: 7, want: []string{"Print", "Printf", "Println"}, exact: true, start: 4},
		{name: "case-insensitive fallback", code: "fmt.println", cursor: -1, want: []string{"Println"}, exact: true, start: 4},
		{name: "import path", code: "import \"gonum.org/v1/gonum/st", cursor: -1, want: []string{"gonum.org/v1/gonum/stat", "gonum.org/v1/gonum/stat/distuv"}, exact: true, start: 8,
			wantKinds: map[string]string{"gonum.org/v1/gonum/stat": "package"}},
		{name: "import path in a group", code: "import (\n\t\"fmt\"\n\tm \"math/r", cursor: -1, want: []string{"math/rand", "math/rand/v2"}, exact: true, start: 20},
		{name: "import path after alias", code: "import mr \"math/rand/", cursor: -1, want: []string{"math/rand/v2"}, exact: true},
		{name: "string that is not an import", code: "x := \"math/r", cursor: -1, want: []string{}, exact: true},
		{name: "literal fields of a package type", code: "c := http.Client{Ti", cursor: -1, want: []string{"Timeout"}, exact: true,
			wantKinds: map[string]string{"Timeout": "field"}},
		{name: "literal fields after a key", code: "c := &http.Client{Timeout: 1,\n\tJ", cursor: -1, want: []string{"Jar"}, exact: true},
		{name: "literal key position keeps identifiers", code: "c := http.Client{t", cursor: -1, want: []string{"true", "type"}, exact: true},
		{name: "literal of a session type", code: "r := rect{H: 2, W", cursor: -1, want: []string{"W"}, exact: true,
			wantKinds: map[string]string{"W": "field"}},
		{name: "literal fields from the doc index", code: "opts.Title{Ti", cursor: -1, want: []string{"Title", "TitleBackgroundColor", "TitleStyle"}, exact: true},
		{name: "cell var from the doc index only", code: "b := charts.NewBar()\nb.SetG", cursor: -1, want: []string{"SetGlobalOptions"}, exact: true,
			wantKinds: map[string]string{"SetGlobalOptions": "method"}},
		{name: "cell var of an index-only struct", code: "var ti opts.Title\nti.Sub", cursor: -1, want: []string{"SubLink", "SubTarget", "Subtitle", "SubtitleStyle"}, exact: true},
		{name: "cell var of an index-only interface", code: "var cv optimize.Converger\ncv.", cursor: -1, want: []string{"Converged", "Init"}, exact: true,
			wantKinds: map[string]string{"Init": "method"}},
		{name: "not a key position", code: "c := http.Client{Timeout: Ti", cursor: -1, want: []string{}, exact: true},
		{name: "block, not a literal", code: "if x {\n\tTim", cursor: -1, want: []string{}, exact: true},
		{name: "inside string", code: `x := "ap`, cursor: -1, want: []string{}, exact: true, start: 6},
		{name: "unknown receiver", code: "nosuch.Pr", cursor: -1, want: []string{}, exact: true, start: 7},
		{name: "number is not a receiver", code: "x := 1.e", cursor: -1, want: []string{}, exact: true},
		{name: "all members after a dot", code: "fmt.", cursor: -1, want: []string{"Println", "Errorf", "Stringer"}, start: 4},
		{name: "import in the cell", code: "import (\n\tla2 \"gonum.org/v1/gonum/mat\"\n\t\"sort\"\n)\nla2.NewD", cursor: -1, want: []string{"NewDense", "NewDiagDense"}, exact: true},
		{name: "imported name from the cell", code: "import \"gonum.org/v1/gonum/stat\"\nx := sta", cursor: -1, want: []string{"stat"}, exact: true,
			wantKinds: map[string]string{"stat": "package"}},
		{name: "cell var from a call", code: "a := mat.NewDense(2, 2, nil)\na.Raw", cursor: -1, want: []string{"RawMatrix", "RawRowView"}, exact: true},
		{name: "cell var of a declared type", code: "var sb strings.Builder\nsb.Wri", cursor: -1, want: []string{"Write", "WriteByte", "WriteRune", "WriteString"}, exact: true},
		{name: "cell var from a composite literal pointer", code: "cl := &http.Client{}\ncl.Time", cursor: -1, want: []string{"Timeout"}, exact: true,
			wantKinds: map[string]string{"Timeout": "field"}},
		{name: "cell var of interface type", code: "var mm mat.Matrix\nmm.", cursor: -1, want: []string{"At", "Dims", "T"}, exact: true},
		{name: "cell var field chain", code: "cl := http.Client{}\ncl.Jar.Coo", cursor: -1, want: []string{"Cookies"}, exact: true},
		{name: "cell var hides package", code: "strings := 3\nstrings.Buil", cursor: -1, want: []string{}, exact: true},
		{name: "cell var of a session type", code: "p2 := rect{W: 1}\np2.", cursor: -1, want: []string{"Area", "H", "W"}, exact: true},
		{name: "cell var from a session constructor", code: "p3 := newRect(2)\np3.Ar", cursor: -1, want: []string{"Area"}, exact: true},
		{name: "session var of a session type", code: "var p5 rect\np5.", cursor: -1, want: []string{"Area", "H", "W"}, exact: true},
		{name: "methods of a user type from Globals", code: "q.", cursor: -1, want: []string{"Area", "H", "W"}, exact: true,
			wantKinds: map[string]string{"Area": "method", "W": "field"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur := tc.cursor
			if cur < 0 {
				cur = utf8.RuneCountInString(tc.code)
			}
			got := Complete(tc.code, cur, sc)
			if len(got.Matches) != len(got.Types) {
				t.Fatalf("%d matches but %d types", len(got.Matches), len(got.Types))
			}
			if tc.exact && !reflect.DeepEqual(got.Matches, tc.want) {
				t.Fatalf("matches = %q, want %q", got.Matches, tc.want)
			}
			kinds := map[string]string{}
			for i, m := range got.Matches {
				kinds[m] = got.Types[i]
				if i > 0 && got.Matches[i-1] >= m {
					t.Errorf("matches not sorted and unique: %q", got.Matches)
				}
			}
			for _, w := range tc.want {
				if _, ok := kinds[w]; !ok {
					t.Errorf("missing %q in %q", w, got.Matches)
				}
			}
			for _, n := range tc.not {
				if _, ok := kinds[n]; ok {
					t.Errorf("unexpected %q in %q", n, got.Matches)
				}
			}
			for name, k := range tc.wantKinds {
				if kinds[name] != k {
					t.Errorf("kind of %q = %q, want %q", name, kinds[name], k)
				}
			}
			if tc.start != 0 || tc.name == "keyword" {
				if got.CursorStart != tc.start {
					t.Errorf("CursorStart = %d, want %d", got.CursorStart, tc.start)
				}
			}
			if got.CursorEnd != cur {
				t.Errorf("CursorEnd = %d, want %d", got.CursorEnd, cur)
			}
		})
	}
}

func TestCompleteNilScope(t *testing.T) {
	got := Complete("fmt.Printl", 10, nil)
	if !reflect.DeepEqual(got.Matches, []string{"Println"}) || got.CursorStart != 4 {
		t.Fatalf("got %+v, want Println from the doc index at 4", got)
	}
}

func TestCompleteLocalShadowsPackage(t *testing.T) {
	sc := newScope()
	sc.values["strings"] = point{X: 1}
	got := Complete("strings.La", 10, sc)
	if !reflect.DeepEqual(got.Matches, []string{"Label"}) {
		t.Fatalf("a live variable named strings must shadow the package: got %q", got.Matches)
	}
}

// panicScope's Packages panics, as a buggy Scope might.
type panicScope struct{ *fakeScope }

func (panicScope) Packages() map[string]map[string]reflect.Value { panic("broken scope") }

func TestPanickingScope(t *testing.T) {
	sc := panicScope{newScope()}
	c := Complete("x.Pr", 4, sc) // x is unknown: resolving it asks for Packages
	if len(c.Matches) != 0 || c.CursorStart != 4 || c.CursorEnd != 4 {
		t.Fatalf("Complete with a panicking scope = %+v, want no matches at 4", c)
	}
	in := Inspect("nosuch.Thing", 12, 0, sc)
	if !in.Found || !strings.Contains(in.Text, "broken scope") {
		t.Fatalf("Inspect with a panicking scope = %+v, want the panic reported", in)
	}
}

func TestUserTypeFromSource(t *testing.T) {
	sc := newScope()
	sc.sources = map[string]string{"r4": "r4 := &rect{W: 1, H: 1}"}
	got := Complete("r4.", 3, sourceScope{sc})
	if want := []string{"Area", "H", "W"}; !reflect.DeepEqual(got.Matches, want) {
		t.Fatalf("matches = %q, want %q", got.Matches, want)
	}
	got = Complete("r4.", 3, sc) // without the source, only reflection
	if want := []string{"H", "W"}; !reflect.DeepEqual(got.Matches, want) {
		t.Fatalf("matches = %q, want %q", got.Matches, want)
	}
}
