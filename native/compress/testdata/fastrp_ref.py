"""FastRP computed with scipy.sparse from the same projection, for
native/compress's tests. stdin: {"n": nodes, "from": [...], "to": [...],
"w": [...], "r": npy path of R (n x dim), "weights": alphas, "beta": beta,
"normalize": bool}; stdout: the embedding."""
import json
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

req = json.load(sys.stdin)
n = req["n"]
A = sp.csr_matrix((req["w"], (req["from"], req["to"])), shape=(n, n))
R = np.load(req["r"])
deg = np.asarray(A.sum(axis=1)).ravel()
inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
P = sp.diags(inv) @ A
L = np.where(deg > 0, deg ** req["beta"], 1.0) if req["beta"] != 0 else np.ones(n)
cur = L[:, None] * R
out = np.zeros_like(R)
for a in req["weights"]:
    cur = P @ cur
    if req["normalize"]:
        cur = normalize(cur, norm="l2", axis=1)
    out += a * cur
json.dump(out.tolist(), sys.stdout)
