"""Trains scikit-learn's MLPClassifier with the architecture and settings
given by the Go benchmark on the split it wrote (.npz with xtr, ytr, xte,
yte) and prints JSON: seconds, samples/s, test accuracy."""
import json, sys, time, warnings
import numpy as np
from sklearn.neural_network import MLPClassifier

d = np.load(sys.argv[1])
hidden = tuple(int(h) for h in sys.argv[2].split(","))
epochs, batch, lr = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
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
