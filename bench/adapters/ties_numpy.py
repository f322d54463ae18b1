"""numpy TIES merge of .safetensors files, tensor by tensor, for
bench/adapters: reads each tensor with np.fromfile at its offset (float32),
trims each task vector to its top-k magnitudes (np.partition), elects the
sign of the sum, averages the agreeing entries, and streams the merged
tensors into a new file. Peak memory is one tensor set, as in the Go code.

usage: ties_numpy.py OUT DENSITY LAMBDA BASE TUNED... ; prints the seconds"""
import json
import struct
import sys
import time

import numpy as np


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        h = json.loads(f.read(n))
    h.pop("__metadata__", None)
    return h, 8 + n


def load(path, base, t):
    lo, hi = t["data_offsets"]
    return np.fromfile(path, dtype=np.float32, count=(hi - lo) // 4, offset=base + lo)


def ties(b, fs, density, lam):
    trimmed = []
    for f in fs:
        tau = f - b
        k = int(np.floor(density * tau.size))
        mag = np.abs(tau)
        thr = np.partition(mag, tau.size - k)[tau.size - k]
        trimmed.append(np.where(mag >= thr, tau, np.float32(0)))
    total = sum(trimmed)
    pos = total >= 0
    num = np.zeros_like(b)
    den = np.zeros_like(b)
    for tau in trimmed:
        agree = (tau != 0) & ((tau > 0) == pos)
        num += np.where(agree, tau, np.float32(0))
        den += agree
    merged = np.where(den > 0, num / np.maximum(den, 1), np.float32(0))
    return (b + np.float32(lam) * merged).astype(np.float32)


def main():
    out, density, lam = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    paths = sys.argv[4:]
    start = time.perf_counter()
    heads = [header(p) for p in paths]
    names = sorted(heads[0][0])
    meta = {"merge.method": "ties", "merge.tool": "numpy reference"}
    hdr, off = {"__metadata__": meta}, 0
    for name in names:
        t = heads[0][0][name]
        size = t["data_offsets"][1] - t["data_offsets"][0]
        hdr[name] = {"dtype": "F32", "shape": t["shape"], "data_offsets": [off, off + size]}
        off += size
    hj = json.dumps(hdr).encode()
    hj += b" " * ((8 - len(hj) % 8) % 8)
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for name in names:
            b = load(paths[0], heads[0][1], heads[0][0][name])
            fs = [load(p, h[1], h[0][name]) for p, h in zip(paths[1:], heads[1:])]
            f.write(ties(b, fs, density, lam).tobytes())
    print(json.dumps({"seconds": time.perf_counter() - start, "numpy": np.__version__}))


main()
