"""FAISS IndexHNSWFlat and hnswlib on the same data and parameters, for
native/ann's tests. stdin: {"x": npy, "q": npy, "m": M, "efc":
efConstruction, "ef": [efSearch...], "k": k}; stdout: per library and
efSearch, the neighbours of the queries."""
import json
import sys

import faiss
import hnswlib
import numpy as np

faiss.omp_set_num_threads(1)  # OpenMP spinning on a loaded machine costs 10x
req = json.load(sys.stdin)
X = np.load(req["x"]).astype(np.float32)
Q = np.load(req["q"]).astype(np.float32)
k = req["k"]
f = faiss.IndexHNSWFlat(X.shape[1], req["m"])
f.hnsw.efConstruction = req["efc"]
f.add(X)
h = hnswlib.Index(space="l2", dim=X.shape[1])
h.init_index(max_elements=len(X), ef_construction=req["efc"], M=req["m"], random_seed=100)
h.set_num_threads(1)
h.add_items(X, np.arange(len(X)))
out = {"faiss": [], "hnswlib": []}
for ef in req["ef"]:
    f.hnsw.efSearch = ef
    _, I = f.search(Q, k)
    out["faiss"].append(I.tolist())
    h.set_ef(max(ef, k))
    L, _ = h.knn_query(Q, k=k)
    out["hnswlib"].append(L.astype(int).tolist())
json.dump(out, sys.stdout)
