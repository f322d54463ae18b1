package convert

import (
	"encoding/json"
	"fmt"
	"io"
)

// Token-level JSON helpers: they walk a stream with a json.Decoder so that
// memory stays independent of the size of the document.

// expectDelim reads the next token and checks that it is the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("%s: want %q, found %v at byte %d", what, d, tok, dec.InputOffset())
	}
	return nil
}

// eachKey reads an object, calling f with each key; f must consume the
// key's value from dec.
func eachKey(dec *json.Decoder, what string, f func(key string) error) error {
	if err := expectDelim(dec, '{', what); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%s: want a key, found %v at byte %d", what, tok, dec.InputOffset())
		}
		if err := f(key); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}', what)
}

// eachNumber reads an array of numbers, calling f with each.
func eachNumber(dec *json.Decoder, what string, f func(v float64) error) error {
	return eachElem(dec, what, "a number", f)
}

// eachString reads an array of strings, calling f with each.
func eachString(dec *json.Decoder, what string, f func(s string) error) error {
	return eachElem(dec, what, "a string", f)
}

// eachElem reads an array whose elements are tokens of type T (float64
// or string), calling f with each.
func eachElem[T float64 | string](dec *json.Decoder, what, kind string, f func(v T) error) error {
	if err := expectDelim(dec, '[', what); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		v, ok := tok.(T)
		if !ok {
			return fmt.Errorf("%s: want %s, found %v at byte %d", what, kind, tok, dec.InputOffset())
		}
		if err := f(v); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']', what)
}

// skipValue reads and discards one value of any size, token by token.
func skipValue(dec *json.Decoder, what string) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// expectEnd checks that nothing but white space follows the document.
func expectEnd(dec *json.Decoder, what string) error {
	tok, err := dec.Token()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return fmt.Errorf("%s: after the document: %w", what, err)
	}
	return fmt.Errorf("%s: unexpected %v after the end of the document", what, tok)
}
