package kernel

import (
	"context"
	"runtime/debug"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// call is a request being handled: the message and the socket its reply
// goes to.
type call struct {
	k    *server
	msg  *wire.Message
	sock zmq4.Socket
	mu   *sync.Mutex
}

// reply answers the request on its socket.
func (c call) reply(content wire.Content) { c.k.reply(c.sock, c.mu, c.msg, content) }

// handler handles a request; it returns false when queued execute requests
// must be aborted (an error with stop_on_error).
type handler func(k *server, ctx context.Context, c call) bool

// shellHandlers handle the requests of the shell channel, by message type.
var shellHandlers = map[string]handler{
	"execute_request":     (*server).executeRequest,
	"kernel_info_request": (*server).kernelInfoRequest,
	"complete_request":    (*server).completeRequest,
	"inspect_request":     (*server).inspectRequest,
	"is_complete_request": (*server).isCompleteRequest,
	"history_request":     (*server).historyRequest,
	"comm_info_request":   (*server).commInfoRequest,
	"comm_open":           (*server).commOpen,
	"comm_msg":            (*server).commIgnored,
	"comm_close":          (*server).commIgnored,
	"shutdown_request":    (*server).shutdownRequest,
}

// controlHandlers handle the requests of the control channel.
var controlHandlers = map[string]handler{
	"interrupt_request":   (*server).interruptRequest,
	"shutdown_request":    (*server).shutdownRequest,
	"kernel_info_request": (*server).kernelInfoRequest,
}

// shellLoop processes shell requests one at a time, in arrival order.
func (k *server) shellLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.done:
			return
		case msg := <-k.shellQ:
			if !k.handleShell(ctx, msg) {
				k.abortQueued()
			}
		}
	}
}

// handleShell answers one shell request between busy and idle statuses.
// It returns false when queued execute requests must be aborted.
func (k *server) handleShell(ctx context.Context, msg *wire.Message) bool {
	return k.dispatch(ctx, "shell", shellHandlers, call{k, msg, k.shell, &k.shellMu})
}

// handleControl answers control requests; it runs on the control reader's
// goroutine, concurrently with the shell loop.
func (k *server) handleControl(msg *wire.Message) {
	k.dispatch(context.Background(), "control", controlHandlers, call{k, msg, k.control, &k.controlMu})
}

// dispatch runs the handler of c's message type between busy and idle
// statuses; a message of another type is logged and ignored.
func (k *server) dispatch(ctx context.Context, channel string, handlers map[string]handler, c call) (goOn bool) {
	goOn = true
	k.status(&c.msg.Header, "busy")
	defer k.status(&c.msg.Header, "idle")
	defer k.recoverHandler(c.msg)
	h, ok := handlers[c.msg.Header.MsgType]
	if !ok {
		k.warnf("%s: ignoring unknown message type %q", channel, c.msg.Header.MsgType)
		return goOn
	}
	return h(k, ctx, c)
}

// recoverHandler keeps a bug in a handler (or a panic escaping the engine)
// from killing the kernel.
func (k *server) recoverHandler(msg *wire.Message) {
	if r := recover(); r != nil {
		k.warnf("handling %s: panic: %v\n%s", msg.Header.MsgType, r, debug.Stack())
	}
}

// handleStdin takes the input_reply messages of the stdin channel.
func (k *server) handleStdin(msg *wire.Message) {
	if msg.Header.MsgType != "input_reply" {
		k.warnf("stdin: ignoring %q", msg.Header.MsgType)
		return
	}
	select {
	case k.inputReply <- msg:
	default:
		k.warnf("stdin: dropping an input_reply nobody waits for")
	}
}
