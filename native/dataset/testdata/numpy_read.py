"""Reads the .npy/.npz files listed on stdin (one path a line; npz members
as path::name) with np.load, and safetensors tensors (st:path::name) with
the standard library and np.frombuffer, and prints JSON: dtype, shape and
C-order values of each."""
import json, struct, sys
import numpy as np

ST = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
      "I8": "i1", "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?"}

def safetensor(path, name):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n])
    t = h[name]
    b, e = t["data_offsets"]
    if t["dtype"] == "BF16":
        u = np.frombuffer(raw[8 + n + b:8 + n + e], dtype="<u2").astype(np.uint32) << 16
        return u.view(np.float32).reshape(t["shape"]), "bfloat16"
    a = np.frombuffer(raw[8 + n + b:8 + n + e], dtype=ST[t["dtype"]]).reshape(t["shape"])
    return a, None

res = {}
for line in sys.stdin:
    p = line.strip()
    if not p:
        continue
    dt = None
    if p.startswith("st:"):
        path, name = p[3:].split("::")
        a, dt = safetensor(path, name)
    elif "::" in p:
        path, name = p.split("::")
        a = np.load(path)[name]
    else:
        a = np.load(p)
    v = np.asarray(a).astype(np.float64).ravel(order="C")
    res[p] = {"dtype": dt or str(a.dtype), "shape": list(a.shape),
              "values": [float(x) if np.isfinite(x) else repr(float(x)) for x in v]}
json.dump(res, sys.stdout)
