package zmtp

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// recorder is a net.Conn that keeps every Write.
type recorder struct {
	net.Conn
	writes [][]byte
}

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, append([]byte(nil), p...))
	return len(p), nil
}

// frame returns the ZMTP header of a frame of size n with flags.
func frame(flags byte, n int) []byte {
	if n > 255 {
		h := make([]byte, 9)
		h[0] = flags | flagLong
		binary.BigEndian.PutUint64(h[1:], uint64(n))
		return h
	}
	return []byte{flags, byte(n)}
}

// TestCoalesce writes a greeting, a command and messages piece by piece as
// zmq4 does (header, then body; the greeting in two parts) and checks that
// each reaches the connection as one write, unchanged.
func TestCoalesce(t *testing.T) {
	rec := &recorder{}
	c := NewConn(rec)
	greeting := bytes.Repeat([]byte{7}, greetingSize)
	long := bytes.Repeat([]byte("x"), 300)
	var want [][]byte
	var writes [][]byte
	add := func(parts ...[]byte) {
		want = append(want, bytes.Join(parts, nil))
		writes = append(writes, parts...)
	}
	add(greeting[:10], greeting[10:])
	add(frame(flagCommand, 5), []byte("READY"))
	add(frame(flagMore, 3), []byte("id1"), frame(flagMore, 0), frame(0, 300), long)
	add(frame(0, 2), []byte("ok"))
	add(frame(flagCommand|flagLong, 300)[:4], frame(flagCommand|flagLong, 300)[4:], long[:100], long[100:])
	for _, w := range writes {
		if n, err := c.Write(w); err != nil || n != len(w) {
			t.Fatalf("Write(%d bytes) = %d, %v", len(w), n, err)
		}
	}
	if len(rec.writes) != len(want) {
		t.Fatalf("%d writes reached the connection, want %d (one per greeting, command and message)", len(rec.writes), len(want))
	}
	for i := range want {
		if !bytes.Equal(rec.writes[i], want[i]) {
			t.Fatalf("write %d = %q, want %q", i, rec.writes[i], want[i])
		}
	}
	// A whole message in one call is one write too.
	rec.writes = nil
	c.Write(bytes.Join([][]byte{frame(flagMore, 1), []byte("a"), frame(0, 1), []byte("b")}, nil))
	if len(rec.writes) != 1 {
		t.Fatalf("a message written at once took %d writes", len(rec.writes))
	}
}

// TestZMQ runs a ROUTER and a PUB bound through the transport against
// DEALER and SUB clients of zmq4's own tcp transport: multipart messages go
// both ways.
func TestZMQ(t *testing.T) {
	Register()
	Register() // a second call does nothing
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	router := zmq4.NewRouter(ctx, zmq4.WithID(zmq4.SocketIdentity("router")))
	defer router.Close()
	if err := router.Listen(fmt.Sprintf("%s://127.0.0.1:%d", TCP, port)); err != nil {
		t.Fatal(err)
	}
	dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("dealer")))
	defer dealer.Close()
	if err := dealer.Dial(fmt.Sprintf("tcp://127.0.0.1:%d", port)); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("z"), 100000)
	for i := 0; i < 20; i++ {
		if err := dealer.Send(zmq4.NewMsgFrom([]byte("req"), big[:i*997])); err != nil {
			t.Fatal(err)
		}
		m, err := router.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Frames) != 3 || string(m.Frames[0]) != "dealer" || string(m.Frames[1]) != "req" || len(m.Frames[2]) != i*997 {
			t.Fatalf("router received %d frames", len(m.Frames))
		}
		if err := router.SendMulti(zmq4.NewMsgFrom([]byte("dealer"), []byte("rep"), big[:i*1013])); err != nil {
			t.Fatal(err)
		}
		r, err := dealer.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Frames) != 2 || string(r.Frames[0]) != "rep" || len(r.Frames[1]) != i*1013 {
			t.Fatalf("dealer received %d frames", len(r.Frames))
		}
	}
	pub := zmq4.NewPub(ctx)
	defer pub.Close()
	if err := pub.Listen(fmt.Sprintf("%s://127.0.0.1:%d", TCP, port+0)); err == nil {
		t.Fatal("listening twice on a port must fail")
	}
	sock := t.TempDir() + "/s"
	if err := pub.Listen(IPC + "://" + sock); err != nil {
		t.Fatal(err)
	}
	sub := zmq4.NewSub(ctx)
	defer sub.Close()
	if err := sub.Dial("ipc://" + sock); err != nil {
		t.Fatal(err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	// A subscription takes effect asynchronously: publish until one arrives.
	got := make(chan zmq4.Msg, 1)
	go func() {
		m, err := sub.Recv()
		if err == nil {
			got <- m
		}
	}()
	for {
		if err := pub.SendMulti(zmq4.NewMsgFrom([]byte("topic"), big[:5000])); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-got:
			if len(m.Frames) != 2 || string(m.Frames[0]) != "topic" || len(m.Frames[1]) != 5000 {
				t.Fatalf("subscriber received %d frames", len(m.Frames))
			}
			return
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("no message reached the subscriber")
		}
	}
}

func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:5": TCP + "://127.0.0.1:5",
		"ipc:///tmp/k-1":    IPC + ":///tmp/k-1",
		"inproc://x":        "inproc://x",
	} {
		if got := Endpoint(in); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", in, got, want)
		}
	}
}
