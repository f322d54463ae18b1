package subspace

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

const python = "/usr/bin/python3"

// runPython runs script with input as JSON on stdin and decodes its JSON
// stdout into out. A missing interpreter or module fails the test.
func runPython(t *testing.T, script string, input, out any) {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("%s not found: run `make deps`", python)
	}
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("reference script failed (%v): run `make deps` if a module is missing\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("decoding reference output: %v\n%s", err, stdout.String())
	}
}
