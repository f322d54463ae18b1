package kernel

import (
	"testing"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/kernel/transport"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// TestReplayedRequestRunsOnce sends one signed execute_request three
// times: it runs once, and the next request is the second execution.
func TestReplayedRequestRunsOnce(t *testing.T) {
	c := startKernel(t)
	m, _ := wire.New("execute_request", c.session, "tester", nil, nil, map[string]any{"code": "print once", "silent": false})
	fr, _ := m.Frames(c.signer)
	for range 3 {
		if err := c.shell.Send(zmq4.NewMsgFrom(fr...)); err != nil {
			t.Fatal(err)
		}
	}
	first := c.recv(c.shell)
	if first.Parent.MsgID != m.Header.MsgID || content(t, first)["execution_count"] != 1.0 {
		t.Fatalf("first reply %v to %s", content(t, first), first.Parent.MsgID)
	}
	// execute fails if a reply to a replay comes first.
	rep, _ := c.execute("value next", nil)
	if got := content(t, rep)["execution_count"]; got != 2.0 {
		t.Errorf("execution_count after the replays = %v, want 2", got)
	}
}

// TestControlAcceptsShellRequests: requests of shell sent on control are
// answered on control.
func TestControlAcceptsShellRequests(t *testing.T) {
	c := startKernel(t)
	for _, r := range []struct {
		msgType string
		content map[string]any
		check   func(map[string]any) bool
	}{
		{"execute_request", map[string]any{"code": "value on control"}, func(m map[string]any) bool { return m["status"] == "ok" }},
		{"complete_request", map[string]any{"code": "fmt.Print", "cursor_pos": 9}, func(m map[string]any) bool { return m["status"] == "ok" }},
		{"is_complete_request", map[string]any{"code": "func f() {"}, func(m map[string]any) bool { return m["status"] == "incomplete" }},
		{"comm_info_request", map[string]any{}, func(m map[string]any) bool { return m["status"] == "ok" }},
		{"kernel_info_request", map[string]any{}, func(m map[string]any) bool { return m["status"] == "ok" }},
	} {
		id := c.send(c.control, r.msgType, r.content)
		rep := c.recv(c.control)
		want := r.msgType[:len(r.msgType)-len("request")] + "reply"
		if rep.Parent.MsgID != id || rep.Header.MsgType != want || !r.check(content(t, rep)) {
			t.Errorf("%s on control: %s %v", r.msgType, rep.Header.MsgType, content(t, rep))
		}
	}
}

// TestEveryTransport runs requests through each transport backend built
// in (libzmq and the pure Go one with cgo; the pure Go one without).
func TestEveryTransport(t *testing.T) {
	for _, b := range transport.Available() {
		t.Run(string(b), func(t *testing.T) {
			c := startKernelOn(t, "tcp", WithTransport(b))
			rep, out := c.execute("big", nil)
			if content(t, rep)["status"] != "ok" {
				t.Fatalf("reply %v", content(t, rep))
			}
			text := ""
			for _, m := range out {
				if m.Header.MsgType == "stream" {
					text += content(t, m)["text"].(string)
				}
			}
			if len([]rune(text)) != 20000 {
				t.Errorf("%d runes of output, want 20000", len([]rune(text)))
			}
			c.hb.Send(zmq4.NewMsgString("ping"))
			if m, err := c.hb.Recv(); err != nil || string(m.Frames[0]) != "ping" {
				t.Errorf("heartbeat %v %v", m, err)
			}
		})
	}
}
