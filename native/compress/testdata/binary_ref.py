"""References for native/compress's binary codes. stdin: {"x": npy,
"q": npy, "k": k}; stdout: numpy.packbits(x > 0) of the first rows and
FAISS IndexBinaryFlat's k nearest codes (Hamming distances and indices)
for the packed queries."""
import json
import sys

import faiss
import numpy as np

faiss.omp_set_num_threads(1)
req = json.load(sys.stdin)
X = np.load(req["x"]).astype(np.float32)
Q = np.load(req["q"]).astype(np.float32)
bx = np.packbits(X > 0, axis=1)
bq = np.packbits(Q > 0, axis=1)
index = faiss.IndexBinaryFlat(bx.shape[1] * 8)
index.add(bx)
D, I = index.search(bq, req["k"])
json.dump({"packed": bx[:20].tolist(), "dist": D.tolist(), "index": I.tolist()}, sys.stdout)
