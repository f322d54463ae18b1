"""Trains scikit-learn's MLPClassifier (ReLU, Adam; by default 64-128-64-10
with batch 32 and learning rate 1e-3, as bench/data uses on the digits) on
the train/test rows given by a Go benchmark (a .npz with xtr, ytr, xte,
yte) and prints JSON: seconds, samples/s, accuracy.

    mlp_sklearn.py SPLIT.npz EPOCHS [HIDDEN=128,64 [BATCH=32 [LR=1e-3]]]"""
import json, sys, time, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier

d = np.load(sys.argv[1])
epochs = int(sys.argv[2])
hidden = tuple(int(h) for h in (sys.argv[3] if len(sys.argv) > 3 else "128,64").split(","))
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 32
lr = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-3
clf = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="adam",
                    batch_size=batch, learning_rate_init=lr, max_iter=epochs, alpha=0.0,
                    shuffle=True, random_state=1, tol=0.0, n_iter_no_change=10**9)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t = time.perf_counter()
    clf.fit(d["xtr"], d["ytr"])
    s = time.perf_counter() - t
print(json.dumps({"seconds": s, "samples_per_s": epochs * len(d["ytr"]) / s,
                  "accuracy": float(clf.score(d["xte"], d["yte"]))}))
