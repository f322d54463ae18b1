"""Writes .npy/.npz/.safetensors files with numpy (and the standard library
for safetensors) into sys.argv[1], and prints a JSON description of every
array (dtype, shape, C-order values) for the Go test to compare against."""
import json, os, struct, sys
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(7)
ref = {}

def note(name, a):
    a = np.asarray(a)
    vals = a.astype(np.float64).ravel(order="C")
    ref[name] = {"dtype": str(a.dtype), "shape": list(a.shape),
                 "values": [float(v) if np.isfinite(v) else repr(float(v)) for v in vals]}

def save(name, a):
    np.save(os.path.join(out, name + ".npy"), a)
    note(name, a)

save("c_f4", rng.standard_normal((5, 7)).astype(np.float32))
save("f_f8", np.asfortranarray(rng.standard_normal((6, 4))))
save("f_f4_3d", np.asfortranarray(rng.standard_normal((3, 4, 5)).astype(np.float32)))
# float16 with subnormals, the largest finite value and infinities
h = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6.0e-8, 3.0e-5, 1.0e-4, 0.333, np.inf, -np.inf, 1e5], dtype=np.float16)
save("f2_special", h.reshape(3, 4))
save("f2_3d", (rng.standard_normal((2, 3, 4)) * 100).astype(np.float16))
save("be_f8", rng.standard_normal((3, 3)).astype(">f8"))
save("be_i4", np.arange(-6, 6, dtype=">i4").reshape(3, 4))
save("i8", np.arange(-10, 10, dtype=np.int64) * 1000003)
save("i4_f", np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4)))
save("i2", np.array([-32768, 0, 32767], dtype=np.int16))
save("i1", np.array([-128, -1, 0, 127], dtype=np.int8))
save("u1", np.arange(256, dtype=np.uint8).reshape(16, 16))
save("u2", np.array([0, 65535], dtype=np.uint16))
save("u4", np.array([0, 4294967295], dtype=np.uint32))
save("b1", (rng.standard_normal((4, 5)) > 0))
save("b1_f", np.asfortranarray(rng.standard_normal((4, 5)) > 0))
save("scalar", np.float64(3.25))
save("empty", np.zeros((0, 3), dtype=np.float32))

# all 65536 float16 bit patterns (NaNs excluded from the values check)
bits = np.arange(65536, dtype=np.uint32).astype(np.uint16)
np.save(os.path.join(out, "f2_all.npy"), bits.view(np.float16))
ref["f2_all"] = {"dtype": "float16", "shape": [65536],
                 "values": [float(v) if np.isfinite(v) else repr(float(v)) for v in bits.view(np.float16).astype(np.float64)]}

np.save(os.path.join(out, "object.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save(os.path.join(out, "structured.npy"), np.zeros(3, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save(os.path.join(out, "unicode.npy"), np.array(["ab", "c"]))

za = rng.standard_normal((8, 3)).astype(np.float32)
zb = np.arange(8, dtype=np.int64)
np.savez(os.path.join(out, "stored.npz"), emb=za, labels=zb)
np.savez_compressed(os.path.join(out, "compressed.npz"), emb=za, labels=zb,
                    fort=np.asfortranarray(rng.standard_normal((4, 6))))
note("npz_emb", za)
note("npz_labels", zb)

# safetensors with the standard library: 8-byte little-endian header
# length, JSON header, raw little-endian C-order data.
tensors = {
    "w.f32": rng.standard_normal((4, 6)).astype(np.float32),
    "w.f64": rng.standard_normal((3, 2)),
    "w.f16": (rng.standard_normal((2, 5)) * 10).astype(np.float16),
    "ids.i64": np.arange(-3, 4, dtype=np.int64),
    "mask.bool": np.array([True, False, True]),
    "w.bf16": rng.standard_normal((3, 4)).astype(np.float32),
}
codes = {"float32": "F32", "float64": "F64", "float16": "F16", "int64": "I64", "bool": "BOOL"}
header, blobs, off = {"__metadata__": {"format": "pt", "by": "numpy"}}, [], 0
for name, a in tensors.items():
    if name == "w.bf16":
        # bfloat16 = upper 16 bits of float32, rounded to nearest even
        u = a.view(np.uint32).astype(np.uint64)
        r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
        b = r.astype("<u2").tobytes()
        note("st_" + name, (r.astype(np.uint32) << 16).view(np.float32).reshape(a.shape))
        code = "BF16"
    else:
        b = a.astype(a.dtype.newbyteorder("<")).tobytes(order="C")
        note("st_" + name, a)
        code = codes[str(a.dtype)]
    header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
    blobs.append(b)
    off += len(b)
hj = json.dumps(header).encode()
hj += b" " * ((8 - len(hj) % 8) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(hj)))
    f.write(hj)
    for b in blobs:
        f.write(b)

json.dump(ref, open(os.path.join(out, "ref.json"), "w"))
