package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// fakeEngine understands a few one-line commands, enough to exercise the
// kernel's message flow without the yaegi interpreter.
type fakeEngine struct {
	cfg     EngineConfig
	release chan struct{} // closed by tests to let "printwait" finish
	vars    map[string]any
}

// sinkWriter writes to a stream of the kernel's sink.
type sinkWriter struct {
	sink api.Sink
	name string
}

func (w sinkWriter) Write(p []byte) (int, error) {
	w.sink.Stream(w.name, string(p))
	return len(p), nil
}

// bundle renders v as the cell engine does.
func bundle(v any) *api.Bundle {
	b := display.Render(v)
	return &b
}

func (e *fakeEngine) Execute(ctx context.Context, req api.ExecuteRequest) api.ExecuteResult {
	stdout, stderr := sinkWriter{e.cfg.Sink, "stdout"}, sinkWriter{e.cfg.Sink, "stderr"}
	cmd, arg, _ := strings.Cut(req.Code, " ")
	switch cmd {
	case "print":
		fmt.Fprint(stdout, arg)
	case "eprint":
		fmt.Fprint(stderr, arg)
	case "printwait":
		fmt.Fprint(stdout, arg)
		select {
		case <-e.release:
		case <-time.After(10 * time.Second):
			return api.ExecuteResult{Err: &api.Error{Name: "Timeout", Value: "not released"}}
		}
	case "value":
		return api.ExecuteResult{Value: bundle(arg)}
	case "mixed":
		fmt.Fprint(stdout, "a")
		fmt.Fprint(stderr, "b")
		fmt.Fprint(stdout, "c")
	case "big":
		// 40000 bytes of 2-byte runes written in odd-sized chunks, so that
		// both chunks and size-triggered flushes cut runes in half.
		b := []byte(strings.Repeat("é", 20000))
		for len(b) > 0 {
			n := min(4097, len(b))
			stdout.Write(b[:n])
			b = b[n:]
		}
	case "set":
		name, v, _ := strings.Cut(arg, "=")
		e.vars[name] = v
	case "sleep":
		<-ctx.Done()
		return api.ExecuteResult{Err: &api.Error{Name: "Interrupted", Value: "interrupted", Traceback: []string{"interrupted"}}}
	case "error":
		time.Sleep(100 * time.Millisecond) // so that the next request is queued
		return api.ExecuteResult{Err: &api.Error{Name: "TestError", Value: arg, Traceback: []string{"cell:1:1: " + arg}}}
	case "input":
		fmt.Fprint(stdout, "first line\n"+arg)
		line, err := e.cfg.Sink.Input("", false)
		if err != nil {
			return api.ExecuteResult{Err: &api.Error{Name: "StdinError", Value: err.Error()}}
		}
		return api.ExecuteResult{Value: bundle(strings.TrimSuffix(line, "\n"))}
	case "display":
		e.cfg.Sink.Display(display.HTML(arg).DisplayBundle(), "d1")
		e.cfg.Sink.Update(display.Markdown("*"+arg+"*").DisplayBundle(), "d1")
		e.cfg.Sink.ClearOutput(true)
	case "panic":
		panic("engine bug")
	}
	return api.ExecuteResult{}
}

func (e *fakeEngine) Evaluate(ctx context.Context, expr string) (api.Bundle, *api.Error) {
	if v, ok := e.vars[expr]; ok {
		return *bundle(v), nil
	}
	return api.Bundle{}, &api.Error{Name: "UndefinedError", Value: "undefined: " + expr, Traceback: []string{"undefined: " + expr}}
}

func (e *fakeEngine) Complete(code string, cursor int) api.Completion {
	return api.Completion{Matches: []string{"Println", "Printf"}, CursorStart: cursor - 5, CursorEnd: cursor, Types: []string{"func", "func"}}
}

func (e *fakeEngine) Inspect(code string, cursor, detail int) api.Inspection {
	if strings.Contains(code, "Println") {
		return api.Inspection{Found: true, Text: "func Println(a ...any)", Markdown: "`Println`"}
	}
	return api.Inspection{}
}

func (e *fakeEngine) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "\t"
	}
	return "complete", ""
}

type client struct {
	t                     *testing.T
	signer                *wire.Signer
	shell, control, stdin zmq4.Socket
	iopub, hb             zmq4.Socket
	iopubC                chan *wire.Message
	session               string
	runErr                chan error
	engine                *fakeEngine
}

func freePorts(t *testing.T, n int) []int {
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func startKernel(t *testing.T) *client { return startKernelOn(t, "tcp") }

func startKernelOn(t *testing.T, transport string, opts ...Option) *client {
	ports := freePorts(t, 5)
	ci := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: ports[0], IOPubPort: ports[1],
		StdinPort: ports[2], ControlPort: ports[3], HBPort: ports[4], SignatureScheme: "hmac-sha256", Key: "test-key"}
	if transport == "ipc" {
		ci.Transport, ci.IP = "ipc", filepath.Join(t.TempDir(), "kernel")
	}
	data, _ := json.Marshal(ci)
	path := filepath.Join(t.TempDir(), "kernel.json")
	os.WriteFile(path, data, 0o600)

	c := &client{t: t, session: wire.NewID(), runErr: make(chan error, 1), iopubC: make(chan *wire.Message, 1000),
		engine: &fakeEngine{release: make(chan struct{}), vars: map[string]any{}}}
	c.signer, _ = wire.NewSigner("hmac-sha256", "test-key")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logger := log.New(io.Discard, "", 0)
	if testing.Verbose() {
		logger = log.New(os.Stderr, "kernel: ", log.Lmicroseconds)
	}
	go func() {
		c.runErr <- Run(ctx, path, append([]Option{WithLogger(logger), WithEngine(func(cfg EngineConfig) (api.Engine, error) {
			c.engine.cfg = cfg
			return c.engine, nil
		})}, opts...)...)
	}()
	id := zmq4.WithID(zmq4.SocketIdentity(c.session))
	c.shell = zmq4.NewDealer(ctx, id)
	c.control = zmq4.NewDealer(ctx, id)
	c.stdin = zmq4.NewDealer(ctx, id)
	c.iopub = zmq4.NewSub(ctx)
	c.hb = zmq4.NewReq(ctx)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.stdin, ci.StdinPort}, {c.iopub, ci.IOPubPort}, {c.hb, ci.HBPort}} {
		var err error
		for try := 0; try < 100; try++ {
			if err = s.sock.Dial(ci.Endpoint(s.port)); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("dial %d: %v", s.port, err)
		}
	}
	c.iopub.SetOption(zmq4.OptionSubscribe, "")
	go func() {
		for {
			m, err := c.iopub.Recv()
			if err != nil {
				return
			}
			msg, err := wire.Parse(m.Frames, c.signer)
			if err != nil {
				t.Errorf("iopub message does not parse: %v", err)
				continue
			}
			c.iopubC <- msg
		}
	}()
	t.Cleanup(func() {
		for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub, c.hb} {
			s.Close()
		}
	})
	// Wait until iopub delivers (the subscription reached the kernel).
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.send(c.shell, "kernel_info_request", map[string]any{})
		c.recv(c.shell)
		select {
		case <-c.iopubC:
			c.drainIOPub()
			return c
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatal("iopub never delivered a message")
	return nil
}

func (c *client) drainIOPub() {
	for {
		select {
		case <-c.iopubC:
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

func (c *client) send(sock zmq4.Socket, msgType string, content any) string {
	c.t.Helper()
	m, err := wire.New(msgType, c.session, "tester", nil, nil, content)
	if err != nil {
		c.t.Fatal(err)
	}
	fr, _ := m.Frames(c.signer)
	if err := sock.Send(zmq4.NewMsgFrom(fr...)); err != nil {
		c.t.Fatal(err)
	}
	return m.Header.MsgID
}

func (c *client) recv(sock zmq4.Socket) *wire.Message {
	c.t.Helper()
	type res struct {
		m   zmq4.Msg
		err error
	}
	ch := make(chan res, 1)
	go func() { m, err := sock.Recv(); ch <- res{m, err} }()
	select {
	case r := <-ch:
		if r.err != nil {
			c.t.Fatal(r.err)
		}
		msg, err := wire.Parse(r.m.Frames, c.signer)
		if err != nil {
			c.t.Fatal(err)
		}
		return msg
	case <-time.After(10 * time.Second):
		c.t.Fatal("no reply within 10s")
	}
	return nil
}

// outputs returns the iopub messages of request id, from busy to idle.
func (c *client) outputs(id string) []*wire.Message {
	c.t.Helper()
	var out []*wire.Message
	for {
		select {
		case m := <-c.iopubC:
			if m.Parent == nil || m.Parent.MsgID != id {
				continue
			}
			out = append(out, m)
			if m.Header.MsgType == "status" && strings.Contains(string(m.Content), "idle") {
				return out
			}
		case <-time.After(10 * time.Second):
			c.t.Fatalf("no idle status for %s; got %v", id, types(out))
		}
	}
}

func types(ms []*wire.Message) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Header.MsgType)
	}
	return s
}

func content(t *testing.T, m *wire.Message) map[string]any {
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *client) execute(code string, extra map[string]any) (*wire.Message, []*wire.Message) {
	req := map[string]any{"code": code, "silent": false, "store_history": true, "allow_stdin": false, "stop_on_error": true, "user_expressions": map[string]any{}}
	for k, v := range extra {
		req[k] = v
	}
	id := c.send(c.shell, "execute_request", req)
	rep := c.recv(c.shell)
	if rep.Parent.MsgID != id {
		c.t.Fatalf("reply to %s, want %s", rep.Parent.MsgID, id)
	}
	return rep, c.outputs(id)
}

func TestKernelInfoAndExecute(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.control, "kernel_info_request", map[string]any{})
	rep := c.recv(c.control)
	info := content(t, rep)
	li := info["language_info"].(map[string]any)
	if rep.Parent.MsgID != id || info["protocol_version"] != "5.3" || info["implementation"] != "subspace" ||
		li["name"] != "go" || li["file_extension"] != ".go" || li["mimetype"] != "text/x-go" {
		t.Errorf("kernel_info_reply %v", info)
	}
	if got := types(c.outputs(id)); strings.Join(got, ",") != "status,status" {
		t.Errorf("control request iopub %v, want busy and idle", got)
	}

	tests := []struct {
		code      string
		extra     map[string]any
		wantCount float64
		wantTypes string
		check     func(*testing.T, []*wire.Message)
	}{
		{"value 42", nil, 1, "status,execute_input,execute_result,status", func(t *testing.T, out []*wire.Message) {
			r := content(t, out[2])
			if r["data"].(map[string]any)["text/plain"] != `"42"` || r["execution_count"] != 1.0 {
				t.Errorf("execute_result %v", r)
			}
		}},
		{"print hello, world\n", nil, 2, "status,execute_input,stream,status", func(t *testing.T, out []*wire.Message) {
			s := content(t, out[2])
			if s["name"] != "stdout" || s["text"] != "hello, world\n" {
				t.Errorf("stream %v", s)
			}
		}},
		{"eprint oops", nil, 3, "status,execute_input,stream,status", func(t *testing.T, out []*wire.Message) {
			if s := content(t, out[2]); s["name"] != "stderr" || s["text"] != "oops" {
				t.Errorf("stream %v", s)
			}
		}},
		{"value 1", map[string]any{"silent": true}, 3, "status,status", nil},
		{"value 2", map[string]any{"store_history": false}, 3, "status,execute_input,execute_result,status", nil},
		{"display <b>x</b>", nil, 4, "status,execute_input,display_data,update_display_data,clear_output,status", func(t *testing.T, out []*wire.Message) {
			d, u := content(t, out[2]), content(t, out[3])
			if d["data"].(map[string]any)["text/html"] != "<b>x</b>" || d["transient"].(map[string]any)["display_id"] != "d1" ||
				u["data"].(map[string]any)["text/markdown"] != "*<b>x</b>*" || u["transient"].(map[string]any)["display_id"] != "d1" ||
				content(t, out[4])["wait"] != true {
				t.Errorf("display messages %v %v", d, u)
			}
		}},
		{"panic", nil, 5, "status,execute_input,error,status", func(t *testing.T, out []*wire.Message) {
			if e := content(t, out[2]); e["ename"] != "InternalError" {
				t.Errorf("error %v", e)
			}
		}},
	}
	for _, tc := range tests {
		rep, out := c.execute(tc.code, tc.extra)
		rc := content(t, rep)
		if rc["execution_count"] != tc.wantCount {
			t.Errorf("%q: execution_count %v, want %v", tc.code, rc["execution_count"], tc.wantCount)
		}
		if got := strings.Join(types(out), ","); got != tc.wantTypes {
			t.Errorf("%q: iopub %s, want %s", tc.code, got, tc.wantTypes)
			continue
		}
		if s := content(t, out[0]); s["execution_state"] != "busy" {
			t.Errorf("%q: first status %v", tc.code, s)
		}
		if tc.check != nil {
			tc.check(t, out)
		}
	}
}

func TestStreamOrderAndUTF8(t *testing.T) {
	c := startKernel(t)
	_, out := c.execute("mixed", nil)
	var got []string
	for _, m := range out {
		if m.Header.MsgType == "stream" {
			s := content(t, m)
			got = append(got, s["name"].(string)+":"+s["text"].(string))
		}
	}
	if strings.Join(got, ",") != "stdout:a,stderr:b,stdout:c" {
		t.Errorf("streams %v, want stdout:a,stderr:b,stdout:c in order", got)
	}
	_, out = c.execute("big", nil)
	var text strings.Builder
	n := 0
	for _, m := range out {
		if m.Header.MsgType == "stream" {
			n++
			text.WriteString(content(t, m)["text"].(string))
		}
	}
	if text.String() != strings.Repeat("é", 20000) || n < 2 {
		t.Errorf("big output: %d messages, %d bytes, equal=%v", n, text.Len(), text.String() == strings.Repeat("é", 20000))
	}
}

func TestIPCTransport(t *testing.T) {
	c := startKernelOn(t, "ipc")
	rep, out := c.execute("value over ipc", nil)
	if content(t, rep)["status"] != "ok" || len(out) != 4 {
		t.Errorf("execute over ipc: %v %v", content(t, rep), types(out))
	}
}

func TestUserExpressionsAndQueries(t *testing.T) {
	c := startKernel(t)
	c.execute("set x=7", nil)
	rep, _ := c.execute("print", map[string]any{"user_expressions": map[string]any{"a": "x", "b": "nope"}})
	ue := content(t, rep)["user_expressions"].(map[string]any)
	a, b := ue["a"].(map[string]any), ue["b"].(map[string]any)
	if a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != `"7"` || b["status"] != "error" || b["ename"] != "UndefinedError" {
		t.Errorf("user_expressions %v", ue)
	}

	c.send(c.shell, "complete_request", map[string]any{"code": "fmt.Print", "cursor_pos": 9})
	cr := content(t, c.recv(c.shell))
	if cr["status"] != "ok" || len(cr["matches"].([]any)) != 2 || cr["cursor_start"] != 4.0 || cr["cursor_end"] != 9.0 {
		t.Errorf("complete_reply %v", cr)
	}
	c.send(c.shell, "inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 5, "detail_level": 0})
	ir := content(t, c.recv(c.shell))
	if ir["found"] != true || ir["data"].(map[string]any)["text/plain"] != "func Println(a ...any)" {
		t.Errorf("inspect_reply %v", ir)
	}
	c.send(c.shell, "is_complete_request", map[string]any{"code": "for {"})
	if ic := content(t, c.recv(c.shell)); ic["status"] != "incomplete" || ic["indent"] != "\t" {
		t.Errorf("is_complete_reply %v", ic)
	}
	c.send(c.shell, "comm_info_request", map[string]any{})
	if ci := content(t, c.recv(c.shell)); ci["status"] != "ok" || len(ci["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info_reply %v", ci)
	}
	id := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "nope", "data": map[string]any{}})
	out := c.outputs(id)
	if got := strings.Join(types(out), ","); got != "status,comm_close,status" || content(t, out[1])["comm_id"] != "c1" {
		t.Errorf("comm_open answered with %s", got)
	}
	// Unknown types are ignored, but still wrapped in busy/idle.
	id = c.send(c.shell, "no_such_request", map[string]any{})
	if got := strings.Join(types(c.outputs(id)), ","); got != "status,status" {
		t.Errorf("unknown request: %s", got)
	}
}

func TestStreamWhileRunning(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "printwait partial output", "silent": false})
	// The cell is blocked until we release it: the stream must come now.
	for {
		select {
		case m := <-c.iopubC:
			if m.Header.MsgType != "stream" {
				continue
			}
			if s := content(t, m); s["text"] != "partial output" || m.Parent.MsgID != id {
				t.Errorf("stream %v", s)
			}
			close(c.engine.release)
			if rc := content(t, c.recv(c.shell)); rc["status"] != "ok" {
				t.Errorf("reply %v", rc)
			}
			return
		case <-time.After(5 * time.Second):
			close(c.engine.release)
			t.Fatal("no stream message while the cell was running")
		}
	}
}

func TestStopOnErrorAbortsQueued(t *testing.T) {
	c := startKernel(t)
	req := func(code string, stop bool) string {
		return c.send(c.shell, "execute_request", map[string]any{"code": code, "stop_on_error": stop})
	}
	tests := []struct {
		stop bool
		want string
	}{{true, "aborted"}, {false, "ok"}}
	for _, tc := range tests {
		e := req("error boom", tc.stop)
		q := req("value 1", true)
		r1, r2 := c.recv(c.shell), c.recv(c.shell)
		c1, c2 := content(t, r1), content(t, r2)
		if r1.Parent.MsgID != e || c1["status"] != "error" || c1["ename"] != "TestError" || c1["evalue"] != "boom" {
			t.Errorf("stop_on_error=%v: error reply %v", tc.stop, c1)
		}
		if r2.Parent.MsgID != q || c2["status"] != tc.want {
			t.Errorf("stop_on_error=%v: queued request's reply %v, want status %s", tc.stop, c2, tc.want)
		}
		out := c.outputs(e)
		if got := strings.Join(types(out), ","); got != "status,execute_input,error,status" {
			t.Errorf("error iopub %s", got)
		}
		c.outputs(q) // busy/idle around the aborted request too
	}
	// Execution goes on afterwards.
	if rep, _ := c.execute("value 3", nil); content(t, rep)["status"] != "ok" {
		t.Errorf("execute after abort: %v", content(t, rep))
	}
}

func TestInterruptAndSignatures(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "sleep"})
	// Wait until the cell runs.
	for m := range c.iopubC {
		if m.Header.MsgType == "execute_input" && m.Parent.MsgID == id {
			break
		}
	}
	c.send(c.control, "interrupt_request", map[string]any{})
	if r := content(t, c.recv(c.control)); r["status"] != "ok" {
		t.Errorf("interrupt_reply %v", r)
	}
	if r := content(t, c.recv(c.shell)); r["status"] != "error" || r["ename"] != "Interrupted" {
		t.Errorf("interrupted cell's reply %v", r)
	}

	// A message with a bad signature and garbage frames are dropped.
	m, _ := wire.New("execute_request", c.session, "x", nil, nil, map[string]any{"code": "value bad"})
	fr, _ := m.Frames(c.signer)
	fr[1] = []byte(strings.Repeat("0", 64))
	c.shell.Send(zmq4.NewMsgFrom(fr...))
	c.shell.Send(zmq4.NewMsgFrom([]byte("garbage"), []byte{0xff}))
	if rep, _ := c.execute("value good", nil); content(t, rep)["status"] != "ok" {
		t.Errorf("execute after bad messages: %v", content(t, rep))
	}

	// Heartbeat echoes.
	c.hb.Send(zmq4.NewMsgString("ping"))
	if m, err := c.hb.Recv(); err != nil || string(m.Frames[0]) != "ping" {
		t.Errorf("heartbeat %v %v", m, err)
	}
}

func TestStdin(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "input name? ", "allow_stdin": true})
	ir := c.recv(c.stdin)
	if ir.Header.MsgType != "input_request" || ir.Parent.MsgID != id {
		t.Fatalf("got %s for %s", ir.Header.MsgType, ir.Parent.MsgID)
	}
	if r := content(t, ir); r["prompt"] != "name? " || r["password"] != false {
		t.Errorf("input_request %v", r)
	}
	m, _ := wire.New("input_reply", c.session, "tester", &ir.Header, nil, map[string]any{"value": "Ada"})
	fr, _ := m.Frames(c.signer)
	c.stdin.Send(zmq4.NewMsgFrom(fr...))
	if r := content(t, c.recv(c.shell)); r["status"] != "ok" {
		t.Errorf("reply %v", r)
	}
	out := c.outputs(id)
	var texts []string
	for _, m := range out {
		cm := content(t, m)
		switch m.Header.MsgType {
		case "stream":
			texts = append(texts, cm["text"].(string))
		case "execute_result":
			texts = append(texts, cm["data"].(map[string]any)["text/plain"].(string))
		}
	}
	if got := strings.Join(texts, "|"); got != `first line
|"Ada"` {
		t.Errorf("outputs %q", got)
	}

	// An interrupt ends the wait for input.
	id = c.send(c.shell, "execute_request", map[string]any{"code": "input wait? ", "allow_stdin": true})
	if ir := c.recv(c.stdin); ir.Parent.MsgID != id {
		t.Fatalf("input_request for %s", ir.Parent.MsgID)
	}
	c.send(c.control, "interrupt_request", map[string]any{})
	c.recv(c.control)
	if r := content(t, c.recv(c.shell)); r["status"] != "error" || r["evalue"] != "input interrupted" {
		t.Errorf("interrupted input: %v", r)
	}
	c.outputs(id)

	rep, _ := c.execute("input x", map[string]any{"allow_stdin": false})
	if r := content(t, rep); r["status"] != "error" || !strings.Contains(r["evalue"].(string), ErrNoStdin.Error()) {
		t.Errorf("input without allow_stdin: %v", r)
	}
}

func TestHistoryAndShutdown(t *testing.T) {
	c := startKernel(t)
	for _, code := range []string{"value 1", "value 2", "value 1", "print a"} {
		c.execute(code, nil)
	}
	n := func(i int) *int { return &i }
	tests := []struct {
		q    map[string]any
		want string
	}{
		{map[string]any{"hist_access_type": "tail", "n": 2, "output": false, "raw": true}, `[[1,3,"value 1"],[1,4,"print a"]]`},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true}, `[[1,4,["print a",null]]]`},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 3, "output": true, "raw": true}, `[[1,2,["value 2","\"2\""]]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "value*", "output": false, "raw": true}, `[[1,1,"value 1"],[1,2,"value 2"],[1,3,"value 1"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "value*", "unique": true, "output": false, "raw": true}, `[[1,2,"value 2"],[1,3,"value 1"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "value ?", "n": *n(1), "output": false, "raw": true}, `[[1,3,"value 1"]]`},
	}
	for _, tc := range tests {
		c.send(c.shell, "history_request", tc.q)
		r := content(t, c.recv(c.shell))
		got, _ := json.Marshal(r["history"])
		if string(got) != tc.want {
			t.Errorf("%v: history %s, want %s", tc.q, got, tc.want)
		}
	}
	c.send(c.control, "shutdown_request", map[string]any{"restart": true})
	if r := content(t, c.recv(c.control)); r["status"] != "ok" || r["restart"] != true {
		t.Errorf("shutdown_reply %v", r)
	}
	select {
	case err := <-c.runErr:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Run did not return after shutdown_request")
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"*", "a\nb", true}, {"a*", "abc", true}, {"a*", "bac", false},
		{"*c", "abc", true}, {"a?c", "abc", true}, {"a?c", "ac", false}, {"[ab]x", "bx", true},
		{"[^ab]x", "bx", false}, {"[a-c]*", "b99", true}, {"[a-c]*", "d", false}, {"x[", "x[", true},
		{"*1+1*", "y := 1+1", true}, {"ünï*", "ünïcode", true}, {"a*b*c", "aXbYbZc", true}, {"a*b*c", "aXbYbZ", false},
		{"[]]", "]", true},
	}
	for _, tc := range tests {
		if got := globMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestCompleteUTF8(t *testing.T) {
	e := []byte("é") // 2 bytes
	tests := []struct {
		b    []byte
		want int
	}{{[]byte("abc"), 3}, {append([]byte("a"), e[0]), 1}, {append([]byte("a"), e...), 3}, {[]byte("€")[:2], 0}, {nil, 0}}
	for _, tc := range tests {
		if got := completeUTF8(tc.b); got != tc.want {
			t.Errorf("completeUTF8(%q) = %d, want %d", tc.b, got, tc.want)
		}
	}
}
