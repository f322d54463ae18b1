"""scikit-learn KMeans (Lloyd) from given initial centres, for
native/cluster's tests. stdin: {"x": npy path, "cases": [{"init": rows,
"max_iter": int, "tol": float}]}; stdout: per case labels, centres,
inertia and n_iter."""
import json
import sys
import warnings

import numpy as np
from sklearn.cluster import KMeans

req = json.load(sys.stdin)
X = np.load(req["x"])
out = []
for case in req["cases"]:
    init = np.array(case["init"], dtype=np.float64)
    km = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=case["max_iter"],
                tol=case["tol"], algorithm="lloyd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km.fit(X)
    out.append({"labels": km.labels_.tolist(), "centers": km.cluster_centers_.tolist(),
                "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)})
json.dump(out, sys.stdout)
