package cell

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestGuards runs cells that would take the kernel down or end silently:
// each must give an error naming what happened, and the session must go
// on with its state.
func TestGuards(t *testing.T) {
	s, _, errb := newSession(t)
	if r := s.Execute(context.Background(), "import (\n\t\"context\"\n\t\"os\"\n\t\"runtime\"\n\t\"syscall\"\n\t\"time\"\n)\nx := 5"); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, c := range []struct{ name, code, want string }{
		{"os.Process Kill", "(&os.Process{Pid: os.Getpid()}).Kill()", "refused"},
		{"os.Process Signal", "p := &os.Process{Pid: os.Getpid()}\nerr := p.Signal(os.Interrupt)\nerr", "refused"},
		{"FindProcess", "_, err := os.FindProcess(os.Getpid())\nerr", "refused"},
		{"FindProcess parent", "_, err := os.FindProcess(os.Getppid())\nerr", "refused"},
		{"syscall.Kill", "syscall.Kill(os.Getpid(), syscall.SIGKILL)", "refused"},
		{"syscall.Kill group", "syscall.Kill(0, syscall.SIGTERM)", "refused"},
		{"syscall.Exit", "syscall.Exit(3)", "exit status 3"},
		{"syscall.Exec", "syscall.Exec(\"/bin/true\", nil, nil)", "refused"},
		{"Goexit", "runtime.Goexit()\nx = 7", "runtime.Goexit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := s.Execute(context.Background(), c.code)
			got := fmt.Sprint(r.Value)
			if r.Err != nil {
				got = r.Err.Error()
			}
			if !strings.Contains(got, c.want) {
				t.Fatalf("got %q (err %v), want an error containing %q", got, r.Err, c.want)
			}
			if r := s.Execute(context.Background(), "x"); r.Err != nil || fmt.Sprint(r.Value) != "5" {
				t.Fatalf("after: x = %v, %v", r.Value, r.Err)
			}
		})
	}
	t.Run("Goexit in a goroutine", func(t *testing.T) {
		r := s.Execute(context.Background(), "done := make(chan bool)\ngo func() {\n\tdefer close(done)\n\truntime.Goexit()\n}()\n<-done\n1")
		if r.Err != nil || fmt.Sprint(r.Value) != "1" {
			t.Fatalf("got %v, %v", r.Value, r.Err)
		}
	})
	for _, c := range []struct{ name, code string }{
		{"time.AfterFunc", "fired := make(chan bool)\ntime.AfterFunc(time.Millisecond, func() {\n\tdefer close(fired)\n\tpanic(\"in a timer\")\n})\n<-fired\ntime.Sleep(100 * time.Millisecond)"},
		{"context.AfterFunc", "fired := make(chan bool)\nctx, cancel := context.WithCancel(context.Background())\ncontext.AfterFunc(ctx, func() {\n\tdefer close(fired)\n\tpanic(\"in a timer\")\n})\ncancel()\n<-fired\ntime.Sleep(100 * time.Millisecond)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			errb.Reset()
			r := s.Execute(context.Background(), c.code)
			if r.Err == nil || !strings.Contains(r.Err.Value, "in a timer") {
				t.Fatalf("got %+v, want the callback's panic as the cell's error", r.Err)
			}
			if !strings.Contains(errb.String(), "panic in goroutine: in a timer") {
				t.Fatalf("stderr %q", errb.String())
			}
		})
	}
	// A timer that fires after its cell ended is reported on stderr only.
	errb.Reset()
	if r := s.Execute(context.Background(), "time.AfterFunc(50*time.Millisecond, func() { panic(\"late timer\") })"); r.Err != nil {
		t.Fatal(r.Err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(errb.String(), "late timer") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r := s.Execute(context.Background(), "x"); r.Err != nil || fmt.Sprint(r.Value) != "5" {
		t.Fatalf("after a late timer panic: x = %v, %v (stderr %q)", r.Value, r.Err, errb.String())
	}
}

// TestStdioRestored closes and reassigns os.Stdout and os.Stderr in cells:
// the next cell's output must arrive as usual.
func TestStdioRestored(t *testing.T) {
	s, out, errb := newSession(t)
	for _, c := range []string{
		"import (\n\t\"fmt\"\n\t\"os\"\n)\nos.Stdout.Close()\nos.Stderr.Close()",
		"os.Stdout = nil\nos.Stderr = os.Stdout",
		"%reset\nimport \"os\"\nos.Stdout.Close()",
	} {
		if r := s.Execute(context.Background(), c); r.Err != nil {
			t.Fatalf("%q: %v", c, r.Err)
		}
		out.Reset()
		errb.Reset()
		r := s.Execute(context.Background(), "import (\n\t\"fmt\"\n\t\"os\"\n)\nfmt.Println(\"one\")\nfmt.Fprintln(os.Stdout, \"two\")\nfmt.Fprintln(os.Stderr, \"three\")")
		if r.Err != nil {
			t.Fatalf("after %q: %v", c, r.Err)
		}
		if out.String() != "one\ntwo\n" || errb.String() != "three\n" {
			t.Fatalf("after %q: stdout %q, stderr %q", c, out.String(), errb.String())
		}
	}
}

// TestMemLimit sets %memlimit and runs a cell whose heap grows without
// bound: it is stopped with a MemoryLimit error and the session goes on.
func TestMemLimit(t *testing.T) {
	s, out, _ := newSession(t)
	for _, bad := range []string{"%memlimit lots", "%memlimit 1MB", "%memlimit -5G"} {
		if r := s.Execute(context.Background(), bad); r.Err == nil {
			t.Fatalf("%s: no error", bad)
		}
	}
	if r := s.Execute(context.Background(), "%memlimit 256MiB"); r.Err != nil || !strings.Contains(out.String(), "memory limit: 256.0 MiB") {
		t.Fatalf("%v, output %q", r.Err, out.String())
	}
	defer s.Execute(context.Background(), "%memlimit off")
	s.Execute(context.Background(), "x := 5")
	r := s.Execute(context.Background(), "func grow() int {\n\tvar keep [][]byte\n\tfor {\n\t\tkeep = append(keep, make([]byte, 1<<20))\n\t\tkeep[len(keep)-1][0] = 1\n\t}\n\treturn len(keep)\n}\ngrow()")
	if r.Err == nil || r.Err.Name != "MemoryLimit" || !strings.Contains(r.Err.Value, "above the limit of 256.0 MiB") {
		t.Fatalf("got %+v, want a MemoryLimit error", r.Err)
	}
	if r := s.Execute(context.Background(), "x"); r.Err != nil || fmt.Sprint(r.Value) != "5" {
		t.Fatalf("after: x = %v, %v", r.Value, r.Err)
	}
	// A cell that starts above the limit (data kept from before) still
	// runs, so that it can free memory.
	s.Execute(context.Background(), "%memlimit off")
	if r := s.Execute(context.Background(), "big := make([]byte, 200<<20)"); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.Execute(context.Background(), "%memlimit 64MiB")
	if r := s.Execute(context.Background(), "big = nil\nx"); r.Err != nil || fmt.Sprint(r.Value) != "5" {
		t.Fatalf("a cell above the limit that allocates nothing: %v %v", r.Value, r.Err)
	}
	out.Reset()
	if r := s.Execute(context.Background(), "%memlimit off"); r.Err != nil || !strings.Contains(out.String(), "memory limit: none") {
		t.Fatalf("%v, output %q", r.Err, out.String())
	}
	// $SUBSPACE_MEMLIMIT is the limit a new session starts with.
	t.Setenv("SUBSPACE_MEMLIMIT", "300MiB")
	s2, out2, _ := newSession(t)
	if r := s2.Execute(context.Background(), "%memlimit"); r.Err != nil || !strings.Contains(out2.String(), "memory limit: 300.0 MiB") {
		t.Fatalf("%v, output %q", r.Err, out2.String())
	}
	s2.Execute(context.Background(), "%memlimit off")
}
