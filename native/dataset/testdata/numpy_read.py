"""Reads the .npy/.npz files listed on stdin (one path a line; npz members
as path::name) with np.load and prints JSON: dtype, shape, fortran order and
C-order values of each."""
import json, sys
import numpy as np

res = {}
for line in sys.stdin:
    p = line.strip()
    if not p:
        continue
    if "::" in p:
        path, name = p.split("::")
        a = np.load(path)[name]
    else:
        a = np.load(p)
    v = np.asarray(a).astype(np.float64).ravel(order="C")
    res[p] = {"dtype": str(a.dtype), "shape": list(a.shape),
              "values": [float(x) if np.isfinite(x) else repr(float(x)) for x in v]}
json.dump(res, sys.stdout)
