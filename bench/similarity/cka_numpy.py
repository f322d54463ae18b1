"""numpy reference timing for bench/similarity: linear CKA in feature form,
||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F), on the raw float64 files
written by the Go benchmark. Prints {dtype: {seconds, value}} (best of reps,
centring included, dtype conversion excluded)."""
import json
import sys
import time

import numpy as np


def cka(x, y):
    x = x - x.mean(axis=0)
    y = y - y.mean(axis=0)
    return float(np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))


def main():
    d, n, dim, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x = np.fromfile(d + "/x.f64", dtype="<f8").reshape(n, dim)
    y = np.fromfile(d + "/y.f64", dtype="<f8").reshape(n, dim)
    out = {}
    for dt in (np.float64, np.float32):
        xa, ya = x.astype(dt), y.astype(dt)
        best, v = float("inf"), None
        for _ in range(reps):
            t = time.perf_counter()
            v = cka(xa, ya)
            best = min(best, time.perf_counter() - t)
        out[np.dtype(dt).name] = {"seconds": best, "value": v}
    json.dump(out, sys.stdout)


main()
