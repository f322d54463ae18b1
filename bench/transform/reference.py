# Python side of bench/transform: scikit-learn's PowerTransformer and
# QuantileTransformer on the same .npy data, best of reps, as JSON.
import json, sys, time, warnings
import numpy as np
from sklearn.preprocessing import PowerTransformer, QuantileTransformer

path, reps = sys.argv[1], int(sys.argv[2])
X = np.load(path)
n = X.shape[0]

def best(f, reps):
    t, r = float("inf"), None
    for _ in range(reps):
        s = time.perf_counter()
        r = f()
        t = min(t, time.perf_counter() - s)
    return t, r

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t_pow, pt = best(lambda: PowerTransformer().fit(X), reps)
    t_q, z = best(lambda: QuantileTransformer(n_quantiles=1000, subsample=n).fit_transform(X), reps)
    t_qd, _ = best(lambda: QuantileTransformer(n_quantiles=1000).fit_transform(X), reps)
print(json.dumps({"power_s": t_pow, "lambdas": pt.lambdas_.tolist(),
                  "quantile_s": t_q, "quantile_first": z[0].tolist(),
                  "quantile_default_s": t_qd}))
