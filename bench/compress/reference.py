"""Reference timings for bench/compress, one task a call, on the .npy files
written by the Go side (float32). argv: task dir threads reps [args...].
Prints one JSON object.

  flat   x.npy, k: FAISS IndexFlatL2 self search (k+1, the point itself
         included) -> seconds, neighbours of row 0
  hnsw   x.npy q.npy, M efC k efs...: hnswlib build and batched searches
         (threads threads, 0: all) -> build seconds, per ef: seconds, neighbours
  pq     x.npy q.npy, M bits k: FAISS IndexPQ train, add, search
  binary codes .npy (uint8 as float) q codes, k: IndexBinaryFlat search
"""
import json
import os
import sys
import time

import numpy as np

task, d, threads, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
args = sys.argv[5:]
import faiss  # noqa: E402
import hnswlib  # noqa: E402

if threads > 0:
    faiss.omp_set_num_threads(threads)


def load(name, dtype=np.float32):
    return np.ascontiguousarray(np.load(os.path.join(d, name)).astype(dtype))


def best(f):
    b, out = float("inf"), None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        b = min(b, time.perf_counter() - t)
    return b, out


out = {"faiss": faiss.__version__, "omp_threads": faiss.omp_get_max_threads()}
if task == "flat":
    X, k = load("x.npy"), int(args[0])
    index = faiss.IndexFlatL2(X.shape[1])
    index.add(X)
    t, (D, I) = best(lambda: index.search(X, k + 1))
    out.update(seconds=t, row0=I[0].tolist())
elif task == "hnsw":
    X, Q = load("x.npy"), load("q.npy")
    m, efc, k = int(args[0]), int(args[1]), int(args[2])
    p = hnswlib.Index(space="l2", dim=X.shape[1])
    p.init_index(max_elements=len(X), ef_construction=efc, M=m, random_seed=100)
    p.set_num_threads(threads if threads > 0 else os.cpu_count())
    t = time.perf_counter()
    p.add_items(X, np.arange(len(X)))
    out["build"] = time.perf_counter() - t
    out["search"] = []
    for ef in map(int, args[3:]):
        p.set_ef(ef)
        s, (L, _) = best(lambda: p.knn_query(Q, k=k))
        out["search"].append({"ef": ef, "seconds": s, "index": L.astype(int).tolist()})
elif task == "pq":
    X, Q = load("x.npy"), load("q.npy")
    m, bits, k = int(args[0]), int(args[1]), int(args[2])
    index = faiss.IndexPQ(X.shape[1], m, bits)
    t = time.perf_counter()
    index.train(X)
    out["train"] = time.perf_counter() - t
    t = time.perf_counter()
    index.add(X)
    out["add"] = time.perf_counter() - t
    s, (D, I) = best(lambda: index.search(Q, k))
    out.update(search=s, index=I.tolist())
elif task == "binary":
    B, QB, k = load("bx.npy", np.uint8), load("bq.npy", np.uint8), int(args[0])
    index = faiss.IndexBinaryFlat(B.shape[1] * 8)
    index.add(B)
    s, (D, I) = best(lambda: index.search(QB, k))
    out.update(seconds=s, dist=D.tolist())
json.dump(out, sys.stdout)
