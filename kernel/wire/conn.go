// Package wire implements the Jupyter messaging protocol's wire format
// (protocol 5.3): connection files, HMAC signing of messages, and the
// multipart frames of a message (routing identities, the "<IDS|MSG>"
// delimiter, the signature, the four JSON frames and extra buffers).
//
// It knows nothing of sockets: the kernel package moves frames between
// ZeroMQ sockets and this package.
package wire

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

// ConnectionInfo is the content of a Jupyter connection file: where the
// kernel binds its five sockets and how messages are signed.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" or "ipc"
	IP              string `json:"ip"`        // address (tcp) or path prefix (ipc)
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"` // "hmac-sha256"; empty when Key is empty
	Key             string `json:"key"`              // empty: messages are not signed
	KernelName      string `json:"kernel_name"`
}

// ReadConnectionFile reads and validates the connection file at path.
// O(size of the file).
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file: %w", err)
	}
	ci, err := ParseConnectionInfo(data)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return ci, nil
}

// ParseConnectionInfo decodes and validates the JSON of a connection file:
// the transport must be tcp or ipc (tcp when absent), ports must be in
// 0..65535 (ipc uses them as path suffixes), and the signature scheme must
// be hmac-sha256 when a key is given.
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(data, &ci); err != nil {
		return ConnectionInfo{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		return ConnectionInfo{}, fmt.Errorf("unsupported transport %q (want tcp or ipc)", ci.Transport)
	}
	if ci.IP == "" {
		return ConnectionInfo{}, fmt.Errorf("missing ip")
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"shell_port", ci.ShellPort}, {"iopub_port", ci.IOPubPort}, {"stdin_port", ci.StdinPort},
		{"control_port", ci.ControlPort}, {"hb_port", ci.HBPort}} {
		if p.v < 0 || p.v > 65535 {
			return ConnectionInfo{}, fmt.Errorf("%s %d out of range 0..65535", p.name, p.v)
		}
	}
	if ci.Key != "" {
		if ci.SignatureScheme == "" {
			ci.SignatureScheme = "hmac-sha256"
		}
		if ci.SignatureScheme != "hmac-sha256" {
			return ConnectionInfo{}, fmt.Errorf("unsupported signature_scheme %q (want hmac-sha256)", ci.SignatureScheme)
		}
	}
	return ci, nil
}

// Endpoint returns the ZeroMQ endpoint of a port: "tcp://IP:PORT", or
// "ipc://IP-PORT" for the ipc transport (Jupyter's naming of socket files).
func (ci ConnectionInfo) Endpoint(port int) string {
	if ci.Transport == "ipc" {
		return "ipc://" + ci.IP + "-" + strconv.Itoa(port)
	}
	return "tcp://" + ci.IP + ":" + strconv.Itoa(port)
}
