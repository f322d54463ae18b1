package complete

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/subspace-kernel/subspace/api"
)

// denseStats computes the expected min/mean/max line of a summary the
// simple way.
func denseStats(data []float64) string {
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, x := range data {
		lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
	}
	return fmt.Sprintf("min %.6g, mean %.6g, max %.6g", lo, sum/float64(len(data)), hi)
}

func TestInspect(t *testing.T) {
	sc := newScope()
	at := func(code, marker string) int { // cursor in code points just before marker's first occurrence
		i := strings.Index(code, marker)
		if i < 0 {
			t.Fatalf("marker %q not in %q", marker, code)
		}
		return utf8.RuneCountInString(code[:i])
	}
	tests := []struct {
		name     string
		code     string
		cursor   int // -1: end
		detail   int
		want     []string
		not      []string
		notFound bool
	}{
		{name: "fmt.Println at end", code: "fmt.Println", cursor: -1,
			want: []string{"func Println(a ...any) (n int, err error)", "Println formats using the default formats"}},
		{name: "fmt.Println mid-identifier", code: "fmt.Println(x)", cursor: 7,
			want: []string{"Println formats using the default formats"}},
		{name: "inside call arguments", code: "fmt.Println(1, ", cursor: -1,
			want: []string{"Println formats using the default formats"}},
		{name: "call arguments on the next line", code: "fmt.Println(\nx, ", cursor: -1,
			want: []string{"Println formats using the default formats"}},
		{name: "code points: é before the cursor", code: "s := \"été\"; fmt.Println(s)", cursor: at("s := \"été\"; fmt.Println(s)", "ln("),
			want: []string{"Println formats using the default formats"}},
		{name: "package doc", code: "fmt.Println", cursor: 1, want: []string{"package fmt", "formatted I/O"}},
		{name: "aliased gonum func", code: "la.NewDense(3, 2, nil)", cursor: 5,
			want: []string{"func NewDense(r, c int, data []float64) *Dense", "NewDense creates a new Dense matrix"}},
		{name: "gonum by package name", code: "mat.NewDense", cursor: -1,
			want: []string{"func NewDense(r, c int, data []float64) *Dense"}},
		{name: "type", code: "var b strings.Builder", cursor: -1,
			want: []string{"type Builder struct", "A Builder is used to efficiently build a string"}},
		{name: "method of package type", code: "strings.Builder.WriteString", cursor: -1,
			want: []string{"func (b *Builder) WriteString(s string) (int, error)"}},
		{name: "live *mat.Dense", code: "d", cursor: -1,
			want: []string{"*mat.Dense", "shape: 3x2", denseStats([]float64{1, 2, 3, 4, 5, 6.5}), "var d *mat.Dense"}},
		{name: "method of live value", code: "d.Mul(a, b)", cursor: 3,
			want: []string{"func (m *Dense) Mul(a, b Matrix)", "Mul takes the matrix product"}},
		{name: "numeric slice", code: "xs", cursor: -1,
			want: []string{"[]float64", "len: 4", "first: [4, -1, 2.5, 7]", denseStats([]float64{4, -1, 2.5, 7})}},
		{name: "int slice", code: "ids", cursor: -1, want: []string{"[]int", "len: 3", denseStats([]float64{3, 1, 2})}},
		{name: "nested slice", code: "embeddings", cursor: -1, want: []string{"shape: 2x2", denseStats([]float64{1, 2, 3, 4})}},
		{name: "map", code: "m", cursor: -1, want: []string{"map[string]int", "len: 2", "keys: a, b"}},
		{name: "struct", code: "pt", cursor: -1, want: []string{"complete.point", "{X:1 Y:2 Label:p hid:0}"}},
		{name: "field of live struct", code: "w.P.X", cursor: -1, want: []string{"w.P.X", "type: float64", "value: 3"}},
		{name: "user func", code: "center(d)", cursor: 2,
			want: []string{"func center(x *mat.Dense) *mat.Dense", "center subtracts the column means of x."}},
		{name: "cell func source with detail", code: "func sq(x float64) float64 {\n\treturn x * x\n}\nsq(2)", cursor: -4, detail: 1,
			want: []string{"func sq(x float64) float64 {", "return x * x"}},
		{name: "cell func without detail", code: "func sq(x float64) float64 {\n\treturn x * x\n}\nsq(2)", cursor: -4,
			want: []string{"func sq(x float64) float64 {"}, not: []string{"return x * x"}},
		{name: "builtin", code: "n := len(xs)", cursor: 6, want: []string{"func len(v Type) int", "The len built-in function"}},
		{name: "keyword", code: "for", cursor: -1, want: []string{"Go keyword"}},
		{name: "package constant", code: "math.MaxInt64", cursor: -1, want: []string{"const MaxInt64"}},
		{name: "method of cell var", code: "a := mat.NewDense(2, 2, nil)\na.Mul(b, c)", cursor: at("a := mat.NewDense(2, 2, nil)\na.Mul(b, c)", "ul("),
			want: []string{"func (m *Dense) Mul(a, b Matrix)", "Mul takes the matrix product"}},
		{name: "cell var", code: "a := mat.NewDense(2, 2, nil)\na", cursor: -1,
			want: []string{"var a *mat.Dense (declared in this cell", "a := mat.NewDense(2, 2, nil)"}},
		{name: "interface method of cell var", code: "var mm mat.Matrix\nmm.Dims", cursor: -1, want: []string{"func (mat.Matrix) Dims() (int, int)"}},
		{name: "live value of a session type", code: "q", cursor: -1, want: []string{"q (rect)", "value: {W:2 H:3}"}},
		{name: "user method of live value", code: "q.Area()", cursor: 3, want: []string{"func (r rect) Area() float64", "Area is W*H."}},
		{name: "user method of cell var", code: "p2 := newRect(1)\np2.Area()", cursor: at("p2 := newRect(1)\np2.Area()", "rea()"), want: []string{"func (r rect) Area() float64", "Area is W*H."}},
		{name: "cell import alias", code: "import la2 \"gonum.org/v1/gonum/mat\"\nla2.Det", cursor: -1, want: []string{"func Det(a Matrix) float64"}},
		{name: "package var", code: "os.Args", cursor: -1, want: []string{"var Args []string"}},
		{name: "index-only method of cell var", code: "b := charts.NewBar()\nb.SetGlobalOptions", cursor: -1,
			want: []string{"SetGlobalOptions(options ...GlobalOpts)", "SetGlobalOptions sets options for the"}},
		{name: "index-only cell var", code: "b := charts.NewBar()\nb", cursor: -1, want: []string{"var b *charts.Bar (declared in this cell"}},
		{name: "nothing", code: "x := 1 +  ", cursor: -1, notFound: true},
		{name: "unknown", code: "nosuch.Thing", cursor: -1, notFound: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur := tc.cursor
			if cur < 0 {
				cur += 1 + utf8.RuneCountInString(tc.code)
			}
			got := Inspect(tc.code, cur, tc.detail, sc)
			if tc.notFound {
				if got.Found {
					t.Fatalf("found %q, want nothing", got.Text)
				}
				return
			}
			if !got.Found {
				t.Fatalf("not found")
			}
			for _, w := range tc.want {
				if !strings.Contains(got.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, got.Text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got.Text, n) {
					t.Errorf("text has %q:\n%s", n, got.Text)
				}
			}
			if got.Markdown == "" {
				t.Errorf("empty markdown")
			}
		})
	}
}

func TestInspectSourceScope(t *testing.T) {
	sc := newScope()
	sc.sources = map[string]string{"center": "func center(x *mat.Dense) *mat.Dense {\n\treturn centered(x)\n}"}
	got := Inspect("center", 6, 1, sourceScope{sc})
	if !strings.Contains(got.Text, "return centered(x)") {
		t.Fatalf("detail=1 must show the source from SourceScope:\n%s", got.Text)
	}
	got = Inspect("center", 6, 0, sourceScope{sc})
	if strings.Contains(got.Text, "return centered(x)") {
		t.Fatalf("detail=0 must not show the source:\n%s", got.Text)
	}
}

func TestInspectMarkdown(t *testing.T) {
	got := Inspect("fmt.Println", 11, 0, newScope())
	if !strings.Contains(got.Markdown, "```go\nfunc Println(a ...any) (n int, err error)\n```") {
		t.Fatalf("markdown lacks the signature code block:\n%s", got.Markdown)
	}
}

func TestInspectDocLinks(t *testing.T) {
	got := Inspect("strings.Builder", 15, 0, nil)
	if !strings.Contains(got.Markdown, "[Builder.Write](https://pkg.go.dev/strings#Builder.Write)") {
		t.Errorf("markdown lacks the doc link:\n%s", got.Markdown)
	}
	if !strings.Contains(got.Text, "using Builder.Write methods") {
		t.Errorf("text must show doc links as plain names:\n%s", got.Text)
	}
}

func TestRegisterDocs(t *testing.T) {
	RegisterDocs("example.com/plug/geom", map[string]api.DocEntry{
		"Angle": {Kind: "func", Signature: "func Angle(a, b []float64) float64", Doc: "Angle returns the angle between a and b in radians."},
	})
	got := Inspect("geom.Angle", 10, 0, nil)
	if !strings.Contains(got.Text, "Angle returns the angle between a and b") {
		t.Fatalf("registered doc not shown:\n%s", got.Text)
	}
	c := Complete("geom.An", 7, nil)
	if len(c.Matches) != 1 || c.Matches[0] != "Angle" || c.Types[0] != "func" {
		t.Fatalf("registered package members not completed: %+v", c)
	}
}
