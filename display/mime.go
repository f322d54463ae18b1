package display

import "html"

// Raw is a bundle built directly from MIME data; it displays as itself.
type Raw Bundle

// DisplayBundle implements Renderer.
func (r Raw) DisplayBundle() Bundle { return Bundle(r) }

// MIME returns a displayable value holding data under the given MIME type,
// with plain as its text/plain fallback.
func MIME(mimeType string, data any, plain string) Raw {
	return Raw{Data: map[string]any{mimeType: data, "text/plain": plain}}
}

// HTML returns a displayable HTML fragment (text/html), with the fragment's
// source as the plain-text fallback.
func HTML(s string) Raw { return MIME("text/html", s, s) }

// Markdown returns displayable Markdown (text/markdown).
func Markdown(s string) Raw { return MIME("text/markdown", s, s) }

// PlainText returns a displayable plain string, shown unquoted.
func PlainText(s string) Raw { return Raw{Data: map[string]any{"text/plain": s}} }

// EscapeHTML escapes s for inclusion in HTML text or attribute values.
func EscapeHTML(s string) string { return html.EscapeString(s) }
