package cell

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/traefik/yaegi/interp"
	yaegisyscall "github.com/traefik/yaegi/stdlib/syscall"
)

// guardSymbols overrides symbols of the standard library whose use from a
// cell would take the whole kernel down or end a cell silently:
//
//   - time.AfterFunc and context.AfterFunc run their function on a
//     goroutine of their own: a panic there is recovered and reported like
//     the panic of a `go` statement (reportGoPanic);
//   - os.Process (its Kill, Signal, Wait, Release), os.FindProcess and
//     syscall.Kill refuse to signal the kernel's own process or its parent
//     (the supervising kernel when cells run in a worker);
//   - syscall.Exit panics as os.Exit does in yaegi's restricted mode, and
//     syscall.Exec (which would replace the process) is refused;
//   - runtime.Goexit on the goroutine evaluating a cell panics (it would
//     end the evaluation with no error and no value).
//
// The package syscall becomes importable (yaegi's table, with the
// overrides above). Raw system calls (syscall.Syscall(SYS_KILL, ...)) are
// not guarded.
func (s *Session) guardSymbols() interp.Exports {
	sys := map[string]reflect.Value{}
	for name, v := range yaegisyscall.Symbols["syscall/syscall"] {
		sys[name] = v
	}
	sys["Kill"] = reflect.ValueOf(guardedKill)
	sys["Exit"] = reflect.ValueOf(func(code int) { panic("os.Exit(" + strconv.Itoa(code) + ")") })
	sys["Exec"] = reflect.ValueOf(func(argv0 string, argv, envv []string) error {
		return fmt.Errorf("syscall.Exec(%q): refused: it would replace the kernel's own process (use os/exec to run a program)", argv0)
	})
	return interp.Exports{
		"time/time": {
			"AfterFunc": reflect.ValueOf(func(d time.Duration, f func()) *time.Timer {
				return time.AfterFunc(d, s.recovering(f))
			}),
			"Sleep": reflect.ValueOf(s.sleep),
		},
		"context/context": {"AfterFunc": reflect.ValueOf(func(ctx context.Context, f func()) (stop func() bool) {
			return context.AfterFunc(ctx, s.recovering(f))
		})},
		"os/os": {
			"Process":     reflect.ValueOf((*Process)(nil)),
			"FindProcess": reflect.ValueOf(findProcess),
		},
		"runtime/runtime": {"Goexit": reflect.ValueOf(goexit)},
		"syscall/syscall": sys,
	}
}

// recovering wraps a function a cell hands to code that runs it on a
// goroutine of its own, so that its panic is reported instead of ending
// the process.
func (s *Session) recovering(f func()) func() {
	return func() {
		defer func() {
			if r := recover(); r != nil {
				s.reportGoPanic(r)
			}
		}()
		f()
	}
}

// ownProcess tells whether pid names the kernel's process, its parent,
// or every process of its group (0, -1, -pgid).
func ownProcess(pid int) bool {
	pgid, _ := syscall.Getpgid(0)
	return pid == os.Getpid() || pid == os.Getppid() || pid == 0 || pid == -1 || pid == -pgid
}

// refusal is the error of a signal to the kernel's own processes.
func refusal(op string, pid int) error {
	return fmt.Errorf("%s(%d): refused: this is the kernel's own process (or its group); stopping it would lose the session (use the notebook's interrupt or restart)", op, pid)
}

func guardedKill(pid int, sig syscall.Signal) error {
	if ownProcess(pid) {
		return refusal("syscall.Kill", pid)
	}
	return syscall.Kill(pid, sig)
}

// Process is os.Process as cells see it: a process known by its Pid,
// whose methods refuse to signal the kernel itself. Cells write
// os.Process; values of *os.Process that compiled code returns
// (exec.Cmd.Process, os.StartProcess) keep their own type, so a cell
// cannot assign one to a variable declared as *os.Process. Each method
// costs one os.FindProcess (O(1)).
type Process struct {
	Pid int
}

func findProcess(pid int) (*Process, error) {
	if ownProcess(pid) {
		return nil, refusal("os.FindProcess", pid)
	}
	if _, err := os.FindProcess(pid); err != nil {
		return nil, err
	}
	return &Process{Pid: pid}, nil
}

func (p *Process) os(op string) (*os.Process, error) {
	if ownProcess(p.Pid) {
		return nil, refusal("os.Process."+op, p.Pid)
	}
	return os.FindProcess(p.Pid)
}

// Kill sends SIGKILL, unless p is the kernel's own process.
func (p *Process) Kill() error {
	q, err := p.os("Kill")
	if err != nil {
		return err
	}
	return q.Kill()
}

// Signal sends sig, unless p is the kernel's own process.
func (p *Process) Signal(sig os.Signal) error {
	q, err := p.os("Signal")
	if err != nil {
		return err
	}
	return q.Signal(sig)
}

// Wait waits for p, a child of the kernel, to exit.
func (p *Process) Wait() (*os.ProcessState, error) {
	q, err := p.os("Wait")
	if err != nil {
		return nil, err
	}
	return q.Wait()
}

// Release does nothing: no resources are held.
func (p *Process) Release() error { return nil }

// sleep is time.Sleep for cells: on the goroutine evaluating a cell it
// ends with a panic when the cell is interrupted, so that the evaluation
// yaegi gave up on does not wake up later and run the rest of the cell
// (see waitLeftover); elsewhere it is time.Sleep.
func (s *Session) sleep(d time.Duration) {
	stale := s.stale.current()
	if stale == nil || d <= 0 || !onEvalGoroutine() {
		time.Sleep(d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stale:
		panic("time.Sleep interrupted")
	}
}

// onEvalGoroutine tells whether the caller runs on yaegi's goroutine
// evaluating a cell. O(stack depth).
func onEvalGoroutine() bool {
	buf := make([]byte, 64<<10)
	buf = buf[:runtime.Stack(buf, false)]
	return strings.Contains(string(buf), evalFrame)
}

// goexitMessage is the panic of runtime.Goexit called on a cell's own
// goroutine.
const goexitMessage = "runtime.Goexit called on the cell's goroutine: the cell was stopped (use return to end a cell early)"

// goexit is runtime.Goexit for cells: on the goroutine evaluating the cell
// it panics, so that the cell ends with an error; elsewhere (a goroutine
// the cell started) it ends that goroutine as usual.
func goexit() {
	if onEvalGoroutine() {
		panic(goexitMessage)
	}
	runtime.Goexit()
}
