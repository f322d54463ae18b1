package zmtp

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrRejected is returned (wrapped) by a guarded connection's Read when the
// peer sent something the checks refuse; zmq4 then drops the connection.
var ErrRejected = errors.New("zmtp: rejected")

// reader passes the bytes of a ZMTP stream one frame at a time, after
// checking the frame's header (and, for a command, the whole command)
// with Peek, so that zmq4 never parses a frame that could make it panic or
// allocate without bound. With max <= 0 it only buffers.
type reader struct {
	r        *bufio.Reader
	max      int64  // largest frame or message; <= 0: no checks
	greeting int    // greeting bytes still to pass unchecked
	left     uint64 // bytes of the checked frame still to pass
	msg      uint64 // size of the message so far (frames with MORE)
	err      error  // sticky rejection
}

// Read reads at most the rest of the current checked frame into p.
func (r *reader) Read(p []byte) (int, error) {
	if r.max <= 0 {
		return r.r.Read(p)
	}
	if r.err != nil {
		return 0, r.err
	}
	if r.greeting > 0 {
		n, err := r.r.Read(p[:min(len(p), r.greeting)])
		r.greeting -= n
		return n, err
	}
	if r.left == 0 {
		if err := r.next(); err != nil {
			if errors.Is(err, ErrRejected) {
				r.err = err
			}
			return 0, err
		}
	}
	if uint64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= uint64(n)
	return n, err
}

// next checks the header of the next frame and, for a command, its body.
// Cost: O(size of a command); a message frame's body is not looked at.
func (r *reader) next() error {
	h, err := r.r.Peek(1)
	if err != nil {
		return err
	}
	flags := h[0]
	if flags&^(flagMore|flagLong|flagCommand) != 0 {
		return fmt.Errorf("%w: reserved frame flags %#x", ErrRejected, flags)
	}
	hl := 2
	if flags&flagLong != 0 {
		hl = 9
	}
	if h, err = r.r.Peek(hl); err != nil {
		return err
	}
	size := uint64(h[1])
	if hl == 9 {
		size = binary.BigEndian.Uint64(h[1:])
	}
	if flags&flagCommand != 0 {
		if flags&flagMore != 0 {
			return fmt.Errorf("%w: command frame with the MORE flag", ErrRejected)
		}
		if size > uint64(readBuffer-hl) {
			return fmt.Errorf("%w: command of %d bytes (at most %d)", ErrRejected, size, readBuffer-hl)
		}
		c, err := r.r.Peek(hl + int(size))
		if err != nil {
			return err
		}
		if err := checkCommand(c[hl:]); err != nil {
			return err
		}
	} else {
		if size > uint64(r.max) || r.msg+size > uint64(r.max) {
			return fmt.Errorf("%w: message of more than %d bytes (frame of %d)", ErrRejected, r.max, size)
		}
		r.msg += size
		if flags&flagMore == 0 {
			r.msg = 0
		}
	}
	r.left = uint64(hl) + size
	return nil
}

// checkCommand checks a command's body: its name fits, and the properties
// of a READY command (name length, name, 4-byte value length, value) fit
// exactly. O(len(body)).
func checkCommand(body []byte) error {
	if len(body) == 0 || int(body[0]) > len(body)-1 {
		return fmt.Errorf("%w: command name overruns the command", ErrRejected)
	}
	name, props := string(body[1:1+body[0]]), body[1+body[0]:]
	if name != "READY" {
		return nil
	}
	for len(props) > 0 {
		k := int(props[0])
		if len(props) < 1+k+4 {
			return fmt.Errorf("%w: READY property overruns the command", ErrRejected)
		}
		v := binary.BigEndian.Uint32(props[1+k:])
		props = props[1+k+4:]
		if uint64(v) > uint64(len(props)) {
			return fmt.Errorf("%w: READY property value overruns the command", ErrRejected)
		}
		props = props[v:]
	}
	return nil
}
