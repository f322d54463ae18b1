"""Kernel startup and request round-trip: subspace against ipykernel.

Both kernels are driven by the same jupyter_client code (KernelManager +
BlockingKernelClient):

  startup     time from KernelManager.start_kernel() to the kernel_info_reply
              of a kernel_info_request sent right away (median of STARTS starts)
  round trip  time from sending a trivial execute_request to the iopub status
              idle of that request (median and p99 of ROUNDS requests, after
              WARMUP requests)

The kernels are measured in turn (starts one after the other, round trips in
BLOCKS blocks), so that a shared machine's load falls on all of them alike.

ipykernel runs as /usr/bin/python3 -m ipykernel_launcher from a kernelspec
"python3-bench" written into $JUPYTER_DATA_DIR (build/jupyter under make).
subspace runs twice: on its default transport (libzmq) and, from a kernelspec
"subspace-go-bench" with SUBSPACE_TRANSPORT=go, on the pure Go fallback.
BENCH_KERNEL_EXTRA="label=kernelspec,..." adds more kernels (for example an
older build) to the same run.
Ratios are subspace / ipykernel: below 1 means subspace is faster.
"""

import json
import os
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

STARTS = int(os.environ.get("BENCH_KERNEL_STARTS", "15"))
ROUNDS = int(os.environ.get("BENCH_KERNEL_ROUNDS", "500"))
WARMUP = 20
BLOCKS = 10
TIMEOUT = 60


def install_ipykernel_spec():
    data = os.environ.get("JUPYTER_DATA_DIR")
    if not data:
        sys.exit("JUPYTER_DATA_DIR must be set (run through `make bench-kernel`)")
    d = os.path.join(data, "kernels", "python3-bench")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump({"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                   "display_name": "Python 3 (bench)", "language": "python"}, f)


def install_go_transport_spec():
    """A copy of the subspace kernelspec that runs on the pure Go transport."""
    data = os.environ["JUPYTER_DATA_DIR"]
    with open(os.path.join(data, "kernels", "subspace", "kernel.json")) as f:
        spec = json.load(f)
    spec["env"] = dict(spec.get("env", {}), SUBSPACE_TRANSPORT="go")
    spec["display_name"] += " (pure Go transport, bench)"
    d = os.path.join(data, "kernels", "subspace-go-bench")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(spec, f)


def wait_reply(kc, msg_id):
    deadline = time.monotonic() + TIMEOUT
    while True:
        r = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def startup_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        wait_reply(kc, kc.kernel_info())
        return time.perf_counter() - t0
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def open_kernel(name, setup):
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    kc.execute_interactive(setup, timeout=TIMEOUT, output_hook=lambda m: None)
    return km, kc


def round_trips(kc, name, code, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute(code, store_history=False)
        while True:
            m = kc.get_iopub_msg(timeout=TIMEOUT)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle"):
                break
        times.append(time.perf_counter() - t0)
        r = wait_reply(kc, msg_id)
        if r["content"]["status"] != "ok":
            raise RuntimeError(f"{name}: {code!r} failed: {r['content']}")
    return times


def measure(kernels):
    """Startups and round trips of every kernel, interleaved (one start of
    each in turn; round trips in BLOCKS blocks, each kernel in turn), so that
    the load of a shared machine falls on all of them alike."""
    res = {label: {"startup": [], "rt": []} for label, *_ in kernels}
    for _ in range(STARTS):
        for label, name, _, _ in kernels:
            res[label]["startup"].append(startup_time(name))
    open_ = {label: open_kernel(name, setup) for label, name, setup, _ in kernels}
    try:
        for label, name, _, code in kernels:
            round_trips(open_[label][1], name, code, WARMUP)
        for _ in range(BLOCKS):
            for label, name, _, code in kernels:
                res[label]["rt"] += round_trips(open_[label][1], name, code, ROUNDS // BLOCKS)
    finally:
        for km, kc in open_.values():
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return {label: {"startup": statistics.median(r["startup"]), "rt_median": statistics.median(r["rt"]),
                    "rt_p99": p99(r["rt"])} for label, r in res.items()}


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def main():
    install_ipykernel_spec()
    install_go_transport_spec()
    kernels = [("ipykernel", "python3-bench", "a = 0", "a = 1"),
               ("subspace", "subspace", "a := 0", "a = 1"),
               ("subspace, pure Go transport", "subspace-go-bench", "a := 0", "a = 1")]
    for extra in filter(None, os.environ.get("BENCH_KERNEL_EXTRA", "").split(",")):
        label, name = extra.split("=", 1)
        kernels.append((label, name, "a := 0", "a = 1"))
    res = measure(kernels)
    print(f"measured {len(kernels)} kernels: {STARTS} starts, {ROUNDS} round trips each, interleaved",
          file=sys.stderr)
    ip = res.pop("ipykernel")
    print(f"\nKernel benchmark ({STARTS} starts, {ROUNDS} execute round trips; ratio = subspace / ipykernel)")
    for label, ss in res.items():
        print(f"\n{'metric':<40}{'ipykernel':>12}{label[:30]:>32}{'ratio':>8}")
        for key, title in [("startup", "startup to kernel_info_reply (median)"),
                           ("rt_median", "execute round trip (median)"),
                           ("rt_p99", "execute round trip (p99)")]:
            print(f"{title:<40}{ip[key] * 1e3:>10.2f}ms{ss[key] * 1e3:>30.2f}ms{ss[key] / ip[key]:>8.2f}")


if __name__ == "__main__":
    main()
