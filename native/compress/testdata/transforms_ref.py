"""References for native/compress's transforms. stdin: {"x": npy path,
"k": components, "m": coordinates kept}; stdout: sklearn PCA (components,
explained variance and ratio, whitened transform), the orthonormal real
FFT coordinates (numpy.fft.rfft) truncated to m, and the Matryoshka
truncation to m renormalised."""
import json
import sys

import numpy as np
from sklearn.decomposition import PCA

req = json.load(sys.stdin)
X = np.load(req["x"]).astype(np.float32).astype(np.float64)
k, m = req["k"], req["m"]
p = PCA(n_components=k, svd_solver="full").fit(X)
w = PCA(n_components=k, svd_solver="full", whiten=True).fit(X)

n, d = X.shape
c = np.fft.rfft(X, axis=1) / np.sqrt(d)
cols = [c[:, 0].real]
for j in range(1, c.shape[1]):
    if 2 * j == d:
        cols.append(c[:, j].real)
    else:
        cols.append(np.sqrt(2) * c[:, j].real)
        cols.append(np.sqrt(2) * c[:, j].imag)
F = np.stack(cols, axis=1)
T = X[:, :m] / np.linalg.norm(X[:, :m], axis=1, keepdims=True)
json.dump({"components": p.components_.tolist(),
           "variance": p.explained_variance_.tolist(),
           "ratio": p.explained_variance_ratio_.tolist(),
           "whitened": w.transform(X[:5]).tolist(),
           "fft": F[:, :m].tolist(), "fft_full_cols": F.shape[1],
           "matryoshka": T.tolist()}, sys.stdout)
