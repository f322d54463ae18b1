# References for translate_test.go: scipy's orthogonal Procrustes,
# scikit-learn's Ridge (fit_intercept) and LinearRegression, numpy's lstsq.
import json, sys
import numpy as np
from scipy.linalg import orthogonal_procrustes
from sklearn.linear_model import LinearRegression, Ridge

inp = json.load(sys.stdin)
x = np.load(inp["x"]); y = np.load(inp["y"])
r, s = orthogonal_procrustes(x, y)
ridge = Ridge(alpha=inp["alpha"], fit_intercept=True).fit(x, y)
lin = LinearRegression().fit(x, y)
w, *_ = np.linalg.lstsq(x, y, rcond=None)
json.dump({
    "rotation": r.tolist(), "nuclear": float(s),
    "ridge_coef": ridge.coef_.T.tolist(), "ridge_intercept": ridge.intercept_.tolist(),
    "lin_coef": lin.coef_.T.tolist(), "lin_intercept": lin.intercept_.tolist(),
    "lstsq": w.tolist(),
}, sys.stdout)
