"""numpy reference for native/merge's tests: reads .safetensors with numpy
only (header JSON + np.frombuffer) and implements the merge methods from
their papers' definitions, for the same-run comparisons in merge_test.go.

usage: merge_ref.py METHOD JSON_PARAMS BASE TUNED... ; prints JSON
{tensor: [values...]} (float64 lists, C order) or the comparison stats."""
import json
import struct
import sys

import numpy as np

DT = {"F64": np.float64, "F32": np.float32, "I64": np.int64, "I32": np.int32}


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, t in header.items():
        lo, hi = t["data_offsets"]
        out[name] = (t["dtype"], np.frombuffer(data[lo:hi], dtype=DT[t["dtype"]]).copy())
    return out, meta


def ties(b, taus, w, density, lam, trim=True):
    kept = []
    for tau in taus:
        if trim:
            k = int(np.floor(density * tau.size))
            keep = np.zeros(tau.size, dtype=bool)
            keep[np.argsort(-np.abs(tau), kind="stable")[:k]] = True
            tau = np.where(keep, tau, 0)
        kept.append(tau.astype(np.float64))
    kept = np.stack(kept)
    wt = np.asarray(w)[:, None]
    sign = np.where((wt * kept).sum(0) >= 0, 1.0, -1.0)
    agree = (kept != 0) & (np.sign(kept) == sign)
    num = (wt * kept * agree).sum(0)
    den = (wt * agree).sum(0)
    merged = np.where(den > 0, num / np.where(den > 0, den, 1), 0)
    return b.astype(np.float64) + lam * merged


def slerp(t, a, b):
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    na, nb = np.linalg.norm(a64), np.linalg.norm(b64)
    if na == 0 or nb == 0:
        return (1 - t) * a64 + t * b64
    dot = np.sum((a64 / na) * (b64 / nb))
    if abs(dot) > 0.9995:
        return (1 - t) * a64 + t * b64
    th = np.arccos(dot)
    return np.sin((1 - t) * th) / np.sin(th) * a64 + np.sin(t * th) / np.sin(th) * b64


def model_stock(b, fs):
    taus = [(f - b).astype(np.float64) for f in fs]
    cs = []
    for i in range(len(taus)):
        for j in range(i + 1, len(taus)):
            ni, nj = np.linalg.norm(taus[i]), np.linalg.norm(taus[j])
            cs.append(np.clip(taus[i] @ taus[j] / (ni * nj), -1, 1) if ni > 0 and nj > 0 else 0.0)
    c = float(np.clip(np.mean(cs), 0, 1))
    n = len(taus)
    t = n * c / (1 + (n - 1) * c)
    return b.astype(np.float64) + t * np.mean(taus, axis=0)


def stats(taus):
    n = len(taus)
    cos = [[0.0] * n for _ in range(n)]
    conf = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            a, b = taus[i], taus[j]
            na, nb = np.linalg.norm(a), np.linalg.norm(b)
            cos[i][j] = float(a @ b / (na * nb)) if na > 0 and nb > 0 else 0.0
            both = (a != 0) & (b != 0)
            conf[i][j] = float(np.mean(np.sign(a[both]) != np.sign(b[both]))) if both.any() else 0.0
    return {"norms": [float(np.linalg.norm(t)) for t in taus], "cosine": cos, "conflict": conf}


def main():
    method, p = sys.argv[1], json.loads(sys.argv[2])
    base, meta = read(sys.argv[3])
    tuned = [read(x)[0] for x in sys.argv[4:]]
    out = {}
    if method == "stats":
        names = [k for k in sorted(base) if base[k][0] in ("F32", "F64")]
        flat = [np.concatenate([(t[k][1].astype(np.float64) - base[k][1].astype(np.float64)) for k in names]) for t in tuned]
        res = stats(flat)
        res["tensors"] = {k: stats([t[k][1].astype(np.float64) - base[k][1].astype(np.float64) for t in tuned]) for k in names}
        json.dump(res, sys.stdout)
        return
    for name, (dt, b) in base.items():
        if dt not in ("F32", "F64"):
            out[name] = b.astype(np.float64).tolist()
            continue
        fs = [t[name][1] for t in tuned]
        w = p.get("tensor_scales", {}).get(name, p.get("weights", [1.0] * len(fs)))
        lam = p.get("lambda", 1.0)
        if method == "task_arithmetic":
            r = b.astype(np.float64) + lam * sum(wi * (f.astype(np.float64) - b) for wi, f in zip(w, fs))
        elif method == "ties":
            # task vectors in the tensor's own precision, as the Go code
            r = ties(b, [(f - b) for f in fs], w, p["density"], lam)
        elif method == "slerp":
            r = slerp(p["t"], b, fs[0])
        elif method == "model_stock":
            r = model_stock(b, fs)
        else:
            raise SystemExit("unknown method " + method)
        out[name] = np.asarray(r, dtype=np.float64).tolist()
    json.dump(out, sys.stdout)


main()
