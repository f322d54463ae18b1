// Package display turns Go values into Jupyter MIME bundles and publishes
// them to the notebook.
//
// A cell shows something with Show (or HTML, Markdown, ...); the value of a
// cell's last expression goes through Render. Values render richly when they
// implement Renderer or when a converter registered with RegisterConverter
// recognises them (tables, charts, matrices); every bundle carries a
// text/plain fallback.
//
// Beyond HTML, Markdown and PlainText: LaTeX, JSON, PNG, JPEG, Image and SVG
// build other MIME bundles; gonum matrices (any mat.Matrix), mat32.Dense,
// slices of structs and maps render as truncated HTML tables with aligned
// plain-text twins (SetTableOptions); NewProgress and Track show progress
// bars updated in place for long native work. Charts live in display/chart.
//
// The kernel's wiring installs a Publisher with SetPublisher; outside a
// kernel (plain Go programs, tests) bundles go to a Publisher that prints
// their text/plain part to standard output.
package display

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"sync"

	"github.com/subspace-kernel/subspace/api"
)

// Bundle is a MIME bundle (api.Bundle): data keyed by MIME type
// ("text/plain", "text/html", "application/vnd.echarts.v5+json", ...) plus
// metadata keyed the same way. Data values are strings, or JSON-encodable
// values for JSON MIME types.
type Bundle = api.Bundle

// Renderer is implemented by values that know how to display themselves.
// DisplayBundle should include a text/plain entry; Render adds one if not.
type Renderer interface {
	DisplayBundle() Bundle
}

// Converter turns a value it recognises into a bundle. It reports false for
// values it does not handle.
type Converter func(v any) (Bundle, bool)

// Publisher delivers bundles to the client: the kernel sends display_data,
// update_display_data and clear_output messages on iopub. An api.Sink is a
// Publisher.
type Publisher interface {
	// Display shows a new output; displayID, when not empty, names it so
	// that Update can replace it later.
	Display(b Bundle, displayID string) error
	// Update replaces every output shown with displayID.
	Update(b Bundle, displayID string) error
	// ClearOutput clears the cell's output; with wait, the clearing happens
	// when the next output arrives (avoids flicker).
	ClearOutput(wait bool) error
}

var (
	mu         sync.RWMutex
	publisher  Publisher = stdoutPublisher{}
	converters []Converter
)

// SetPublisher installs p as the destination of Show, Update and
// ClearOutput; nil restores the stdout publisher. The kernel's wiring
// (cmd/subspace) calls it once with the engine's sink.
func SetPublisher(p Publisher) {
	mu.Lock()
	defer mu.Unlock()
	if p == nil {
		p = stdoutPublisher{}
	}
	publisher = p
}

// CurrentPublisher returns the installed publisher.
func CurrentPublisher() Publisher {
	mu.RLock()
	defer mu.RUnlock()
	return publisher
}

// RegisterConverter adds a converter consulted by Render, after Renderer and
// before the tables and the plain-text fallback. Later registrations take
// precedence. The kernel's wiring registers the chart converter
// (chart.Convert).
func RegisterConverter(c Converter) {
	mu.Lock()
	defer mu.Unlock()
	converters = append(converters, c)
}

// Render returns the MIME bundle of v: v's own DisplayBundle when it is a
// Renderer, else the first registered converter that accepts it, else a
// table (matrices, structs and pointers to structs, slices of structs,
// maps), else plain text (Text). The result always has a text/plain
// entry; its text/plain and text/html parts are cut to the Limits (a
// FullValue is not). O(size of v's rendering).
func Render(v any) Bundle {
	if f, ok := v.(FullValue); ok {
		return f.DisplayBundle()
	}
	return render(v, currentConfig())
}

// config is what a rendering reads of the options, taken once.
type config struct {
	table  TableOptions
	limits Limits
}

func currentConfig() config {
	mu.RLock()
	defer mu.RUnlock()
	return config{table: tableOpts, limits: limits}
}

func render(v any, c config) Bundle {
	var b Bundle
	handled := false
	if r, ok := v.(Renderer); ok && !isNilPointer(v) {
		b, handled = r.DisplayBundle(), true
	}
	if !handled {
		mu.RLock()
		cs := converters
		mu.RUnlock()
		for i := len(cs) - 1; i >= 0; i-- {
			if got, ok := cs[i](v); ok {
				b, handled = got, true
				break
			}
		}
	}
	if !handled {
		b, handled = tableConverter(v, c)
	}
	if b.Data == nil {
		b.Data = map[string]any{}
	}
	if _, ok := b.Data["text/plain"]; !ok {
		b.Data["text/plain"] = c.text(v)
	}
	return capBundle(b, c.limits)
}

// Text formats v as plain text the way the kernel prints a cell's value:
// strings are quoted (like a Go literal); everything else as fmt's %+v
// prints it when that fits in Limits.Value characters, else with its long
// parts elided to their type, length and a few elements (see Compact).
// O(Limits.Value).
func Text(v any) string { return currentConfig().text(v) }

func (c config) text(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	t := valueText{digits: c.table.Digits}
	return t.format(reflect.ValueOf(v), c.limits.Value, false)
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return rv.IsNil()
	}
	return false
}

// Show renders v and displays it as a new output (display_data).
func Show(v any) error {
	return CurrentPublisher().Display(Render(v), "")
}

// ShowWithID renders v and displays it as an output named id, which Update
// can later replace in place.
func ShowWithID(v any, id string) error {
	return CurrentPublisher().Display(Render(v), id)
}

// Update renders v and replaces the output named id (update_display_data).
func Update(id string, v any) error {
	return CurrentPublisher().Update(Render(v), id)
}

// ClearOutput clears the current cell's output; with wait, when the next
// output arrives.
func ClearOutput(wait bool) error {
	return CurrentPublisher().ClearOutput(wait)
}

type stdoutPublisher struct{}

func (stdoutPublisher) Display(b Bundle, _ string) error {
	_, err := fmt.Fprintln(os.Stdout, b.PlainText())
	return err
}
func (stdoutPublisher) Update(b Bundle, _ string) error {
	_, err := fmt.Fprintln(os.Stdout, b.PlainText())
	return err
}
func (stdoutPublisher) ClearOutput(bool) error { return nil }
