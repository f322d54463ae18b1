"""scikit-learn's random projection conventions for native/compress's
tests. stdin: {"n": rows, "d": features, "k": components, "min_dim":
[[n, eps], ...]}; stdout: the SparseRandomProjection density_, the
magnitude of its non-zeros and their fraction (three seeds), the
GaussianRandomProjection entry variance, johnson_lindenstrauss_min_dim."""
import json
import sys

import numpy as np
from sklearn.random_projection import (GaussianRandomProjection, SparseRandomProjection,
                                       johnson_lindenstrauss_min_dim)

req = json.load(sys.stdin)
X = np.zeros((req["n"], req["d"]))
out = {"nnz_fraction": [], "magnitudes": []}
for seed in range(3):
    p = SparseRandomProjection(n_components=req["k"], density="auto", random_state=seed).fit(X)
    c = p.components_.toarray()
    out["density"] = float(p.density_)
    nz = np.abs(c[c != 0])
    out["magnitudes"].append([float(nz.min()), float(nz.max())])
    out["nnz_fraction"].append(float((c != 0).mean()))
g = GaussianRandomProjection(n_components=req["k"], random_state=0).fit(X)
out["gaussian_var"] = float(g.components_.var())
out["min_dim"] = [int(johnson_lindenstrauss_min_dim(n, eps=e)) for n, e in req["min_dim"]]
json.dump(out, sys.stdout)
