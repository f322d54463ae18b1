package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/api"
)

// TestMain makes the test binary a worker when the proxy starts it.
func TestMain(m *testing.M) {
	if os.Getenv("SUPERVISE_TEST_WORKER") == "1" {
		debug.SetMaxStack(16 << 20)
		if err := Worker(func(s api.Sink) (api.Engine, error) { return &fakeEngine{sink: s}, nil }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeEngine runs "cells" that are commands: echo TEXT, input PROMPT,
// recurse, oom, mapwrites, kill, exit, hang, latepanic, pid.
type fakeEngine struct{ sink api.Sink }

func recurse(n int) int { return recurse(n+1) + 1 }

func (e *fakeEngine) Execute(ctx context.Context, req api.ExecuteRequest) api.ExecuteResult {
	cmd, arg, _ := strings.Cut(req.Code, " ")
	val := func(s string) api.ExecuteResult {
		return api.ExecuteResult{Value: &api.Bundle{Data: map[string]any{"text/plain": s}}}
	}
	switch cmd {
	case "echo":
		e.sink.Stream("stdout", arg)
		e.sink.Display(api.Bundle{Data: map[string]any{"text/html": "<b>" + arg + "</b>"}}, "d1")
		return val(arg)
	case "input":
		s, err := e.sink.Input(arg, false)
		if err != nil {
			return api.ExecuteResult{Err: &api.Error{Name: "InputError", Value: err.Error()}}
		}
		return val(s)
	case "pid":
		return val(fmt.Sprint(os.Getpid()))
	case "recurse":
		return val(fmt.Sprint(recurse(0)))
	case "oom":
		b := make([]byte, 1<<46)
		return val(fmt.Sprint(len(b)))
	case "mapwrites":
		m := map[int]int{}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 1 << 30 {
					m[i%1000] = g
				}
			}()
		}
		wg.Wait()
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Hour)
	case "exit":
		os.Exit(3)
	case "hang":
		time.Sleep(time.Hour) // ignores the interrupt
	case "wait":
		<-ctx.Done()
		return api.ExecuteResult{Err: &api.Error{Name: "Interrupted", Value: "interrupted"}}
	case "latepanic":
		go func() {
			time.Sleep(50 * time.Millisecond)
			panic("late panic in a goroutine")
		}()
		return val("started")
	}
	return api.ExecuteResult{}
}

func (e *fakeEngine) Evaluate(ctx context.Context, expr string) (api.Bundle, *api.Error) {
	return api.Bundle{Data: map[string]any{"text/plain": "eval " + expr}}, nil
}

func (e *fakeEngine) Complete(code string, cursor int) api.Completion {
	return api.Completion{Matches: []string{code + "_done"}, CursorEnd: cursor}
}

func (e *fakeEngine) Inspect(code string, cursor, detail int) api.Inspection {
	return api.Inspection{Found: true, Text: "doc of " + code}
}

func (e *fakeEngine) IsComplete(code string) (string, string) { return "incomplete", "  " }

// recordSink records what the worker sends.
type recordSink struct {
	mu  sync.Mutex
	out strings.Builder
}

func (s *recordSink) Stream(name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(&s.out, "[%s]%s", name, text)
}

func (s *recordSink) Display(b api.Bundle, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(&s.out, "[display %s]%v", id, b.Data["text/html"])
	return nil
}

func (s *recordSink) Update(b api.Bundle, id string) error { return nil }
func (s *recordSink) ClearOutput(wait bool) error          { return nil }
func (s *recordSink) Input(prompt string, password bool) (string, error) {
	if prompt == "fail" {
		return "", errors.New("no stdin")
	}
	return "answer to " + prompt, nil
}

func (s *recordSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func newTestProxy(t *testing.T, sink api.Sink) *Proxy {
	t.Helper()
	p, err := NewProxy(Config{Command: []string{os.Args[0], "-test.run=^$"}, Env: append(os.Environ(), "SUPERVISE_TEST_WORKER=1"),
		Sink: sink, Log: &strings.Builder{}, InterruptGrace: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func run(p *Proxy, code string) (string, *api.Error) {
	r := p.Execute(context.Background(), api.ExecuteRequest{Code: code})
	if r.Err != nil {
		return "", r.Err
	}
	if r.Value == nil {
		return "", nil
	}
	return r.Value.PlainText(), nil
}

// TestProxyCalls checks every call and the sink's output through the
// worker.
func TestProxyCalls(t *testing.T) {
	sink := &recordSink{}
	p := newTestProxy(t, sink)
	if v, err := run(p, "echo hi"); err != nil || v != "hi" || sink.String() != "[stdout]hi[display d1]<b>hi</b>" {
		t.Fatalf("echo: %q %v, sink %q", v, err, sink.String())
	}
	if v, err := run(p, "input name?"); err != nil || v != "answer to name?" {
		t.Fatalf("input: %q %v", v, err)
	}
	if _, err := run(p, "input fail"); err == nil || !strings.Contains(err.Value, "no stdin") {
		t.Fatalf("failed input: %v", err)
	}
	if b, err := p.Evaluate(context.Background(), "x"); err != nil || b.PlainText() != "eval x" {
		t.Fatalf("evaluate: %v %v", b, err)
	}
	if c := p.Complete("fm", 2); len(c.Matches) != 1 || c.Matches[0] != "fm_done" || c.CursorEnd != 2 {
		t.Fatalf("complete: %+v", c)
	}
	if i := p.Inspect("x", 1, 0); !i.Found || i.Text != "doc of x" {
		t.Fatalf("inspect: %+v", i)
	}
	if s, ind := p.IsComplete("for {"); s != "incomplete" || ind != "  " {
		t.Fatalf("is_complete: %q %q", s, ind)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if r := p.Execute(ctx, api.ExecuteRequest{Code: "wait"}); r.Err == nil || r.Err.Name != "Interrupted" {
		t.Fatalf("interrupt: %+v", r.Err)
	}
}

// TestProxyDeaths kills the worker in every way the Go runtime or the
// system can: the call gets a FatalError naming the cause, and the next
// call runs in a fresh worker.
func TestProxyDeaths(t *testing.T) {
	sink := &recordSink{}
	p := newTestProxy(t, sink)
	for _, c := range []struct{ code, want string }{
		{"recurse", "stack overflow"},
		{"oom", "out of memory"},
		{"mapwrites", "concurrent map writes"},
		{"kill", "killed by signal 9 (SIGKILL)"},
		{"exit", "exited with status 3"},
		{"hang", "did not stop within 500ms of the interrupt"},
	} {
		t.Run(c.code, func(t *testing.T) {
			before, _ := run(p, "pid")
			ctx := context.Background()
			if c.code == "hang" {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(50*time.Millisecond, cancel)
			}
			r := p.Execute(ctx, api.ExecuteRequest{Code: c.code})
			if r.Err == nil || r.Err.Name != "FatalError" || !strings.Contains(r.Err.Value, c.want) || !strings.Contains(r.Err.Value, "state") {
				t.Fatalf("got %+v, want a FatalError naming %q", r.Err, c.want)
			}
			t.Logf("%s", strings.Join(r.Err.Traceback, "\n"))
			after, err := run(p, "pid")
			if err != nil || after == before || after == "" {
				t.Fatalf("after the death: pid %q (was %q), %v", after, before, err)
			}
			if v, err := run(p, "echo again"); err != nil || v != "again" {
				t.Fatalf("fresh worker: %q %v", v, err)
			}
		})
	}
	// A death between calls is said on stderr, and the next call works.
	if _, err := run(p, "latepanic"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(sink.String(), "late panic in a goroutine") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(sink.String(), "[stderr]\nFatalError: the engine process died: panic outside the cell's control: late panic in a goroutine") {
		t.Fatalf("sink %q", sink.String())
	}
	if v, err := run(p, "echo later"); err != nil || v != "later" {
		t.Fatalf("after a death between calls: %q %v", v, err)
	}
}

// TestStderrLog checks that the worker's ordinary output is forwarded,
// a death report is cut after maxReport lines, and the explaining lines
// are kept.
func TestStderrLog(t *testing.T) {
	var dst strings.Builder
	l := &stderrLog{dst: &dst}
	l.Write([]byte("plain output\nfatal error: concurrent map writes\n"))
	for i := range 1000 {
		fmt.Fprintf(l, "goroutine %d [running]:\n", i)
	}
	lines := strings.Split(strings.TrimSuffix(dst.String(), "\n"), "\n")
	if lines[0] != "plain output" || len(lines) != maxReport+2 || !strings.Contains(lines[len(lines)-1], "omitted") {
		t.Fatalf("forwarded %d lines: first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	kept := l.lines()
	if kept[0] != "fatal error: concurrent map writes" || len(kept) != 1+keepAfter {
		t.Fatalf("kept %q", kept)
	}
	if c := cause(nil, kept, ""); c != "concurrent map writes (a map used by several goroutines without a lock)" {
		t.Fatalf("cause %q", c)
	}
}

// BenchmarkProxyCall measures what the worker process adds to a call: a
// trivial Execute through the proxy (two pipe hops, JSON both ways, a
// stream and a display message) against the same call on the engine in
// the same process.
func BenchmarkProxyCall(b *testing.B) {
	sink := &recordSink{}
	p, err := NewProxy(Config{Command: []string{os.Args[0], "-test.run=^$"}, Env: append(os.Environ(), "SUPERVISE_TEST_WORKER=1"),
		Sink: sink, Log: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	req := api.ExecuteRequest{Code: "echo x"}
	ctx := context.Background()
	if r := p.Execute(ctx, req); r.Err != nil {
		b.Fatal(r.Err)
	}
	local := &fakeEngine{sink: sink}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		p.Execute(ctx, req)
	}
	proxied := time.Since(start)
	start = time.Now()
	for range b.N {
		local.Execute(ctx, req)
	}
	direct := time.Since(start)
	b.ReportMetric(float64(proxied.Nanoseconds())/float64(b.N), "ns/proxied")
	b.ReportMetric(float64(direct.Nanoseconds())/float64(b.N), "ns/in-process")
}
