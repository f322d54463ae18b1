package zmtp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// long is the header of a frame of n bytes with the long size.
func long(flags byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{flags | flagLong}, n)
}

// readAll reads stream through a checked reader of bound max as zmq4 does
// (io.ReadFull of small pieces) and returns what passed and the error.
func readAll(stream []byte, max int64) ([]byte, error) {
	r := &reader{r: bufio.NewReaderSize(bytes.NewReader(stream), readBuffer), max: max, greeting: greetingSize}
	var out []byte
	buf := make([]byte, 7)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out, err
		}
	}
}

func TestReaderChecks(t *testing.T) {
	g := bytes.Repeat([]byte{1}, greetingSize)
	readyOK := []byte("\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER")
	for _, c := range []struct {
		name   string
		frames []byte
		reject bool
	}{
		{"commands and messages", bytes.Join([][]byte{frame(flagCommand, len(readyOK)), readyOK,
			frame(flagMore, 2), []byte("id"), frame(0, 3), []byte("abc"), long(0, 1000), bytes.Repeat([]byte("z"), 1000)}, nil), false},
		{"empty READY", append(frame(flagCommand, 6), "\x05READY"...), false},
		{"frame of 2^62", long(0, 1<<62), true},
		{"frame over the bound", long(0, 4097), true},
		{"message over the bound", bytes.Join([][]byte{long(flagMore, 3000), bytes.Repeat([]byte("z"), 3000), long(0, 2000)}, nil), true},
		{"two messages each under the bound", bytes.Join([][]byte{long(0, 3000), bytes.Repeat([]byte("z"), 3000),
			long(0, 3000), bytes.Repeat([]byte("z"), 3000)}, nil), false},
		{"reserved flags", []byte{0x40, 1, 'x'}, true},
		{"command with MORE", append(frame(flagCommand|flagMore, 6), "\x05READY"...), true},
		{"command larger than the buffer", long(flagCommand, readBuffer), true},
		{"empty command", frame(flagCommand, 0), true},
		{"command name overrun", append(frame(flagCommand, 3), "\x05RE"...), true},
		{"READY property name overrun", append(frame(flagCommand, 8), "\x05READY\x05A"...), true},
		{"READY value length cut", append(frame(flagCommand, 11), "\x05READY\x01A\x00\x00\x00"...), true},
		{"READY value overrun", append(frame(flagCommand, 14), "\x05READY\x01A\x00\x00\x00\x09xy"...), true},
		{"other command, free body", append(frame(flagCommand, 7), "\x04PING\x01\x02"...), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			stream := append(bytes.Clone(g), c.frames...)
			out, err := readAll(stream, 4096)
			if c.reject {
				if !errors.Is(err, ErrRejected) {
					t.Fatalf("error %v, want a rejection", err)
				}
				if _, again := readAll(stream, 4096); !errors.Is(again, ErrRejected) {
					t.Fatal("the rejection must stick")
				}
				return
			}
			if err != io.EOF || !bytes.Equal(out, stream) {
				t.Fatalf("passed %d of %d bytes, error %v", len(out), len(stream), err)
			}
		})
	}
	// Without a bound nothing is checked.
	stream := append(bytes.Clone(g), long(0, 1<<62)...)
	if out, err := readAll(stream, 0); err != io.EOF || !bytes.Equal(out, stream) {
		t.Errorf("unchecked reader: %d bytes, %v", len(out), err)
	}
}

// TestSilentConnectionClosed: the guarded listener closes a connection
// that does not finish its handshake by the deadline, and passes one that
// does.
func TestSilentConnectionClosed(t *testing.T) {
	base, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newListener(base, Limits{Handshake: 200 * time.Millisecond, MaxMessage: 1 << 20})
	defer l.Close()
	silent, err := net.Dial("tcp", base.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	silent.SetReadDeadline(time.Now().Add(20 * time.Second))
	got, err := io.ReadAll(silent)
	if err != nil || !bytes.Equal(got, greeting) {
		t.Fatalf("a silent peer read %q, %v; want the greeting, then the end", got, err)
	}
	good, err := net.Dial("tcp", base.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	ready := append(frame(flagCommand, 6), "\x05READY"...)
	good.Write(append(bytes.Clone(greeting), ready...))
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	select {
	case c := <-accepted:
		// zmq4 reads the peer's greeting and READY from the buffer; its own
		// greeting is not sent twice.
		c.Write(greeting)
		buf := make([]byte, greetingSize+len(ready))
		if _, err := io.ReadFull(c, buf); err != nil || !bytes.Equal(buf[greetingSize:], ready) {
			t.Fatalf("handed-over connection read %q, %v", buf, err)
		}
		c.Close()
		if got, _ := io.ReadAll(good); !bytes.Equal(got, greeting) {
			t.Errorf("the peer received %d bytes, want one greeting", len(got))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a peer that sent its greeting and READY was not accepted")
	}
}

// TestQueueDrops: writes to a peer that never reads neither block nor grow
// past the queue's bound.
func TestQueueDrops(t *testing.T) {
	a, b := net.Pipe() // synchronous: every write blocks until b reads
	defer a.Close()
	defer b.Close()
	c := newConn(a, Limits{Queue: 4})
	c.skip = true // no greeting
	c.greeting = 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 100 {
			c.Write(append(frame(0, 3), "abc"...))
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("writes to a stalled peer blocked")
	}
	c.out.mu.Lock()
	n := len(c.out.msgs)
	c.out.mu.Unlock()
	if n > 4 {
		t.Errorf("%d messages queued, bound 4", n)
	}
	c.Close()
}
