package display

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
	"gonum.org/v1/gonum/mat"
)

// checkBundle asserts the invariants every bundle must satisfy: a
// text/plain string, JSON-encodable data, and JSON MIME parts that are
// objects or arrays.
func checkBundle(t *testing.T, b Bundle) {
	t.Helper()
	if _, ok := b.Data["text/plain"].(string); !ok {
		t.Fatalf("bundle without text/plain string: %v", b.Data)
	}
	if _, err := json.Marshal(b.Data); err != nil {
		t.Fatalf("bundle data not JSON-encodable: %v", err)
	}
	if _, err := json.Marshal(b.Metadata); err != nil {
		t.Fatalf("bundle metadata not JSON-encodable: %v", err)
	}
	for k, v := range b.Data {
		if strings.HasSuffix(k, "json") {
			switch v.(type) {
			case map[string]any, []any:
			default:
				t.Fatalf("%s part is %T, want object or array", k, v)
			}
		}
	}
}

func TestRichMIME(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	pngRaw, err := PNG(pngBuf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	imgRaw, err := Image(img)
	if err != nil {
		t.Fatal(err)
	}
	jsonRaw, err := JSON(map[string]any{"a": 1, "b": []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	scalar, err := JSON(3.5)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := SVG(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, mime string
		r          Raw
		want       any
	}{
		{"latex bare", "text/latex", LaTeX(`\frac{1}{2}`), `$$\frac{1}{2}$$`},
		{"latex dollars", "text/latex", LaTeX(`$x^2$`), `$x^2$`},
		{"markdown", "text/markdown", Markdown("# t"), "# t"},
		{"html", "text/html", HTML("<b>x</b>"), "<b>x</b>"},
		{"png", "image/png", pngRaw, base64.StdEncoding.EncodeToString(pngBuf.Bytes())},
		{"svg", "image/svg+xml", svg, `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := Render(c.r)
			checkBundle(t, b)
			if got := b.Data[c.mime]; got != c.want {
				t.Fatalf("%s = %v, want %v", c.mime, got, c.want)
			}
		})
	}
	// PNG metadata carries the decoded size; Image round-trips.
	md := pngRaw.Metadata["image/png"].(map[string]any)
	if md["width"] != 3 || md["height"] != 2 {
		t.Fatalf("png metadata %v, want 3x2", md)
	}
	dec, err := base64.StdEncoding.DecodeString(imgRaw.Data["image/png"].(string))
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(dec))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := back.At(1, 1).RGBA(); r != 0xffff {
		t.Fatalf("decoded pixel red=%x, want ffff", r)
	}
	// JSON: structured data and an indented plain twin; scalars wrapped.
	checkBundle(t, Render(jsonRaw))
	if got := jsonRaw.Data["application/json"].(map[string]any)["b"].([]any)[1]; got != 2.0 {
		t.Fatalf("json b[1] = %v", got)
	}
	if !strings.Contains(Bundle(jsonRaw).PlainText(), "\n  \"a\": 1") {
		t.Fatalf("json plain not indented: %q", Bundle(jsonRaw).PlainText())
	}
	checkBundle(t, Render(scalar))
	// Errors name the problem.
	for name, f := range map[string]func() error{
		"png":  func() error { _, err := PNG([]byte("nope")); return err },
		"jpeg": func() error { _, err := JPEG(pngBuf.Bytes()); return err },
		"svg":  func() error { _, err := SVG("<html/>"); return err },
		"json": func() error { _, err := JSON(make(chan int)); return err },
		"jstr": func() error { _, err := JSONString("{"); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error for invalid input", name)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	cases := []struct {
		x    float64
		d    int
		want string
	}{
		{0.000123456, 4, "0.0001235"},
		{1234567, 4, "1.235e6"},
		{42, 4, "42"},
		{-1e-10, 4, "-1e-10"},
		{2.0 / 3, 3, "0.667"},
		{0, 4, "0"},
	}
	for _, c := range cases {
		if got := FormatFloat(c.x, c.d); got != c.want {
			t.Errorf("FormatFloat(%v,%d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
}

func withTableOptions(t *testing.T, o TableOptions) {
	old := CurrentTableOptions()
	SetTableOptions(o)
	t.Cleanup(func() { SetTableOptions(old) })
}

func TestMatrixTruncation(t *testing.T) {
	withTableOptions(t, TableOptions{MaxRows: 6, MaxCols: 4, Digits: 4})
	r, c := 100, 30
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, float64(i)+float64(j)/1000)
		}
	}
	b := Render(m)
	checkBundle(t, b)
	h := b.Data["text/html"].(string)
	// 1 header row + 6 shown rows + 1 ellipsis row.
	if got := strings.Count(h, "<tr>"); got != 8 {
		t.Fatalf("html has %d rows, want 8", got)
	}
	for _, want := range []string{"<th>0</th>", "<th>2</th>", "<th>97</th>", "<th>99</th>", "⋮", "…", "<th>29</th>", "99.03", "100×30"} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	for _, absent := range []string{"<th>3</th>", "<th>96</th>", "50"} {
		if strings.Contains(h, absent) {
			t.Errorf("html has elided %q", absent)
		}
	}
	p := b.PlainText()
	lines := strings.Split(p, "\n")
	// caption + header + 6 rows + ellipsis row.
	if len(lines) != 9 {
		t.Fatalf("plain has %d lines, want 9:\n%s", len(lines), p)
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[len(lines)-1]), "99") || !strings.Contains(lines[len(lines)-1], "99.03") {
		t.Fatalf("last plain line %q", lines[len(lines)-1])
	}
	// Columns line up: every line of the grid has the same rune width.
	w := len([]rune(lines[1]))
	for _, l := range lines[2:] {
		if len([]rune(l)) != w {
			t.Fatalf("ragged plain table:\n%s", p)
		}
	}
	// mat32 and small matrices: nothing elided.
	d32, _ := mat32.New(2, 2, []float32{1.5, 2, 3, 1e6})
	b32 := Render(d32)
	checkBundle(t, b32)
	if s := b32.Data["text/html"].(string); strings.Contains(s, "⋮") || !strings.Contains(s, "1e6") || !strings.Contains(s, "1.5") {
		t.Fatalf("mat32 table: %s", s)
	}
}

type row struct {
	Name  string
	Score float64
	N     int
	note  string // unexported: not shown
}

func TestStructsAndMaps(t *testing.T) {
	withTableOptions(t, TableOptions{MaxRows: 4})
	rows := []row{{"<script>alert(1)</script>", 0.123456, 3, "x"}, {"b & c", 1e7, 4, "y"}}
	b := Render(rows)
	checkBundle(t, b)
	h := b.Data["text/html"].(string)
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(h, "b &amp; c") {
		t.Fatalf("html not escaped: %s", h)
	}
	for _, want := range []string{"<th>Name</th>", "<th>Score</th>", "<th>N</th>", "0.1235", "1e7"} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if strings.Contains(h, "note") {
		t.Error("unexported field shown")
	}
	// Pointers and truncation of a long slice.
	long := make([]*row, 10)
	for i := range long {
		long[i] = &row{Name: string(rune('a' + i)), N: i}
	}
	long[1] = nil
	lb := Render(long)
	checkBundle(t, lb)
	lp := lb.PlainText()
	if !strings.Contains(lp, "<nil>") || !strings.Contains(lp, "⋮") || strings.Contains(lp, "\n4 ") || !strings.Contains(lp, "\n9 ") {
		t.Fatalf("pointer slice table:\n%s", lp)
	}
	// Map: numeric keys sorted numerically.
	mb := Render(map[int]float64{10: 0.5, 2: 1.0 / 3, -1: 2})
	checkBundle(t, mb)
	mp := mb.PlainText()
	i1, i2, i10 := strings.Index(mp, "\n -1"), strings.Index(mp, "\n  2"), strings.Index(mp, "\n 10")
	if i1 < 0 || i2 < 0 || i10 < 0 || !(i1 < i2 && i2 < i10) || !strings.Contains(mp, "0.3333") {
		t.Fatalf("map table order:\n%s", mp)
	}
	// Tables built by hand check their shape.
	if _, err := NewTable([]string{"a", "b"}, [][]string{{"1"}}); err == nil {
		t.Fatal("NewTable accepted a short row")
	}
	// Values that are not tables fall back to text.
	if b := Render(42); b.Data["text/html"] != nil || b.PlainText() != "42" {
		t.Fatalf("int rendered as %v", b.Data)
	}
	var nilDense *mat.Dense
	if b := Render(nilDense); b.Data["text/html"] != nil {
		t.Fatalf("nil matrix rendered as table")
	}
}

// recorder is a Publisher that keeps every message.
type recorder struct {
	mu      sync.Mutex
	shown   []Bundle
	ids     []string
	updates []Bundle
}

func (r *recorder) Display(b Bundle, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown = append(r.shown, b)
	r.ids = append(r.ids, id)
	return nil
}
func (r *recorder) Update(b Bundle, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id != r.ids[len(r.ids)-1] {
		return errors.New("update of unknown id " + id)
	}
	r.updates = append(r.updates, b)
	return nil
}
func (r *recorder) ClearOutput(bool) error { return nil }

func withRecorder(t *testing.T) *recorder {
	r := &recorder{}
	SetPublisher(r)
	t.Cleanup(func() { SetPublisher(nil) })
	return r
}

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressThrottleAndFinish(t *testing.T) {
	rec := withRecorder(t)
	clk := &fakeClock{t: time.Unix(0, 0), step: time.Millisecond}
	p := newProgress("kNN <fast>", 1000, clk.now)
	f := p.Func()
	for i := 1; i < 1000; i++ {
		if err := f(i, 1000); err != nil {
			t.Fatal(err)
		}
	}
	// 999 reports over ~1 s of fake time: about 10 updates, not 999.
	if n := len(rec.updates); n < 8 || n > 11 {
		t.Fatalf("%d updates published for 1s of work, want about 10", n)
	}
	mid := rec.updates[len(rec.updates)/2]
	checkBundle(t, mid)
	if !strings.Contains(mid.PlainText(), "/1000 [") || !strings.Contains(mid.PlainText(), "<") || !strings.Contains(mid.PlainText(), "/s]") {
		t.Fatalf("running bar lacks count, time left or rate: %q", mid.PlainText())
	}
	if err := p.Done(); err != nil {
		t.Fatal(err)
	}
	last := rec.updates[len(rec.updates)-1]
	checkBundle(t, last)
	h := last.Data["text/html"].(string)
	if !strings.Contains(h, `data-fraction="1.0000"`) || !strings.Contains(h, ">100%<") || !strings.Contains(h, `data-state="done"`) || !strings.Contains(h, "kNN &lt;fast&gt;") {
		t.Fatalf("final bar: %s", h)
	}
	// The rate is 1000 units over 1 s of fake time (±5%).
	var rate float64
	if i := strings.Index(last.PlainText(), ", "); i < 0 || !strings.Contains(last.PlainText(), "1000/1000") {
		t.Fatalf("final text %q", last.PlainText())
	} else if _, err := fmt.Sscanf(last.PlainText()[i+2:], "%g/s", &rate); err != nil || rate < 950 || rate > 1050 {
		t.Fatalf("final rate %v (%v) in %q, want 1000±5%%", rate, err, last.PlainText())
	}
	n := len(rec.updates)
	p.Set(5)
	if p.Fail(errors.New("late")) != nil || len(rec.updates) != n {
		t.Fatal("bar changed after Done")
	}
	if rec.ids[0] != p.ID() || !strings.HasPrefix(p.ID(), "subspace-progress-") {
		t.Fatalf("display id %q vs %q", rec.ids[0], p.ID())
	}
}

func TestProgressFailAndInterrupt(t *testing.T) {
	rec := withRecorder(t)
	boom := errors.New("boom")
	err := Track("train", 10, func(f progress.Func) error {
		_ = f(3, 10)
		return boom
	})
	if err != boom {
		t.Fatalf("Track returned %v", err)
	}
	last := rec.updates[len(rec.updates)-1]
	if h := last.Data["text/html"].(string); !strings.Contains(h, `data-state="failed"`) || !strings.Contains(h, "boom") || !strings.Contains(h, "30%") {
		t.Fatalf("failed bar: %s", h)
	}
	// An interrupted cell stops native work through the bar's Func.
	ctx, cancel := context.WithCancel(context.Background())
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	p := NewProgress("adapter", 100)
	f := p.Func()
	if err := progress.Report(f, 10, 100); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := f(20, 100); !errors.Is(err, context.Canceled) {
		t.Fatalf("Func after cancel returned %v", err)
	}
	if h := rec.updates[len(rec.updates)-1].Data["text/html"].(string); !strings.Contains(h, `data-state="failed"`) || !strings.Contains(h, "canceled") {
		t.Fatalf("interrupted bar: %s", h)
	}
	// Track with success ends at 100%.
	progress.SetContext(nil)
	if err := Track("ok", 4, func(f progress.Func) error { return f(2, 4) }); err != nil {
		t.Fatal(err)
	}
	if h := rec.updates[len(rec.updates)-1].Data["text/html"].(string); !strings.Contains(h, ">100%<") {
		t.Fatalf("tracked bar: %s", h)
	}
	// Unknown total: count and rate only.
	u := NewProgress("stream", 0)
	u.Add(7)
	_ = u.Done()
	if s := rec.updates[len(rec.updates)-1].PlainText(); !strings.Contains(s, "7/7") {
		t.Fatalf("unknown-total bar: %q", s)
	}
}

// TestProgressConcurrent reports from many goroutines, as native workers
// do; run with -race. The bar ends at the total with one final update.
func TestProgressConcurrent(t *testing.T) {
	rec := withRecorder(t)
	p := NewProgress("parallel", 8000)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				p.Add(1)
			}
		}()
	}
	wg.Wait()
	// Every Add counted: the work is complete before Done.
	if got := p.Fraction(); got != 1 {
		t.Fatalf("fraction %v after 8000 concurrent Adds, want 1", got)
	}
	if !strings.Contains(rec.updates[len(rec.updates)-1].PlainText(), "100%") {
		t.Fatal("completion not published")
	}
	if err := p.Done(); err != nil {
		t.Fatal(err)
	}
	last := rec.updates[len(rec.updates)-1].PlainText()
	if !strings.Contains(last, "8000/8000") || !strings.HasSuffix(last, "done") {
		t.Fatalf("final %q", last)
	}
}

// huge is a 10⁹×10⁹ matrix computed on demand: rendering it must read only
// the shown cells.
type huge struct{ reads *int }

func (h huge) Dims() (int, int)    { return 1_000_000_000, 1_000_000_000 }
func (h huge) At(i, j int) float64 { *h.reads++; return float64(i) + float64(j)/10 }
func (h huge) T() mat.Matrix       { return h }

func TestHugeMatrixTable(t *testing.T) {
	withTableOptions(t, TableOptions{MaxRows: 4, MaxCols: 4})
	reads := 0
	b := Render(huge{&reads})
	checkBundle(t, b)
	if reads != 16 {
		t.Fatalf("%d cells read, want 16", reads)
	}
	p := b.PlainText()
	if !strings.Contains(p, "999999999") || !strings.Contains(p, "1e9") || !strings.Contains(p, "⋱") {
		t.Fatalf("huge table:\n%s", p)
	}
	// Maps are trimmed the same way.
	m := map[int]int{}
	for i := 0; i < 100; i++ {
		m[i] = i * i
	}
	mp := Render(m).PlainText()
	if !strings.Contains(mp, "\n 99   9801") || strings.Contains(mp, " 50 ") || !strings.Contains(mp, "⋮") {
		t.Fatalf("long map:\n%s", mp)
	}
}
