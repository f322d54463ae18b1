package kernel

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// executeRequestContent is the content of an execute_request.
type executeRequestContent struct {
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

// executeRequest runs an execute_request and reports whether execution
// should continue with queued requests (false: an error with
// stop_on_error).
func (k *server) executeRequest(ctx context.Context, c call) bool {
	var req executeRequestContent
	if err := c.msg.DecodeContent(&req); err != nil {
		k.warnf("%v", err)
		c.reply(wire.NewExecuteReply(k.execCount, &api.Error{Name: "BadRequest", Value: err.Error(), Traceback: []string{err.Error()}}, nil))
		return true
	}
	store := boolOr(req.StoreHistory, true) && !req.Silent
	if store {
		k.execCount++
	}
	count := k.execCount
	parent := &c.msg.Header
	if !req.Silent {
		k.publish(parent, wire.ExecuteInput{Code: req.Code, ExecutionCount: count})
	}

	cctx, cancel := context.WithCancel(ctx)
	k.setCurrent(&request{msg: c.msg, allowStdin: boolOr(req.AllowStdin, true), ctx: cctx, cancel: cancel})
	res := k.runEngine(cctx, api.ExecuteRequest{Code: req.Code, Silent: req.Silent})
	k.setCurrent(nil)
	cancel()
	k.streams.Flush()

	var output *string
	if res.Err == nil && res.Value != nil && !req.Silent {
		k.publish(parent, wire.NewExecuteResult(count, *res.Value))
		t := res.Value.PlainText()
		output = &t
	}
	if store {
		k.history.add(count, req.Code, output)
	}
	if res.Err != nil {
		k.publish(parent, wire.NewErrorOutput(res.Err))
		c.reply(wire.NewExecuteReply(count, res.Err, nil))
		return !boolOr(req.StopOnError, true)
	}
	c.reply(wire.NewExecuteReply(count, nil, k.userExpressions(ctx, req.UserExpressions)))
	return true
}

// runEngine calls the engine's Execute, turning a panic that escapes it
// into an error result.
func (k *server) runEngine(ctx context.Context, req api.ExecuteRequest) (res api.ExecuteResult) {
	defer func() {
		if r := recover(); r != nil {
			k.warnf("engine panic: %v\n%s", r, debug.Stack())
			res = api.ExecuteResult{Err: &api.Error{Name: "InternalError", Value: fmt.Sprint(r),
				Traceback: []string{fmt.Sprintf("internal error in the kernel: %v", r)}}}
		}
	}()
	return k.engine.Execute(ctx, req)
}

// userExpressions evaluates the user expressions of an execute_request.
func (k *server) userExpressions(ctx context.Context, exprs map[string]string) map[string]wire.ExpressionResult {
	out := map[string]wire.ExpressionResult{}
	for name, expr := range exprs {
		out[name] = wire.NewExpressionResult(k.evalSafe(ctx, expr))
	}
	return out
}

func (k *server) evalSafe(ctx context.Context, expr string) (b api.Bundle, e *api.Error) {
	defer func() {
		if r := recover(); r != nil {
			e = &api.Error{Name: "panic", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprint(r)}}
		}
	}()
	return k.engine.Evaluate(ctx, expr)
}

// abortQueued answers every execute_request already queued with status
// "aborted" (as ipykernel does after an error with stop_on_error); other
// queued requests are processed normally. The queue is taken before the
// first answer goes out, so that a request the client sends after it
// learnt of the error is not aborted.
func (k *server) abortQueued() {
	var queued []call
	for len(queued) < cap(k.shellQ) {
		select {
		case c := <-k.shellQ:
			queued = append(queued, c)
			continue
		default:
		}
		break
	}
	for _, c := range queued {
		if c.msg.Header.MsgType != "execute_request" {
			k.handleShell(context.Background(), c)
			continue
		}
		k.status(&c.msg.Header, "busy")
		k.debugf("aborting %s", c.msg.Header.MsgID)
		c.reply(wire.NewAbortedReply())
		k.status(&c.msg.Header, "idle")
	}
}
