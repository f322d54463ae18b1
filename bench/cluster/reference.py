"""Reference timing for bench/cluster: scikit-learn KMeans (Lloyd) from the
given initial centres, max_iter iterations with tol=0. argv: x.npy init.npy
max_iter reps. Prints JSON: seconds (best of reps), inertia, n_iter, threads."""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info

X = np.load(sys.argv[1])
init = np.load(sys.argv[2])
max_iter, reps = int(sys.argv[3]), int(sys.argv[4])
best, km = float("inf"), None
for _ in range(reps):
    km = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd")
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km.fit(X)
    best = min(best, time.perf_counter() - t)
json.dump({"seconds": best, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_),
           "sklearn": sklearn.__version__,
           "threads": [(i["internal_api"], i["num_threads"]) for i in threadpool_info()]}, sys.stdout)
