package supervise

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
)

// stderrLog is the worker's stdout and stderr: it forwards everything to
// the kernel's log and keeps the lines that explain a death (the Go
// runtime's "fatal error:" and "panic:" lines and what follows them).
type stderrLog struct {
	dst     io.Writer
	mu      sync.Mutex
	partial []byte
	notable []string // explaining lines, at most maxNotable
	after   int      // lines still to keep after the last explaining line
	report  int      // lines of the death report so far (0: none yet)
}

const (
	// maxReport bounds the lines of a death report (the runtime prints
	// every goroutine) forwarded to the kernel's log.
	maxReport  = 80
	maxNotable = 24
	// keepAfter is how many lines after a "fatal error:" or "panic:"
	// line are kept (the goroutine and the first frames).
	keepAfter = 6
)

// deathLine matches the first line of the Go runtime's report of a fatal
// error or an unrecovered panic.
var deathLine = regexp.MustCompile(`^(fatal error: |panic: |runtime: out of memory|runtime: goroutine stack exceeds|SIGSEGV|SIGBUS|unexpected fault address|signal )`)

func (l *stderrLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.line(l.partial[:i+1])
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 64<<10 {
		l.line(l.partial) // a line this long explains nothing: pass it on
		l.partial = l.partial[:0]
	}
	return len(p), nil
}

// line forwards b (a line with its end) to the log, at most maxReport
// lines of a death report, and keeps it when it explains a death. Called
// with mu held.
func (l *stderrLog) line(b []byte) {
	s := strings.TrimRight(string(b), "\n")
	if deathLine.MatchString(s) && l.report == 0 {
		l.report = 1
	}
	switch {
	case l.report == 0 || l.report <= maxReport:
		l.dst.Write(b)
	case l.report == maxReport+1:
		io.WriteString(l.dst, "... (the rest of the engine's report is omitted)\n")
	}
	if l.report > 0 {
		l.report++
	}
	if len(l.notable) >= maxNotable {
		return
	}
	switch {
	case deathLine.MatchString(s):
		l.notable = append(l.notable, s)
		l.after = keepAfter
	case l.after > 0:
		l.after--
		l.notable = append(l.notable, s)
	}
}

// lines returns the explaining lines (and an unterminated last line).
func (l *stderrLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]string(nil), l.notable...)
	if len(l.partial) > 0 && deathLine.Match(l.partial) {
		out = append(out, string(l.partial))
	}
	return out
}

// causes maps a line of the runtime's report to the cause shown to the
// user, first match wins.
var causes = []struct {
	re   *regexp.Regexp
	text string
}{
	{regexp.MustCompile(`stack overflow|goroutine stack exceeds`), "stack overflow (recursion too deep, or without end)"},
	{regexp.MustCompile(`out of memory`), "out of memory (an allocation the system could not satisfy)"},
	{regexp.MustCompile(`^fatal error: (concurrent map .*)`), "$1 (a map used by several goroutines without a lock)"},
	{regexp.MustCompile(`^fatal error: (.*)`), "fatal error: $1"},
	{regexp.MustCompile(`^panic: (.*)`), "panic outside the cell's control: $1"},
	{regexp.MustCompile(`^(SIGSEGV|SIGBUS|unexpected fault address|signal )(.*)`), "crash in native code: $1$2"},
}

// signalNames are the names of the signals that usually end a worker.
var signalNames = map[syscall.Signal]string{syscall.SIGKILL: "SIGKILL", syscall.SIGSEGV: "SIGSEGV", syscall.SIGABRT: "SIGABRT",
	syscall.SIGTERM: "SIGTERM", syscall.SIGBUS: "SIGBUS", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT"}

// cause names why a worker ended, from its state and stderr lines.
func cause(st *os.ProcessState, lines []string, reason string) string {
	if reason != "" {
		return reason
	}
	for _, c := range causes {
		for _, l := range lines {
			if m := c.re.FindStringSubmatchIndex(l); m != nil {
				return string(c.re.ExpandString(nil, c.text, l, m))
			}
		}
	}
	if st == nil {
		return "the engine process ended"
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		name := signalNames[sig]
		if name == "" {
			name = sig.String()
		}
		s := fmt.Sprintf("killed by signal %d (%s)", int(sig), name)
		if sig == syscall.SIGKILL {
			s += ": the system's out-of-memory killer, or a kill from outside the kernel"
		}
		return s
	}
	return fmt.Sprintf("the engine process exited with status %d", st.ExitCode())
}
