"""Executes example notebooks on the subspace kernel, one after another, and
writes each executed notebook as HTML (and .ipynb) into an output folder.

A notebook fails when a cell raises (an "error" output) or writes to stderr
(a "stream" output named stderr): the lessons must run clean. The wall time
of every notebook is printed, and the run ends with a summary; the exit
status is 1 when any notebook failed.

    python3 tests/examples/run_examples.py --out build/examples examples/*.ipynb
"""

import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def problems(nb):
    """Returns a description of every error or stderr output of nb."""
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                out.append(f"cell {i}: {o.ename}: {o.evalue}")
            elif o.output_type == "stream" and o.name == "stderr":
                out.append(f"cell {i}: stderr: {o.text.strip()[:500]}")
    return out


def run(path, out_dir, timeout):
    """Executes one notebook; returns (seconds, list of problems)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="subspace", timeout=timeout,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.monotonic()
    found = []
    try:
        client.execute()
    except CellExecutionError as e:
        found.append(str(e).strip().splitlines()[-1] if str(e).strip() else "cell execution error")
    except Exception as e:  # kernel died, timeout, ...
        found.append(f"{type(e).__name__}: {e}")
    seconds = time.monotonic() - start
    found += [p for p in problems(nb) if p not in found]
    base = os.path.splitext(os.path.basename(path))[0]
    nbformat.write(nb, os.path.join(out_dir, base + ".ipynb"))
    html, _ = HTMLExporter().from_notebook_node(nb)
    tmp = os.path.join(out_dir, "." + base + ".html.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, os.path.join(out_dir, base + ".html"))
    return seconds, found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder for the executed notebooks and their HTML")
    ap.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed, times = [], []
    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        seconds, found = run(path, args.out, args.timeout)
        times.append((path, seconds))
        status = "ok" if not found else "FAILED"
        print(f"  {status} in {seconds:.1f} s", flush=True)
        for p in found:
            print(f"  {p}", flush=True)
        if found:
            failed.append(path)
    print("run times:")
    for path, seconds in times:
        print(f"  {seconds:7.1f} s  {path}")
    print("executed notebooks as HTML in " + os.path.abspath(args.out) + ": " +
          " ".join(os.path.basename(os.path.splitext(p)[0]) + ".html" for p, _ in times))
    if failed:
        print("failed: " + " ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
