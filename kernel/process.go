package kernel

import (
	"context"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// watchProcess makes SIGINT interrupt the running cell instead of killing
// the process, and stops the kernel when the parent process named by
// JPY_PARENT_PID exits (see WithSignals). The returned function stops
// watching the signal.
func (k *server) watchProcess(ctx context.Context) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	go func() {
		for {
			select {
			case <-sigs:
				k.debugf("SIGINT: interrupting the running cell")
				k.interrupt()
			case <-ctx.Done():
				return
			}
		}
	}()
	if pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil && pid > 1 {
		go k.watchParent(ctx, pid)
	}
	return func() { signal.Stop(sigs) }
}

// watchParent stops the kernel when the process that started it (Jupyter's
// JPY_PARENT_PID) has gone: this process is then re-parented.
func (k *server) watchParent(ctx context.Context, pid int) {
	if os.Getppid() != pid {
		return // started through a wrapper: nothing reliable to watch
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != pid {
				k.warnf("parent process %d exited: shutting down", pid)
				k.stop()
				return
			}
		}
	}
}
