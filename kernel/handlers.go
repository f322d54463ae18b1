package kernel

import (
	"context"

	"github.com/subspace-kernel/subspace/kernel/wire"
)

// The handlers of the requests other than execute_request, named after
// their message types.

func (k *server) kernelInfoRequest(ctx context.Context, c call) bool {
	c.reply(wire.NewKernelInfoReply(Version, k.cfg.banner))
	return true
}

// cursorRequest is the content of complete_request and inspect_request.
type cursorRequest struct {
	Code        string `json:"code"`
	CursorPos   *int   `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

// decodeCursor reads a cursorRequest; the cursor defaults to the end of
// the code (in code points). A bad request is answered with an error
// reply of replyType.
func (c call) decodeCursor(replyType string) (req cursorRequest, cursor int, ok bool) {
	if err := c.msg.DecodeContent(&req); err != nil {
		c.k.warnf("%v", err)
		c.reply(wire.NewErrorReply(replyType, "BadRequest", err))
		return req, 0, false
	}
	cursor = len([]rune(req.Code))
	if req.CursorPos != nil {
		cursor = *req.CursorPos
	}
	return req, cursor, true
}

func (k *server) completeRequest(ctx context.Context, c call) bool {
	if req, cursor, ok := c.decodeCursor("complete_reply"); ok {
		c.reply(wire.NewCompleteReply(k.engine.Complete(req.Code, cursor)))
	}
	return true
}

func (k *server) inspectRequest(ctx context.Context, c call) bool {
	if req, cursor, ok := c.decodeCursor("inspect_reply"); ok {
		c.reply(wire.NewInspectReply(k.engine.Inspect(req.Code, cursor, req.DetailLevel)))
	}
	return true
}

func (k *server) isCompleteRequest(ctx context.Context, c call) bool {
	var req struct {
		Code string `json:"code"`
	}
	if err := c.msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		c.reply(wire.NewIsCompleteReply("unknown", ""))
		return true
	}
	c.reply(wire.NewIsCompleteReply(k.engine.IsComplete(req.Code)))
	return true
}

func (k *server) historyRequest(ctx context.Context, c call) bool {
	var req historyQuery
	if err := c.msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		c.reply(wire.NewErrorReply("history_reply", "BadRequest", err))
		return true
	}
	c.reply(wire.NewHistoryReply(k.history.query(req)))
	return true
}

func (k *server) commInfoRequest(ctx context.Context, c call) bool {
	c.reply(wire.NewCommInfoReply())
	return true
}

// commOpen closes the comm at once: no comm targets are registered.
func (k *server) commOpen(ctx context.Context, c call) bool {
	var req struct {
		CommID string `json:"comm_id"`
		Target string `json:"target_name"`
	}
	if err := c.msg.DecodeContent(&req); err != nil {
		k.warnf("comm_open: %v", err)
		return true
	}
	k.debugf("comm_open to unknown target %q: closing", req.Target)
	k.publish(&c.msg.Header, wire.CommClose{CommID: req.CommID, Data: map[string]any{}})
	return true
}

// commIgnored takes comm_msg and comm_close: no comms are open.
func (k *server) commIgnored(ctx context.Context, c call) bool {
	k.debugf("ignoring %s: no comms are open", c.msg.Header.MsgType)
	return true
}

func (k *server) shutdownRequest(ctx context.Context, c call) bool {
	var req struct {
		Restart bool `json:"restart"`
	}
	if err := c.msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
	}
	k.interrupt()
	c.reply(wire.NewShutdownReply(req.Restart))
	k.stop()
	return true
}

func (k *server) interruptRequest(ctx context.Context, c call) bool {
	k.interrupt()
	c.reply(wire.NewInterruptReply())
	return true
}
