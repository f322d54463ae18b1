package display

import (
	"fmt"
	"strings"
)

// Limits bound what an output holds, so that a value never floods the
// notebook: nested values are elided to their shape and a few elements
// (see Compact), and the text/plain and text/html parts of every bundle
// Render makes are cut at a size, with a note saying what was cut and how
// to see everything (Full).
type Limits struct {
	// Cell is the width in characters of a value shown inside another: a
	// table cell, a struct field, an element of a slice. Default 80.
	Cell int
	// Value is the width in characters of a value shown as one line of
	// text (a slice, an array, a pointer...). Default 1000.
	Value int
	// Text is the largest text/plain part of an output, in bytes. Default
	// 64 KiB.
	Text int
	// HTML is the largest text/html part of an output, in bytes, unless the
	// HTML is the fallback of a richer part of the same bundle (a chart's
	// echarts option, an image), which its renderer sized. Default 1 MiB.
	HTML int
}

var (
	defaultLimits = Limits{Cell: 80, Value: 1000, Text: 64 << 10, HTML: 1 << 20}
	limits        = defaultLimits
)

// unlimited is a width or size that nothing reaches.
const unlimited = int(^uint(0) >> 2)

// SetLimits replaces the limits; zero or negative fields keep their
// defaults (80, 1000, 64 KiB, 1 MiB).
func SetLimits(l Limits) {
	d := defaultLimits
	l = Limits{Cell: positiveOr(l.Cell, d.Cell), Value: positiveOr(l.Value, d.Value),
		Text: positiveOr(l.Text, d.Text), HTML: positiveOr(l.HTML, d.HTML)}
	mu.Lock()
	limits = l
	mu.Unlock()
}

// positiveOr returns v when it is positive, else def.
func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// CurrentLimits returns the limits set with SetLimits.
func CurrentLimits() Limits {
	mu.RLock()
	defer mu.RUnlock()
	return limits
}

// FullValue displays V without any limit; see Full.
type FullValue struct{ V any }

// Full returns v displayable in full: every element of nested values,
// every row and column of its table, and no cap on the size of the output.
// Use it to see what a capped output left out; its cost is that of
// formatting all of v. O(size of v).
func Full(v any) FullValue { return FullValue{V: v} }

// DisplayBundle implements Renderer.
func (f FullValue) DisplayBundle() Bundle {
	return render(f.V, config{table: TableOptions{MaxRows: unlimited, MaxCols: unlimited, Digits: CurrentTableOptions().Digits},
		limits: Limits{Cell: unlimited, Value: unlimited, Text: unlimited, HTML: unlimited}})
}

// textMIME are the MIME types whose HTML part is the output itself rather
// than the fallback of a richer part.
var textMIME = map[string]bool{"text/plain": true, "text/html": true, "text/markdown": true, "text/latex": true}

// capBundle returns b with its text/plain and text/html parts cut beyond
// l's sizes (the HTML only when b holds nothing but text), each followed by
// the note. b's own map, which may be a Renderer's, is left unchanged: a
// cut bundle gets a new one. O(size of b's text).
func capBundle(b Bundle, l Limits) Bundle {
	plain, _ := b.Data["text/plain"].(string)
	cutPlain := len(plain) > l.Text
	h, _ := b.Data["text/html"].(string)
	cutHTMLPart := len(h) > l.HTML
	for k := range b.Data {
		if !textMIME[k] {
			cutHTMLPart = false
		}
	}
	if !cutPlain && !cutHTMLPart {
		return b
	}
	data := make(map[string]any, len(b.Data))
	for k, v := range b.Data {
		data[k] = v
	}
	if cutPlain {
		data["text/plain"] = cutText(plain, l.Text) + "\n" + cutNote(len(plain), l.Text, "text")
	}
	if cutHTMLPart {
		data["text/html"] = cutHTML(h, l.HTML) + `<div class="subspace-cut" style="color:#a60;font-style:italic">` +
			EscapeHTML(cutNote(len(h), l.HTML, "HTML")) + "</div>"
	}
	return Bundle{Data: data, Metadata: b.Metadata}
}

// cutNote says what was cut and how to see more.
func cutNote(total, limit int, what string) string {
	field := "Text"
	if what == "HTML" {
		field = "HTML"
	}
	return fmt.Sprintf("... output cut: %s of %s bytes of %s shown; display.Full(v) shows all of v, "+
		"display.SetLimits(display.Limits{%s: n}) raises the limit", thousands(limit), thousands(total), what, field)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// cutText returns the first bytes of s, at most limit, ending at a line
// end when one lies in the last quarter, else at a character boundary.
func cutText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	if nl := strings.LastIndexByte(s[:cut], '\n'); nl >= limit*3/4 {
		return s[:nl]
	}
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut]
}
