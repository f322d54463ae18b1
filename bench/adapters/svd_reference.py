"""Reference side of bench/adapters' SVD benchmark, timed in the same job
as the Go code on the same matrix.

usage: svd_reference.py full MATRIX.npy
         numpy's full SVD: {"numpy", "full_seconds", "s"}
       svd_reference.py lowrank MATRIX.npy RANK OVERSAMPLE NITER REPS
         torch.svd_lowrank, REPS runs (one seed each) with 1 thread and with
         every core: {"torch", "seconds" (best), "threads" (of the best),
         "s_runs" (the RANK leading singular values of every run)}"""
import json
import os
import sys
import time

import numpy as np
import torch

mode, a = sys.argv[1], np.load(sys.argv[2])
if mode == "full":
    t = time.perf_counter()
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    json.dump({"numpy": np.__version__, "full_seconds": time.perf_counter() - t, "s": s.tolist()}, sys.stdout)
    sys.exit(0)

rank, over, niter, reps = (int(v) for v in sys.argv[3:7])
at = torch.from_numpy(a)
# Debian's torch starts with one thread here; try one and every core (as
# numpy's BLAS and the Go side have) and keep its best.
best, best_threads, runs = float("inf"), 0, []
for threads in sorted({1, os.cpu_count()}):
    torch.set_num_threads(threads)
    for i in range(reps):
        torch.manual_seed(i)
        t = time.perf_counter()
        _, sl, _ = torch.svd_lowrank(at, q=rank + over, niter=niter)
        took = time.perf_counter() - t
        if took < best:
            best, best_threads = took, threads
        runs.append(sl[:rank].tolist())
json.dump({"torch": torch.__version__, "seconds": best, "threads": best_threads, "s_runs": runs}, sys.stdout)
