package kernel

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

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
// It returns false when queued execute requests must be aborted (an error
// with stop_on_error).
func (k *server) handleShell(ctx context.Context, msg *wire.Message) (goOn bool) {
	goOn = true
	k.status(&msg.Header, "busy")
	defer k.status(&msg.Header, "idle")
	defer k.recoverHandler(msg)
	reply := func(t string, c any) { k.reply(k.shell, &k.shellMu, msg, t, c) }
	switch msg.Header.MsgType {
	case "execute_request":
		goOn = k.execute(ctx, msg)
	case "kernel_info_request":
		reply("kernel_info_reply", k.kernelInfo())
	case "complete_request":
		k.complete(msg, reply)
	case "inspect_request":
		k.inspect(msg, reply)
	case "is_complete_request":
		k.isComplete(msg, reply)
	case "history_request":
		k.historyRequest(msg, reply)
	case "comm_info_request":
		reply("comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		// No comm targets are registered: close the comm at once.
		var c struct {
			CommID string `json:"comm_id"`
			Target string `json:"target_name"`
		}
		if err := msg.DecodeContent(&c); err != nil {
			k.warnf("comm_open: %v", err)
			return goOn
		}
		k.debugf("comm_open to unknown target %q: closing", c.Target)
		k.publish(&msg.Header, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
		k.debugf("ignoring %s: no comms are open", msg.Header.MsgType)
	case "shutdown_request":
		k.shutdown(msg, reply)
	default:
		k.warnf("shell: ignoring unknown message type %q", msg.Header.MsgType)
	}
	return goOn
}

// handleControl answers control requests; it runs on the control reader's
// goroutine, concurrently with the shell loop.
func (k *server) handleControl(msg *wire.Message) {
	k.status(&msg.Header, "busy")
	defer k.status(&msg.Header, "idle")
	defer k.recoverHandler(msg)
	reply := func(t string, c any) { k.reply(k.control, &k.controlMu, msg, t, c) }
	switch msg.Header.MsgType {
	case "interrupt_request":
		k.interrupt()
		reply("interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		k.shutdown(msg, reply)
	case "kernel_info_request":
		reply("kernel_info_reply", k.kernelInfo())
	default:
		k.warnf("control: ignoring unknown message type %q", msg.Header.MsgType)
	}
}

// recoverHandler keeps a bug in a handler (or a panic escaping the engine)
// from killing the kernel.
func (k *server) recoverHandler(msg *wire.Message) {
	if r := recover(); r != nil {
		k.warnf("handling %s: panic: %v\n%s", msg.Header.MsgType, r, debug.Stack())
	}
}

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

func (k *server) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       wire.ProtocolVersion,
		"implementation":         "subspace",
		"implementation_version": Version,
		"language_info": map[string]any{
			"name":            "go",
			"version":         strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":        "text/x-go",
			"file_extension":  ".go",
			"pygments_lexer":  "go",
			"codemirror_mode": "go",
		},
		"banner":   k.cfg.banner,
		"debugger": false,
		"help_links": []map[string]string{
			{"text": "Go documentation", "url": "https://go.dev/doc/"},
			{"text": "Go standard library", "url": "https://pkg.go.dev/std"},
			{"text": "yaegi", "url": "https://github.com/traefik/yaegi"},
		},
	}
}

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// execute runs an execute_request and reports whether execution should
// continue with queued requests (false: an error with stop_on_error).
func (k *server) execute(ctx context.Context, msg *wire.Message) bool {
	var req executeRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		k.reply(k.shell, &k.shellMu, msg, "execute_reply", map[string]any{
			"status": "error", "execution_count": k.execCount,
			"ename": "BadRequest", "evalue": err.Error(), "traceback": []string{err.Error()},
		})
		return true
	}
	store := boolOr(req.StoreHistory, true) && !req.Silent
	if store {
		k.execCount++
	}
	count := k.execCount
	parent := &msg.Header
	if !req.Silent {
		k.publish(parent, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}

	cctx, cancel := context.WithCancel(ctx)
	r := &request{msg: msg, allowStdin: boolOr(req.AllowStdin, true), ctx: cctx, cancel: cancel}
	k.setCurrent(r)
	res := k.runEngine(cctx, req.Code)
	k.curMu.Lock()
	k.cur = nil
	k.curMu.Unlock()
	cancel()
	k.streams.Flush()

	var output *string
	ok := res.Err == nil
	if ok && res.HasValue && !req.Silent {
		b, err := safeRender(res.Value)
		if err != nil {
			ok = false
			res.Err = err
		} else {
			k.publish(parent, "execute_result", map[string]any{
				"execution_count": count, "data": b.Data, "metadata": metadataOf(b),
			})
			t := b.PlainText()
			output = &t
		}
	}
	if store {
		k.history.add(count, req.Code, output)
	}
	if !ok {
		e := res.Err
		tb := e.Traceback
		if tb == nil {
			tb = []string{}
		}
		k.publish(parent, "error", map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb})
		k.reply(k.shell, &k.shellMu, msg, "execute_reply", map[string]any{
			"status": "error", "execution_count": count,
			"ename": e.Name, "evalue": e.Value, "traceback": tb,
			"user_expressions": map[string]any{}, "payload": []any{},
		})
		return !boolOr(req.StopOnError, true)
	}
	k.reply(k.shell, &k.shellMu, msg, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count,
		"user_expressions": k.userExpressions(ctx, req.UserExpressions),
		"payload":          []any{},
	})
	return true
}

// runEngine calls the engine's Execute, turning a panic that escapes it
// into an error result.
func (k *server) runEngine(ctx context.Context, code string) (res ExecResult) {
	defer func() {
		if r := recover(); r != nil {
			k.warnf("engine panic: %v\n%s", r, debug.Stack())
			res = ExecResult{Err: &ExecError{Name: "InternalError", Value: fmt.Sprint(r),
				Traceback: []string{fmt.Sprintf("internal error in the kernel: %v", r)}}}
		}
	}()
	return k.engine.Execute(ctx, code)
}

// safeRender renders v, reporting a panic in a user's DisplayBundle method
// as an error.
func safeRender(v any) (b display.Bundle, e *ExecError) {
	defer func() {
		if r := recover(); r != nil {
			e = &ExecError{Name: "DisplayError", Value: fmt.Sprintf("rendering %T: %v", v, r),
				Traceback: []string{fmt.Sprintf("panic while rendering a %T: %v", v, r)}}
		}
	}()
	return display.Render(v), nil
}

func metadataOf(b display.Bundle) map[string]any {
	if b.Metadata == nil {
		return map[string]any{}
	}
	return b.Metadata
}

func (k *server) userExpressions(ctx context.Context, exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, expr := range exprs {
		v, err := k.evalSafe(ctx, expr)
		if err != nil {
			e, ok := err.(*ExecError)
			if !ok {
				e = &ExecError{Name: "EvalError", Value: err.Error(), Traceback: []string{err.Error()}}
			}
			out[name] = map[string]any{"status": "error", "ename": e.Name, "evalue": e.Value, "traceback": e.Traceback}
			continue
		}
		b, rerr := safeRender(v)
		if rerr != nil {
			out[name] = map[string]any{"status": "error", "ename": rerr.Name, "evalue": rerr.Value, "traceback": rerr.Traceback}
			continue
		}
		out[name] = map[string]any{"status": "ok", "data": b.Data, "metadata": metadataOf(b)}
	}
	return out
}

func (k *server) evalSafe(ctx context.Context, expr string) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ExecError{Name: "panic", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprint(r)}}
		}
	}()
	return k.engine.Eval(ctx, expr)
}

// abortQueued answers every execute_request already queued with status
// "aborted" (as ipykernel does after an error with stop_on_error); other
// queued requests are processed normally.
func (k *server) abortQueued() {
	for {
		select {
		case msg := <-k.shellQ:
			if msg.Header.MsgType != "execute_request" {
				k.handleShell(context.Background(), msg)
				continue
			}
			k.status(&msg.Header, "busy")
			k.debugf("aborting %s", msg.Header.MsgID)
			k.reply(k.shell, &k.shellMu, msg, "execute_reply", map[string]any{"status": "aborted"})
			k.status(&msg.Header, "idle")
		default:
			return
		}
	}
}

func (k *server) complete(msg *wire.Message, reply func(string, any)) {
	var req struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		reply("complete_reply", errorContent("BadRequest", err))
		return
	}
	cursor := len([]rune(req.Code))
	if req.CursorPos != nil {
		cursor = *req.CursorPos
	}
	c := k.engine.Complete(req.Code, cursor)
	matches := c.Matches
	if matches == nil {
		matches = []string{}
	}
	types := make([]map[string]any, 0, len(matches))
	for i, m := range matches {
		t := ""
		if i < len(c.Types) {
			t = c.Types[i]
		}
		types = append(types, map[string]any{"start": c.CursorStart, "end": c.CursorEnd, "text": m, "type": t})
	}
	reply("complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": c.CursorStart, "cursor_end": c.CursorEnd,
		"metadata": map[string]any{"_jupyter_types_experimental": types},
	})
}

func (k *server) inspect(msg *wire.Message, reply func(string, any)) {
	var req struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		reply("inspect_reply", errorContent("BadRequest", err))
		return
	}
	cursor := len([]rune(req.Code))
	if req.CursorPos != nil {
		cursor = *req.CursorPos
	}
	in := k.engine.Inspect(req.Code, cursor, req.DetailLevel)
	data := map[string]any{}
	if in.Found {
		data["text/plain"] = in.Text
		if in.Markdown != "" {
			data["text/markdown"] = in.Markdown
		}
	}
	reply("inspect_reply", map[string]any{"status": "ok", "found": in.Found, "data": data, "metadata": map[string]any{}})
}

func (k *server) isComplete(msg *wire.Message, reply func(string, any)) {
	var req struct {
		Code string `json:"code"`
	}
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		reply("is_complete_reply", map[string]any{"status": "unknown"})
		return
	}
	status, indent := k.engine.IsComplete(req.Code)
	c := map[string]any{"status": status}
	if status == "incomplete" {
		c["indent"] = indent
	}
	reply("is_complete_reply", c)
}

func (k *server) historyRequest(msg *wire.Message, reply func(string, any)) {
	var req historyQuery
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		reply("history_reply", errorContent("BadRequest", err))
		return
	}
	reply("history_reply", map[string]any{"status": "ok", "history": k.history.query(req)})
}

func (k *server) shutdown(msg *wire.Message, reply func(string, any)) {
	var req struct {
		Restart bool `json:"restart"`
	}
	if err := msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
	}
	k.interrupt()
	reply("shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart})
	k.stop()
}

func errorContent(name string, err error) map[string]any {
	return map[string]any{"status": "error", "ename": name, "evalue": err.Error(), "traceback": []string{err.Error()}}
}
