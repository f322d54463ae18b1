package api

import (
	"encoding/json"
	"testing"
)

// TestJSON checks that the boundary types encode to the field names of the
// Jupyter messages they feed, and back.
func TestJSON(t *testing.T) {
	e := &Error{Name: "panic", Value: "boom", Traceback: []string{"a"}}
	if e.Error() != "panic: boom" {
		t.Fatalf("Error() = %q", e.Error())
	}
	r := ExecuteResult{Value: &Bundle{Data: map[string]any{"text/plain": "1"}}, Err: e}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"value":{"data":{"text/plain":"1"}},"error":{"ename":"panic","evalue":"boom","traceback":["a"]}}`
	if string(data) != want {
		t.Fatalf("ExecuteResult encodes as %s, want %s", data, want)
	}
	var back ExecuteResult
	if err := json.Unmarshal(data, &back); err != nil || back.Value.PlainText() != "1" || back.Err.Value != "boom" {
		t.Fatalf("decoded %+v, %v", back, err)
	}
	if (Bundle{}).PlainText() != "" {
		t.Fatal("PlainText of an empty bundle")
	}
	d, _ := json.Marshal(DocEntry{Kind: "func", Signature: "func F()"})
	if string(d) != `{"k":"func","s":"func F()"}` {
		t.Fatalf("DocEntry encodes as %s", d)
	}
}
