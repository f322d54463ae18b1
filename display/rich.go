package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
)

// LaTeX returns displayable LaTeX (text/latex). A bare formula (no $ or
// \begin) is wrapped in $$...$$ so that MathJax typesets it as display math.
// The source is the text/plain fallback. O(len(s)).
func LaTeX(s string) Raw {
	t := strings.TrimSpace(s)
	if t != "" && !strings.HasPrefix(t, "$") && !strings.HasPrefix(t, `\begin`) && !strings.HasPrefix(t, `\[`) && !strings.HasPrefix(t, `\(`) {
		t = "$$" + t + "$$"
	}
	return MIME("text/latex", t, s)
}

// JSON returns v as displayable JSON (application/json, which notebooks
// show as a collapsible tree) with indented JSON as the text/plain
// fallback. v is marshalled once to check that it is valid JSON; an error
// names the value's type. O(size of v).
func JSON(v any) (Raw, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return Raw{}, fmt.Errorf("display.JSON: cannot encode %T as JSON: %w", v, err)
	}
	var decoded any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return Raw{}, fmt.Errorf("display.JSON: %w", err)
	}
	var ind bytes.Buffer
	_ = json.Indent(&ind, raw, "", "  ")
	// Jupyter requires application/json data to be a JSON object or array
	// in some front ends; wrap scalars so that every client accepts them.
	switch decoded.(type) {
	case map[string]any, []any:
	default:
		decoded = []any{decoded}
	}
	return MIME("application/json", decoded, ind.String()), nil
}

// JSONString is JSON for an already encoded JSON document; the error says
// where the document is invalid. O(len(s)).
func JSONString(s string) (Raw, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return Raw{}, fmt.Errorf("display.JSONString: invalid JSON: %w", err)
	}
	return JSON(v)
}

// imageRaw builds an image bundle: base64 data under mimeType, size
// metadata when known, and a text/plain description.
func imageRaw(mimeType string, data []byte, width, height int) Raw {
	r := MIME(mimeType, base64.StdEncoding.EncodeToString(data),
		fmt.Sprintf("<%s image, %d bytes>", mimeType, len(data)))
	if width > 0 && height > 0 {
		r.Metadata = map[string]any{mimeType: map[string]any{"width": width, "height": height}}
		r.Data["text/plain"] = fmt.Sprintf("<%s image %dx%d>", mimeType, width, height)
	}
	return r
}

// PNG returns displayable PNG bytes (image/png, base64 in the bundle). The
// bytes are checked to be a PNG (the header is decoded for the size
// metadata); an error says when they are not. O(len(data)).
func PNG(data []byte) (Raw, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Raw{}, fmt.Errorf("display.PNG: not a PNG image (%d bytes): %w", len(data), err)
	}
	return imageRaw("image/png", data, cfg.Width, cfg.Height), nil
}

// JPEG returns displayable JPEG bytes (image/jpeg, base64 in the bundle),
// checked like PNG. O(len(data)).
func JPEG(data []byte) (Raw, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Raw{}, fmt.Errorf("display.JPEG: not a JPEG image (%d bytes): %w", len(data), err)
	}
	return imageRaw("image/jpeg", data, cfg.Width, cfg.Height), nil
}

// Image encodes img as PNG and returns it displayable. O(pixels).
func Image(img image.Image) (Raw, error) {
	if img == nil {
		return Raw{}, fmt.Errorf("display.Image: nil image")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Raw{}, fmt.Errorf("display.Image: %w", err)
	}
	b := img.Bounds()
	return imageRaw("image/png", buf.Bytes(), b.Dx(), b.Dy()), nil
}

// SVG returns a displayable SVG document (image/svg+xml). The text must
// contain an <svg element; anything before it (XML declaration, doctype) is
// kept. O(len(s)).
func SVG(s string) (Raw, error) {
	if !strings.Contains(s, "<svg") {
		return Raw{}, fmt.Errorf("display.SVG: no <svg> element in %d bytes of text", len(s))
	}
	return MIME("image/svg+xml", s, fmt.Sprintf("<SVG image, %d bytes>", len(s))), nil
}
