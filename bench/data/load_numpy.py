"""Times numpy reading the benchmark files: np.load of the .npy, and the
safetensors tensor through np.fromfile at the data offset (numpy has no
safetensors reader; this is the same single read). Prints JSON with the
best time of each over --reps rounds and a checksum."""
import argparse, json, struct, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--npy")
ap.add_argument("--safetensors")
ap.add_argument("--reps", type=int, default=1)
a = ap.parse_args()

best = {"npy": float("inf"), "safetensors": float("inf")}
check = {}
for _ in range(a.reps):
    t = time.perf_counter()
    x = np.load(a.npy)
    best["npy"] = min(best["npy"], time.perf_counter() - t)
    check["npy"] = float(x[::997, ::31].astype(np.float64).sum())
    del x
    t = time.perf_counter()
    with open(a.safetensors, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        h = json.loads(f.read(n))
        e = h["emb"]
        b, e_ = e["data_offsets"]
        f.seek(8 + n + b)
        y = np.fromfile(f, dtype="<f4", count=(e_ - b) // 4).reshape(e["shape"])
    best["safetensors"] = min(best["safetensors"], time.perf_counter() - t)
    check["safetensors"] = float(y[::997, ::31].astype(np.float64).sum())
    del y
print(json.dumps({"best": best, "check": check}))
