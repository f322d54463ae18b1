package kernel

import (
	"context"
	"runtime/debug"

	"github.com/subspace-kernel/subspace/kernel/transport"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// call is a request being handled: the message and the socket its reply
// goes to.
type call struct {
	k    *server
	msg  *wire.Message
	sock transport.Socket
}

// reply answers the request on its socket.
func (c call) reply(content wire.Content) { c.k.reply(c.sock, c.msg, content) }

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

// controlNow are the control requests answered at once, on the control
// reader's goroutine, even while a cell runs. The other requests shell
// accepts are accepted on control too (as ipykernel does) and queued with
// the shell requests, since they use the engine; their replies go back on
// control.
var controlNow = map[string]handler{
	"interrupt_request":   (*server).interruptRequest,
	"shutdown_request":    (*server).shutdownRequest,
	"kernel_info_request": (*server).kernelInfoRequest,
	"comm_info_request":   (*server).commInfoRequest,
}

// shellLoop processes shell requests one at a time, in arrival order.
func (k *server) shellLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.done:
			return
		case c := <-k.shellQ:
			if !k.handleShell(ctx, c) {
				k.abortQueued()
			}
		}
	}
}

// queueShell queues a request received on shell.
func (k *server) queueShell(msg *wire.Message) { k.shellQ <- call{k, msg, k.shell} }

// handleShell answers one queued request between busy and idle statuses.
// It returns false when queued execute requests must be aborted.
func (k *server) handleShell(ctx context.Context, c call) bool {
	return k.dispatch(ctx, "shell", shellHandlers, c)
}

// handleControl answers the requests of controlNow at once and queues the
// other ones shell accepts; it runs on the control reader's goroutine,
// concurrently with the shell loop.
func (k *server) handleControl(msg *wire.Message) {
	c := call{k, msg, k.control}
	t := msg.Header.MsgType
	if _, now := controlNow[t]; now {
		k.dispatch(context.Background(), "control", controlNow, c)
		return
	}
	if _, ok := shellHandlers[t]; !ok {
		k.dropf("control: ignoring unknown message type %q", t)
		return
	}
	select {
	case k.shellQ <- c:
	default:
		k.dropf("control: dropping %s: %d requests are queued", t, cap(k.shellQ))
	}
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
		k.dropf("%s: ignoring unknown message type %q", channel, c.msg.Header.MsgType)
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
		k.dropf("stdin: ignoring %q", msg.Header.MsgType)
		return
	}
	select {
	case k.inputReply <- msg:
	default:
		k.dropf("stdin: dropping an input_reply nobody waits for")
	}
}
