# scipy.optimize.quadratic_assignment (FAQ, maximise, 8 random starts plus
# the barycentre) on each (A, B) pair (assign_test.go); returns the best
# objective sum_ij A_ij B_{p(i) p(j)} it finds.
import json, sys
import numpy as np
from scipy.optimize import quadratic_assignment

out = []
for case in json.load(sys.stdin):
    a, b = np.array(case["a"]), np.array(case["b"])
    best = -np.inf
    for p0 in ["barycenter"] + ["randomized"] * 8:
        r = quadratic_assignment(a, b, method="faq", options={"maximize": True, "P0": p0, "rng": len(out)})
        best = max(best, float(r.fun))
    out.append(best)
json.dump(out, sys.stdout)
