#!/usr/bin/python3
"""Plugins in a running kernel, over ZeroMQ (run by `make test-plugins-kernel`).

Starts bin/subspace through its build-local kernelspec with jupyter_client,
builds the test package plugins/testdata/geom into a plugin with
`%plugin build`, calls it from cells (matrices, slices, a cell func as a
callback), loads a plugin built against gonum v0.16.0 (the kernel links
v0.17.0) and checks the refusal names the mismatch and the rebuild command
and that the kernel's state survives; then starts a second kernel with the
plugin on SUBSPACE_PLUGIN_PATH and imports it without any magic.
"""
import os
import shutil
import subprocess
import sys
import tempfile

try:
    from jupyter_client.manager import KernelManager
except ImportError as e:
    sys.exit(f"jupyter_client is missing ({e}): run `make deps`")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST_START = "subspace.plugin.manifest.v1<"
MANIFEST_END = ">subspace.plugin.manifest.end"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Kernel:
    def __init__(self, env):
        self.km = KernelManager(kernel_name="subspace")
        self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code, timeout=600):
        """Executes code; returns (status, text of streams, result text, error value)."""
        out = {"stream": "", "result": None, "error": None}

        def hook(msg):
            t, c = msg["msg_type"], msg["content"]
            if t == "stream":
                out["stream"] += c["text"]
            elif t == "execute_result":
                out["result"] = c["data"].get("text/plain")
            elif t == "error":
                out["error"] = c["evalue"]

        reply = self.kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        return reply["content"]["status"], out["stream"], out["result"], out["error"]

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def build_mismatched(tmp):
    """A plugin built against gonum v0.16.0 outside `plugin build`'s pinning."""
    d = os.path.join(tmp, "oldgonum")
    os.makedirs(d)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write("module example.com/oldgonum\n\ngo 1.22\n\nrequire gonum.org/v1/gonum v0.16.0\n")
    manifest = '{"name":"oldgonum","packages":["example.com/oldgonum"],"origin":"%s"}' % d
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write('''package main

import (
	"reflect"

	"gonum.org/v1/gonum/floats"
)

var Symbols = map[string]map[string]reflect.Value{
	"example.com/oldgonum/oldgonum": {"Sum": reflect.ValueOf(floats.Sum)},
}

var Manifest = %s

func main() {}
''' % ('"' + (MANIFEST_START + manifest + MANIFEST_END).replace('"', '\\"') + '"'))
    cmd = [os.environ.get("GO", "go"), "build", "-buildmode=plugin", "-o", "old.so"]
    if os.environ.get("GOTAGS"):
        cmd += ["-tags", os.environ["GOTAGS"]]
    env = dict(os.environ, GOFLAGS="-mod=mod", GOWORK="off", GOTOOLCHAIN="local")
    r = subprocess.run(cmd + ["."], cwd=d, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("building the mismatched plugin (needs gonum v0.16.0 from the module proxy) failed:\n" + r.stderr)
    return os.path.join(d, "old.so")


def main():
    tmp = tempfile.mkdtemp(prefix="subspace-plugins-")
    try:
        src = os.path.join(tmp, "geom")
        os.makedirs(src)
        shutil.copy(os.path.join(ROOT, "plugins", "testdata", "geom", "geom.go"), src)
        old = build_mismatched(tmp)
        built = os.path.join(tmp, "built")
        env = dict(os.environ, SUBSPACE_PLUGIN_BUILD_DIR=built, SUBSPACE_PLUGIN_PATH="")

        k = Kernel(env)
        try:
            status, stream, _, err = k.run("%plugin build " + src)
            check(status == "ok" and 'import "geom"' in stream, f"%plugin build: {status} {err or ''}")
            status, _, _, err = k.run('import (\n\t"geom"\n\t"gonum.org/v1/gonum/mat"\n)\n')
            check(status == "ok", f"import geom: {err}")
            k.run("kept := 40")
            k.run("x := mat.NewDense(3, 2, []float64{0, 0, 3, 4, 1, 1})")
            _, _, res, err = k.run("geom.SqDist(x).At(0, 1)")
            check(res == "25", f"SqDist through the plugin: {res!r} {err or ''}")
            k.run("""func manhattan(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		d := a[i] - b[i]
		if d < 0 {
			d = -d
		}
		s += d
	}
	return s
}""")
            _, _, res, err = k.run("geom.Pairwise(x, manhattan).At(1, 2)")
            check(res == "5", f"cell func as a native callback: {res!r} {err or ''}")
            _, _, res, err = k.run("geom.Scale32([]float32{1, -2.5}, 2)")
            check(res is not None and "-5" in res, f"[]float32 across the boundary: {res!r} {err or ''}")

            status, _, _, err = k.run("%plugin load " + old)
            check(status == "error", "mismatched plugin refused")
            err = err or ""
            check("module gonum.org/v1/gonum v0.16.0 (plugin) vs v0.17.0 (kernel)" in err, f"error names the mismatch: {err}")
            check(f"subspace plugin build {os.path.dirname(old)}" in err, "error gives the rebuild command")
            _, _, res, err = k.run("geom.Add(float64(kept), 2)")
            check(res == "42", f"kernel state after the refusal: {res!r} {err or ''}")
            _, stream, _, _ = k.run("%plugins")
            check("geom" in stream and built in stream and "oldgonum" not in stream, "%plugins lists geom, not the refused plugin")
        finally:
            k.stop()

        k = Kernel(dict(env, SUBSPACE_PLUGIN_PATH=built))
        try:
            status, _, _, err = k.run('import "geom"')
            _, _, res, err2 = k.run("geom.Add(1, 2)")
            check(status == "ok" and res == "3", f"plugin loaded from SUBSPACE_PLUGIN_PATH at start: {err or err2 or res}")
        finally:
            k.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        sys.exit(f"{len(failures)} plugin kernel checks failed")
    print("plugin kernel checks passed")


if __name__ == "__main__":
    main()
