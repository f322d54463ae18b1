"""Reference timings for bench/latent, on the files the Go side wrote.
argv: dir reps. Reads dir/{px,py,rx,ra}.npy; writes dir/rotation.npy and
dir/rel64_head.npy / rel32_head.npy (the first 100 rows of each relative
representation) for the Go side to compare; prints JSON with the best
times of reps runs:
  procrustes: scipy.linalg.orthogonal_procrustes(px, py)
  rel64, rel32: sklearn normalize(rx) @ normalize(ra).T in float64 / float32."""
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy.linalg import orthogonal_procrustes
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_info

d, reps = sys.argv[1], int(sys.argv[2])


def best(f):
    b, out = float("inf"), None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        b = min(b, time.perf_counter() - t)
    return b, out


px, py = np.load(os.path.join(d, "px.npy")), np.load(os.path.join(d, "py.npy"))
tp, (r, _) = best(lambda: orthogonal_procrustes(px, py))
np.save(os.path.join(d, "rotation.npy"), r)
del px, py
out = {"procrustes": tp, "scipy": scipy.__version__,
       "threads": [(i["internal_api"], i["num_threads"]) for i in threadpool_info()]}
rx, ra = np.load(os.path.join(d, "rx.npy")), np.load(os.path.join(d, "ra.npy"))
for name, dt in [("rel64", np.float64), ("rel32", np.float32)]:
    x, a = rx.astype(dt), ra.astype(dt)
    t, rel = best(lambda: normalize(x) @ normalize(a).T)
    np.save(os.path.join(d, name + "_head.npy"), rel[:100].astype(np.float64))
    out[name] = t
    del rel
json.dump(out, sys.stdout)
