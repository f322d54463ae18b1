"""Reference timings for bench/geometry, one round: scipy's
linear_sum_assignment on the cost matrix and POT's
sliced_wasserstein_distance on the two clouds with the Go benchmark's
directions (so the values agree), from .npy files the Go side wrote.
Prints one JSON object on stdout; times exclude reading the files."""
import json
import os
import sys
import time

import numpy as np
import ot
import scipy
from scipy.optimize import linear_sum_assignment


def main():
    folder = sys.argv[1]
    load = lambda name: np.load(os.path.join(folder, name))
    cost, x, y, theta = load("cost.npy"), load("x.npy"), load("y.npy"), load("theta.npy")
    t = time.perf_counter()
    r, c = linear_sum_assignment(cost)
    lsap = time.perf_counter() - t
    t = time.perf_counter()
    # POT 0.8.2 divides by n_projections even when projections are given.
    sw = ot.sliced_wasserstein_distance(x, y, projections=theta, n_projections=theta.shape[1])
    swt = time.perf_counter() - t
    print(json.dumps({
        "versions": {"scipy": scipy.__version__, "pot": ot.__version__},
        "lsap": {"seconds": lsap, "cost": float(cost[r, c].sum())},
        "sw": {"seconds": swt, "value": float(sw)},
    }))


main()
