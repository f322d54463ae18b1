# References for evaluate_test.go: retrieval ranks by full argsort (cosine
# and Euclidean), top-1 / top-k / MRR@depth, mean cosine, MSE, and the
# kNN Jaccard of sklearn NearestNeighbors neighbourhoods (self excluded).
import json, sys
import numpy as np
from sklearn.neighbors import NearestNeighbors

inp = json.load(sys.stdin)
p = np.load(inp["pred"]); y = np.load(inp["target"])
k, depth, jk = inp["k"], inp["depth"], inp["jk"]

def unit(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)

out = {"cosine": float(np.mean(np.sum(unit(p) * unit(y), axis=1))),
       "mse": float(np.mean((p - y) ** 2))}
for name, score in [("cos", unit(p) @ unit(y).T),
                    ("euc", -((p[:, None, :] - y[None, :, :]) ** 2).sum(-1))]:
    order = np.argsort(-score, axis=1, kind="stable")
    rank = np.argmax(order == np.arange(len(p))[:, None], axis=1) + 1
    rr = np.where(rank <= depth, 1.0 / rank, 0.0)
    out[name] = {"top1": float(np.mean(rank == 1)), "topk": float(np.mean(rank <= k)),
                 "mrr": float(np.mean(rr)), "rank": np.where(rank <= depth, rank, 0).tolist()}
def neigh(m):
    nn = NearestNeighbors(n_neighbors=jk + 1, metric="cosine").fit(m)
    return [set(r[1:]) for r in nn.kneighbors(m, return_distance=False)]
na, nb = neigh(p), neigh(y)
out["jaccard"] = float(np.mean([len(a & b) / len(a | b) for a, b in zip(na, nb)]))
json.dump(out, sys.stdout)
