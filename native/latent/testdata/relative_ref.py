# Reference relative representations (numpy / scipy), read by
# relative_test.go: cosine = normalize(x) @ normalize(a).T, Euclidean, L1
# and L-infinity distances by scipy.spatial.distance.cdist, and the
# centred / standardised cosine variants.
import json, sys
import numpy as np
from scipy.spatial.distance import cdist

inp = json.load(sys.stdin)
x = np.load(inp["x"]); a = np.load(inp["a"])

def normalize(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)

mu = a.mean(axis=0)
sd = a.std(axis=0, ddof=1)
out = {
    "cosine": (normalize(x) @ normalize(a).T).tolist(),
    "euclidean": cdist(x, a, "euclidean").tolist(),
    "l1": cdist(x, a, "cityblock").tolist(),
    "linf": cdist(x, a, "chebyshev").tolist(),
    "centred": (normalize(x - mu) @ normalize(a - mu).T).tolist(),
    "standardised": (normalize((x - mu) / sd) @ normalize((a - mu) / sd).T).tolist(),
}
json.dump(out, sys.stdout)
