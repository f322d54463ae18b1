package engine

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/display"
	"github.com/traefik/yaegi/interp"
)

// sink records what an engine sends.
type sink struct {
	mu       sync.Mutex
	streams  strings.Builder
	displays []api.Bundle
	inputs   []string // lines Input returns, in order
	noInput  bool
}

func (s *sink) Stream(name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams.WriteString(name + ":" + text)
}

func (s *sink) Display(b api.Bundle, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.displays = append(s.displays, b)
	return nil
}

func (s *sink) Update(b api.Bundle, id string) error { return s.Display(b, id) }
func (s *sink) ClearOutput(bool) error               { return nil }

func (s *sink) Input(prompt string, password bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noInput || len(s.inputs) == 0 {
		return "", errors.New("no input allowed")
	}
	l := s.inputs[0]
	s.inputs = s.inputs[1:]
	return l, nil
}

// panicky is a value whose rendering panics.
type panicky struct{}

func (panicky) DisplayBundle() display.Bundle { panic("cannot draw") }

func TestEngine(t *testing.T) {
	out := &sink{inputs: []string{"41 words"}}
	e, err := New(Config{Sink: out, Render: display.Render, Symbols: []interp.Exports{{
		"example.com/bad/bad": {"Value": reflect.ValueOf(func() any { return panicky{} })},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	r := e.Execute(ctx, api.ExecuteRequest{Code: "import (\n\t\"fmt\"\n\t\"os\"\n)\nfmt.Println(\"hi\")\nfmt.Fprint(os.Stderr, \"oops\")\n1 + 1"})
	if r.Err != nil || r.Value == nil || r.Value.PlainText() != "2" {
		t.Fatalf("Execute: %+v", r)
	}
	// stdout and stderr are two streams: each keeps its order.
	if got := out.streams.String(); len(got) != len("stdout:hi\nstderr:oops") || !strings.Contains(got, "stdout:hi\n") || !strings.Contains(got, "stderr:oops") {
		t.Fatalf("streams %q", got)
	}
	if r := e.Execute(ctx, api.ExecuteRequest{Code: "3", Silent: true}); r.Err != nil || r.Value != nil {
		t.Fatalf("silent execution has a value: %+v", r)
	}
	if r := e.Execute(ctx, api.ExecuteRequest{Code: "undefinedName"}); r.Err == nil || r.Err.Name != "CompileError" {
		t.Fatalf("error: %+v", r)
	}
	if r := e.Execute(ctx, api.ExecuteRequest{Code: "import \"example.com/bad\"\nbad.Value()"}); r.Err == nil || r.Err.Name != "DisplayError" || !strings.Contains(r.Err.Value, "cannot draw") {
		t.Fatalf("a panic while rendering: %+v", r)
	}
	r = e.Execute(ctx, api.ExecuteRequest{Code: "var n int\nvar w string\nfmt.Scan(&n, &w)\nfmt.Sprint(n+1, w)"})
	if r.Err != nil || r.Value.PlainText() != `"42words"` {
		t.Fatalf("stdin: %+v", r)
	}
	if r := e.Execute(ctx, api.ExecuteRequest{Code: "_, err := fmt.Scan(&n)\nerr.Error()"}); r.Err != nil || !strings.Contains(r.Value.PlainText(), "no input allowed") {
		t.Fatalf("stdin refused: %+v", r)
	}
	if b, err := e.Evaluate(ctx, "n * 2"); err != nil || b.PlainText() != "82" {
		t.Fatalf("Evaluate: %+v %v", b, err)
	}
	if _, err := e.Evaluate(ctx, "nosuch"); err == nil || err.Name != "CompileError" {
		t.Fatalf("Evaluate error: %v", err)
	}
	if c := e.Complete("fmt.Sprin", 10); len(c.Matches) == 0 || c.Matches[0] != "Sprint" {
		t.Fatalf("Complete: %+v", c)
	}
	if in := e.Inspect("fmt.Sprint", 6, 0); !in.Found {
		t.Fatalf("Inspect: %+v", in)
	}
	if st, ind := e.IsComplete("func f() {"); st != "incomplete" || ind != "\t" {
		t.Fatalf("IsComplete: %q %q", st, ind)
	}
	if _, err := New(Config{Sink: out}); err == nil {
		t.Fatal("New without a renderer")
	}
}
