"""Trains scikit-learn's MLPClassifier (64-128-64-10, ReLU, Adam, batch 32)
on the digits with the train/test rows given by the Go benchmark (a .npz
with xtr, ytr, xte, yte) and prints JSON: seconds, samples/s, accuracy."""
import json, sys, time, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier

d = np.load(sys.argv[1])
epochs = int(sys.argv[2])
clf = MLPClassifier(hidden_layer_sizes=(128, 64), activation="relu", solver="adam",
                    batch_size=32, learning_rate_init=1e-3, max_iter=epochs, alpha=0.0,
                    shuffle=True, random_state=1, tol=0.0, n_iter_no_change=10**9)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t = time.perf_counter()
    clf.fit(d["xtr"], d["ytr"])
    s = time.perf_counter() - t
print(json.dumps({"seconds": s, "samples_per_s": epochs * len(d["ytr"]) / s,
                  "accuracy": float(clf.score(d["xte"], d["yte"]))}))
