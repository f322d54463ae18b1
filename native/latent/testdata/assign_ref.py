# scipy.optimize.linear_sum_assignment on each cost matrix (assign_test.go).
import json, sys
import numpy as np
from scipy.optimize import linear_sum_assignment

out = []
for c in json.load(sys.stdin):
    c = np.array(c)
    r, col = linear_sum_assignment(c)
    out.append({"cols": col.tolist(), "cost": float(c[r, col].sum())})
json.dump(out, sys.stdout)
