"""Faults in cells that must not take the kernel down (issue 14, part B).

A kernel started from the installed kernelspec runs its cells in a worker
process. Fatal runtime errors in a cell (stack overflow, out of memory,
concurrent map writes, a kill of the worker) must give that cell an error
naming the cause and leave a fresh session that answers, in the same kernel
process; faults that can be recovered in-process (a panic in a
time.AfterFunc callback, killing the kernel's own process, closing
os.Stdout, runtime.Goexit) keep the session's state; interrupts stop native
work (the worker's CPU use drops) and blocking cells, and the next cell
runs at once. Everything runs on 127.0.0.1 with bounded waits.
"""

import os
import signal
import time
import unittest

from jupyter_client import BlockingKernelClient
from jupyter_client.manager import start_new_kernel

from test_robustness import collect, reply_to

TIMEOUT = 60


def cpu_seconds(pid):
    """user + system CPU time of process pid, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="subspace", startup_timeout=60)
        cls.kernel_pid = cls.km.provisioner.process.pid

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def execute(self, code, timeout=TIMEOUT):
        msg_id = self.kc.execute(code)
        reply = reply_to(self.kc, msg_id, timeout)
        return reply, collect(self.kc, msg_id, timeout)

    def value(self, code):
        r, out = self.execute(code)
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        results = [m for m in out if m["msg_type"] == "execute_result"]
        return results[0]["content"]["data"]["text/plain"] if results else None

    def text(self, out):
        parts = []
        for m in out:
            c = m["content"]
            parts.append(c.get("text", "") + c.get("evalue", "") + "\n".join(c.get("traceback", [])))
        return "\n".join(parts)

    def worker_pid(self):
        return int(self.value('import "os"\nos.Getpid()'))

    def start_cell(self, code):
        """Sends code and waits until it runs (its execute_input)."""
        msg_id = self.kc.execute(code)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == msg_id:
                return msg_id
        self.fail("the cell did not start")

    def assert_fatal(self, code, cause):
        """code kills the worker: error naming cause, a fresh session, same kernel."""
        self.value("x := 1")
        before = self.worker_pid()
        r, out = self.execute(code)
        c = r["content"]
        self.assertEqual(c["status"], "error", c)
        self.assertEqual(c["ename"], "FatalError", c)
        self.assertIn(cause, c["evalue"])
        self.assertIn("state", c["evalue"])
        self.assertIn(cause, self.text(out), "the error output names the cause")
        t0 = time.monotonic()
        self.assertEqual(self.value("1 + 1"), "2")
        print(f"\n  {cause}: fresh session answered {1000 * (time.monotonic() - t0):.0f} ms after the error reply")
        # A second client connects and finds the fresh session answering.
        # Its own session, so its own identity: libzmq's ROUTER (as
        # ipykernel's) refuses a second peer with an identity still held.
        kc2 = BlockingKernelClient()
        kc2.load_connection_info(self.km.get_connection_info())
        kc2.start_channels()
        try:
            kc2.wait_for_ready(timeout=10)
            r = kc2.execute_interactive("3 * 3", timeout=10, output_hook=lambda m: None)
            self.assertEqual(r["content"]["status"], "ok", r["content"])
        finally:
            kc2.stop_channels()
        self.assertNotEqual(self.worker_pid(), before, "a new worker runs the cells")
        r, _ = self.execute("x")
        self.assertEqual(r["content"]["status"], "error", "state was lost, as the error said")
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.km.provisioner.process.pid, self.kernel_pid, "the kernel process itself survived")

    def test_stack_overflow(self):
        self.assert_fatal("func f(n int) int { return f(n+1) + 1 }\nf(0)", "stack overflow")

    def test_out_of_memory(self):
        self.assert_fatal("b := make([]byte, 1<<46)\nlen(b)", "out of memory")

    def test_concurrent_map_writes(self):
        self.assert_fatal('import "time"\nm := map[int]int{}\nfor g := 0; g < 4; g++ {\n\tgo func() {\n'
                          '\t\tfor i := 0; ; i++ {\n\t\t\tm[i%100] = i\n\t\t}\n\t}()\n}\ntime.Sleep(20 * time.Second)',
                          "concurrent map writes")

    def test_worker_killed(self):
        pid = self.worker_pid()
        msg_id = self.start_cell('import "time"\ntime.Sleep(time.Hour)')
        time.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
        r = reply_to(self.kc, msg_id)
        self.assertEqual(r["content"]["ename"], "FatalError")
        self.assertIn("SIGKILL", r["content"]["evalue"])
        collect(self.kc, msg_id)
        self.assertEqual(self.value("2 + 2"), "4")

    def test_recovered_in_process(self):
        self.value('import (\n\t"fmt"\n\t"os"\n\t"runtime"\n\t"syscall"\n\t"time"\n)\nkept := 41')
        r, out = self.execute('time.AfterFunc(time.Millisecond, func() { panic("boom in a timer") })\n'
                              'time.Sleep(300 * time.Millisecond)')
        self.assertEqual(r["content"]["status"], "error")
        self.assertIn("boom in a timer", r["content"]["evalue"])
        for code in ("(&os.Process{Pid: os.Getpid()}).Kill()", "syscall.Kill(os.Getpid(), syscall.SIGKILL)",
                     "syscall.Kill(os.Getppid(), syscall.SIGKILL)"):
            self.assertIn("refused", self.value(code), code)
        r, _ = self.execute("runtime.Goexit()")
        self.assertEqual(r["content"]["status"], "error")
        self.assertIn("Goexit", r["content"]["evalue"])
        self.execute("os.Stdout.Close()")
        r, out = self.execute('fmt.Println("still here")')
        self.assertIn("still here", self.text(out))
        self.assertEqual(self.value("kept + 1"), "42")

    def test_interrupt_knn(self):
        pid = self.worker_pid()
        self.value('import (\n\t"github.com/subspace-kernel/subspace/native/knn"\n'
                   '\t"github.com/subspace-kernel/subspace/native/synthetic"\n)\n'
                   "X, _ := synthetic.Cube(200000, 128, synthetic.Embed{Seed: 1})\nkept := 3")
        msg_id = self.start_cell("nn, err := knn.SearchSelf(X, knn.Options{K: 10})")
        time.sleep(1.5)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        r = reply_to(self.kc, msg_id)
        self.assertEqual(r["content"]["ename"], "Interrupted")
        collect(self.kc, msg_id)
        # CPU use must have dropped within 2 s of the interrupt.
        time.sleep(max(0, 2 - (time.monotonic() - t0)))
        c0 = cpu_seconds(pid)
        time.sleep(1)
        used = cpu_seconds(pid) - c0
        print(f"\n  kNN 200000x128: worker CPU {used:.2f} s in the second starting 2 s after the interrupt")
        self.assertLess(used, 0.3, "the search kept running after the interrupt")
        self.assertEqual(self.value("kept"), "3")

    def test_interrupt_blocking(self):
        self.value('import (\n\t"sync"\n\t"time"\n)\nkept := 5')
        for code in ("time.Sleep(time.Hour)", "var wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()", "select {}"):
            msg_id = self.start_cell(code)
            time.sleep(0.3)
            self.km.interrupt_kernel()
            r = reply_to(self.kc, msg_id)
            self.assertEqual(r["content"]["ename"], "Interrupted", code)
            collect(self.kc, msg_id)
            t0 = time.monotonic()
            self.assertEqual(self.value("kept"), "5", code)
            wait = time.monotonic() - t0
            print(f"\n  after interrupting {code.splitlines()[-1]!r}: next cell answered in {1000 * wait:.0f} ms")
            self.assertLess(wait, 10, "the next cell waited for the interrupted one")


if __name__ == "__main__":
    unittest.main()
