"""FAISS IndexPQ reference for native/compress's tests. stdin: {"x": npy,
"q": npy, "m": sub-vectors, "bits": bits, "k": k}; stdout: the
neighbours of the queries and the mean squared reconstruction error of x."""
import json
import sys

import faiss
import numpy as np

faiss.omp_set_num_threads(1)  # OpenMP spinning on a loaded machine costs 10x
req = json.load(sys.stdin)
X = np.load(req["x"]).astype(np.float32)
Q = np.load(req["q"]).astype(np.float32)
index = faiss.IndexPQ(X.shape[1], req["m"], req["bits"])
index.train(X)
index.add(X)
D, I = index.search(Q, req["k"])
codes = index.pq.compute_codes(X)
rec = index.pq.decode(codes)
json.dump({"index": I.tolist(), "mse": float(((X - rec) ** 2).sum(axis=1).mean())}, sys.stdout)
