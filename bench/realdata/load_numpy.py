"""Times numpy loading the converted real data, best of --reps rounds:
np.load of the GloVe matrix (341,479 x 100 float32), the same plus the
vocabulary and a word -> row dict (what glove.Load(0) builds), and np.load
of the MNIST images and labels. Prints JSON with the best times and
checksums for the Go side to compare."""
import argparse, json, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--vectors")
ap.add_argument("--vocab")
ap.add_argument("--images")
ap.add_argument("--labels")
ap.add_argument("--reps", type=int, default=1)
a = ap.parse_args()

def best(f):
    t_best, out = float("inf"), None
    for _ in range(a.reps):
        t = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, out

def glove_all():
    v = np.load(a.vectors)
    with open(a.vocab, encoding="utf-8") as f:
        words = f.read().split("\n")[:-1]
    index = {w: i for i, w in enumerate(words)}
    return v, index

t_npy, v = best(lambda: np.load(a.vectors))
t_all, (v2, index) = best(glove_all)
t_mnist, (x, y) = best(lambda: (np.load(a.images), np.load(a.labels)))
print(json.dumps({
    "vectors": t_npy, "glove_all": t_all, "mnist": t_mnist,
    "check_vectors": float(v[::997, ::31].astype(np.float64).sum()),
    "words": len(index),
    "check_mnist": float(x[::97, ::7].astype(np.float64).sum()) + int(y.sum()),
}))
