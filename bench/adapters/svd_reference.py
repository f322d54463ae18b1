"""Reference side of bench/adapters: numpy's full SVD and torch.svd_lowrank
on the same matrix, timed in the same job as the Go code; torch's error is
the median over its runs (one seed each) of the largest relative error of
the leading singular values.

usage: svd_reference.py MATRIX.npy RANK OVERSAMPLE NITER REPS -> JSON on stdout"""
import json
import os
import sys
import time

import numpy as np
import torch

a = np.load(sys.argv[1])
rank, over, niter, reps = (int(v) for v in sys.argv[2:6])

t = time.perf_counter()
u, s, vt = np.linalg.svd(a, full_matrices=False)
t_full = time.perf_counter() - t

# Debian's torch starts with one thread here; try it with one and with
# every core (as numpy's BLAS and the Go side have) and keep its best.
at = torch.from_numpy(a)
best, best_threads, errs = float("inf"), 0, []
for threads in sorted({1, os.cpu_count()}):
    torch.set_num_threads(threads)
    for i in range(reps):
        torch.manual_seed(i)
        t = time.perf_counter()
        _, sl, _ = torch.svd_lowrank(at, q=rank + over, niter=niter)
        if time.perf_counter() - t < best:
            best, best_threads = time.perf_counter() - t, threads
        errs.append(float(np.max(np.abs(sl[:rank].numpy() - s[:rank]) / s[:rank])))

json.dump({"numpy": np.__version__, "torch": torch.__version__, "torch_threads": best_threads,
           "full_seconds": t_full, "lowrank_seconds": best,
           "s": s[:rank].tolist(), "lowrank_err": float(np.median(errs))}, sys.stdout)
