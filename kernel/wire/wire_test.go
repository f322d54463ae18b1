package wire

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RFC 4231 test cases 1 and 2 for HMAC-SHA256; the signed data is split over
// the four frames, which the signature concatenates.
func TestSignRFC4231(t *testing.T) {
	tests := []struct {
		key    string
		frames [4]string
		want   string
	}{
		{strings.Repeat("\x0b", 20), [4]string{"Hi", " ", "", "There"},
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"Jefe", [4]string{"what do ", "ya want ", "for ", "nothing?"},
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{"", [4]string{"a", "b", "c", "d"}, ""},
	}
	for _, tc := range tests {
		s, err := NewSigner("hmac-sha256", tc.key)
		if err != nil {
			t.Fatal(err)
		}
		f := tc.frames
		got := s.Sign([]byte(f[0]), []byte(f[1]), []byte(f[2]), []byte(f[3]))
		if got != tc.want {
			t.Errorf("key %q: Sign = %q, want %q", tc.key, got, tc.want)
		}
		if err := s.Verify([]byte(tc.want), []byte(f[0]), []byte(f[1]), []byte(f[2]), []byte(f[3])); err != nil {
			t.Errorf("key %q: Verify of the right signature: %v", tc.key, err)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", "secret")
	h, p, m, c := []byte(`{"a":1}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"1"}`)
	good := s.Sign(h, p, m, c)
	flipped := []byte(good)
	if flipped[0] == 'a' {
		flipped[0] = 'b'
	} else {
		flipped[0] = 'a'
	}
	tests := []struct {
		name    string
		sig     []byte
		content []byte
	}{
		{"empty signature", nil, c},
		{"not hex", []byte("zz" + good[2:]), c},
		{"one digit changed", flipped, c},
		{"truncated", []byte(good[:32]), c},
		{"content changed", []byte(good), []byte(`{"code":"2"}`)},
	}
	for _, tc := range tests {
		err := s.Verify(tc.sig, h, p, m, tc.content)
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Verify = %v, want ErrBadSignature", tc.name, err)
		}
	}
	if _, err := NewSigner("hmac-md5", "k"); err == nil {
		t.Error("NewSigner accepted hmac-md5")
	}
}

func validFrames(t testing.TB, s *Signer, ids ...string) [][]byte {
	m, err := New("execute_request", "sess", "user", nil, nil, map[string]any{"code": "x := 1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		m.Identities = append(m.Identities, []byte(id))
	}
	fr, err := m.Frames(s)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

func TestParseErrors(t *testing.T) {
	s, _ := NewSigner("hmac-sha256", "k")
	good := validFrames(t, s, "id1")
	replace := func(i int, v string) [][]byte {
		fr := append([][]byte(nil), good...)
		fr[i] = []byte(v)
		// re-sign so that only the JSON is wrong
		fr[2] = []byte(s.Sign(fr[3], fr[4], fr[5], fr[6]))
		return fr
	}
	tests := []struct {
		name   string
		frames [][]byte
		want   error
		text   string
	}{
		{"no delimiter", [][]byte{[]byte("a"), []byte("b")}, ErrNoDelimiter, "delimiter"},
		{"too few frames", good[:5], ErrTooFewFrames, "too few frames"},
		{"bad signature", append([][]byte{good[0], good[1], []byte("00")}, good[3:]...), ErrBadSignature, "signature"},
		{"header not JSON", replace(3, "{nope"), ErrInvalidJSON, "header"},
		{"header not object", replace(3, "[1]"), ErrInvalidJSON, "header"},
		{"header without msg_type", replace(3, `{"msg_id":"x"}`), ErrMissingHeader, "msg_type"},
		{"parent not JSON", replace(4, "{"), ErrInvalidJSON, "parent_header"},
		{"metadata not JSON", replace(5, "nul"), ErrInvalidJSON, "metadata"},
		{"content not JSON", replace(6, `{"code": }`), ErrInvalidJSON, "content"},
		{"content not object", replace(6, `"str"`), ErrInvalidJSON, "content"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.frames, s)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: error %q does not mention %q", tc.name, err, tc.text)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		key     string
		ids     []string
		buffers [][]byte
	}{
		{"", nil, nil},
		{"k", []string{"client-1"}, nil},
		{"a longer key", []string{"a", "b"}, [][]byte{{0, 1, 2}, []byte("<IDS|MSG>")}},
	}
	for _, tc := range tests {
		s, _ := NewSigner("hmac-sha256", tc.key)
		parent := NewHeader("execute_request", "client", "me")
		m, err := New("execute_reply", "kernel", "subspace", &parent, nil,
			map[string]any{"status": "ok", "execution_count": 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range tc.ids {
			m.Identities = append(m.Identities, []byte(id))
		}
		m.Metadata = map[string]any{"started": "now"}
		m.Buffers = tc.buffers
		fr, err := m.Frames(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(fr); got != len(tc.ids)+6+len(tc.buffers) {
			t.Fatalf("key %q: %d frames", tc.key, got)
		}
		back, err := Parse(fr, s)
		if err != nil {
			t.Fatalf("key %q: Parse: %v", tc.key, err)
		}
		if back.Header != m.Header || *back.Parent != parent {
			t.Errorf("key %q: headers differ: %+v %+v", tc.key, back.Header, back.Parent)
		}
		if len(back.Identities) != len(tc.ids) {
			t.Errorf("key %q: identities %q", tc.key, back.Identities)
		}
		var c struct {
			Status string `json:"status"`
			Count  int    `json:"execution_count"`
		}
		if err := back.DecodeContent(&c); err != nil || c.Status != "ok" || c.Count != 3 {
			t.Errorf("key %q: content %+v %v", tc.key, c, err)
		}
		if back.Metadata["started"] != "now" {
			t.Errorf("key %q: metadata %v", tc.key, back.Metadata)
		}
		if len(back.Buffers) != len(tc.buffers) {
			t.Errorf("key %q: %d buffers, want %d", tc.key, len(back.Buffers), len(tc.buffers))
		}
		for i := range tc.buffers {
			if !bytes.Equal(back.Buffers[i], tc.buffers[i]) {
				t.Errorf("key %q: buffer %d = %q", tc.key, i, back.Buffers[i])
			}
		}
	}
}

func TestHeaderDate(t *testing.T) {
	h := NewHeader("status", "s", "u")
	d, err := time.Parse(DateFormat, h.Date)
	if err != nil {
		t.Fatalf("date %q: %v", h.Date, err)
	}
	if time.Since(d) > time.Minute || !strings.HasSuffix(h.Date, "Z") || len(h.Date) != len("2006-01-02T15:04:05.000000Z") {
		t.Errorf("date %q is not a current UTC time with microseconds", h.Date)
	}
	if h.Version != "5.3" || len(h.MsgID) != 32 || h.MsgID == NewHeader("status", "s", "u").MsgID {
		t.Errorf("header %+v", h)
	}
}

func TestConnectionInfo(t *testing.T) {
	tests := []struct {
		json    string
		wantErr string
		shell   string
	}{
		{`{"transport":"tcp","ip":"127.0.0.1","shell_port":5555,"iopub_port":1,"stdin_port":2,"control_port":3,"hb_port":4,"signature_scheme":"hmac-sha256","key":"abc"}`, "", "tcp://127.0.0.1:5555"},
		{`{"transport":"ipc","ip":"/tmp/kernel","shell_port":1,"key":""}`, "", "ipc:///tmp/kernel-1"},
		{`{"ip":"0.0.0.0","shell_port":7}`, "", "tcp://0.0.0.0:7"},
		{`{"transport":"udp","ip":"x"}`, "unsupported transport", ""},
		{`{"transport":"tcp","ip":"x","key":"k","signature_scheme":"hmac-md5"}`, "signature_scheme", ""},
		{`{"transport":"tcp"}`, "missing ip", ""},
		{`{"ip":"x","shell_port":70000}`, "shell_port", ""},
		{`{"ip":`, "invalid JSON", ""},
	}
	for _, tc := range tests {
		ci, err := ParseConnectionInfo([]byte(tc.json))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want %q", tc.json, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.json, err)
			continue
		}
		if got := ci.Endpoint(ci.ShellPort); got != tc.shell {
			t.Errorf("%s: shell endpoint %q, want %q", tc.json, got, tc.shell)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "k.json")
	os.WriteFile(p, []byte(tests[0].json), 0o600)
	if ci, err := ReadConnectionFile(p); err != nil || ci.Key != "abc" || ci.HBPort != 4 {
		t.Errorf("ReadConnectionFile: %+v %v", ci, err)
	}
	if _, err := ReadConnectionFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("ReadConnectionFile of a missing file succeeded")
	}
}

// TestJupyterClientInterop checks that messages serialised by
// jupyter_client's Session parse here, and that ours parse there.
func TestJupyterClientInterop(t *testing.T) {
	const script = `
import base64, json, sys
from jupyter_client.session import Session
s = Session(key=b"interop-key", username="py")
msg = s.msg("execute_request", content={"code": "fmt.Println(\"\u00e9\")", "silent": False})
frames = s.serialize(msg, ident=[b"py-ident"])
frames.append(b"\x00buf")
out = {"frames": [base64.b64encode(f).decode() for f in frames], "msg_id": msg["header"]["msg_id"]}
ours = [base64.b64decode(f) for f in json.loads(sys.stdin.read())]
idents, rest = s.feed_identities(ours)
back = s.deserialize(rest)
out["back"] = {"msg_type": back["header"]["msg_type"], "parent": back["parent_header"]["msg_id"], "content": back["content"], "idents": [i.decode() for i in idents]}
print(json.dumps(out))
`
	s, _ := NewSigner("hmac-sha256", "interop-key")
	parent := Header{MsgID: "parent-1", Session: "x", Username: "y", Date: "2020-01-01T00:00:00.000000Z", MsgType: "execute_request", Version: "5.3"}
	ours, _ := New("execute_reply", "kernel", "subspace", &parent, [][]byte{[]byte("go-ident")}, map[string]any{"status": "ok", "execution_count": 7})
	fr, _ := ours.Frames(s)
	var enc []string
	for _, f := range fr {
		enc = append(enc, base64.StdEncoding.EncodeToString(f))
	}
	in, _ := json.Marshal(enc)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 with jupyter_client failed (%v): run `make deps`", err)
	}
	var res struct {
		Frames []string `json:"frames"`
		MsgID  string   `json:"msg_id"`
		Back   struct {
			MsgType string         `json:"msg_type"`
			Parent  string         `json:"parent"`
			Content map[string]any `json:"content"`
			Idents  []string       `json:"idents"`
		} `json:"back"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("python output %q: %v", out, err)
	}
	var frames [][]byte
	for _, f := range res.Frames {
		b, _ := base64.StdEncoding.DecodeString(f)
		frames = append(frames, b)
	}
	m, err := Parse(frames, s)
	if err != nil {
		t.Fatalf("Parse of jupyter_client frames: %v", err)
	}
	var c struct {
		Code   string `json:"code"`
		Silent bool   `json:"silent"`
	}
	if err := m.DecodeContent(&c); err != nil || c.Code != "fmt.Println(\"é\")" || m.Header.MsgID != res.MsgID ||
		string(m.Identities[0]) != "py-ident" || len(m.Buffers) != 1 || string(m.Buffers[0]) != "\x00buf" {
		t.Errorf("parsed %+v content %+v (%v)", m, c, err)
	}
	b := res.Back
	if b.MsgType != "execute_reply" || b.Parent != "parent-1" || b.Content["execution_count"] != 7.0 ||
		len(b.Idents) != 1 || b.Idents[0] != "go-ident" {
		t.Errorf("jupyter_client read our message as %+v", b)
	}
	// A wrong key must be rejected.
	other, _ := NewSigner("hmac-sha256", "other")
	if _, err := Parse(frames, other); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Parse with the wrong key: %v", err)
	}
}
