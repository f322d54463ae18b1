"""Robustness of the subspace kernel in a jupyter_client session.

A kernel started from the installed kernelspec (KernelManager +
BlockingKernelClient) must survive forged and malformed messages, interrupts
of busy loops, goroutine panics and os.Exit, abort queued cells after an
error, round-trip stdin, and shut down / restart on request.
"""

import time
import unittest
from queue import Empty

import zmq
from jupyter_client.manager import start_new_kernel

TIMEOUT = 20


def collect(kc, msg_id, timeout=TIMEOUT):
    """iopub messages of request msg_id up to its idle status."""
    out = []
    deadline = time.monotonic() + timeout
    while True:
        m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                return out
            continue
        out.append(m)


def quiet(msg):
    """output_hook that drops outputs (execute_interactive prints them)."""


def reply_to(kc, msg_id, timeout=TIMEOUT):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


class Session(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="subspace", startup_timeout=60)
        r, _ = cls.execute(cls, 'import (\n\t"fmt"\n\t"os"\n\t"time"\n)\nkept := 41')
        if r["content"]["status"] != "ok":
            cls.tearDownClass()
            raise AssertionError(r["content"])

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def execute(self, code, **kw):
        msg_id = self.kc.execute(code, **kw)
        reply = reply_to(self.kc, msg_id)
        return reply, collect(self.kc, msg_id)

    def assert_state_intact(self):
        r, out = self.execute("kept + 1")
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        results = [m for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_forged_and_garbage_messages(self):
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        try:
            session = self.kc.session
            msg = session.msg("execute_request", content={"code": "kept = 0", "silent": False})
            frames = session.serialize(msg)
            frames[1] = b"0" * 64  # wrong HMAC
            sock.send_multipart(frames)
            sock.send_multipart([b"<IDS|MSG>", b"garbage", b"{not json"])
            sock.send_multipart([b"\xff\x00 random bytes"])
            # A correctly signed message with invalid JSON content.
            parts = [session.pack(msg["header"]), b"{}", b"{}", b"{\"code\": "]
            sock.send_multipart([b"<IDS|MSG>", session.sign(parts)] + parts)
            # None of these was answered.
            self.assertEqual(sock.poll(500), 0, "the kernel answered a bad message")
        finally:
            sock.close()
        self.assert_state_intact()

    def test_interrupt_busy_loop(self):
        msg_id = self.kc.execute("for {\n}")
        # Wait until the loop runs.
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == msg_id:
                break
        time.sleep(0.3)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        r = reply_to(self.kc, msg_id)
        self.assertEqual(r["content"]["status"], "error")
        self.assertEqual(r["content"]["ename"], "Interrupted")
        collect(self.kc, msg_id)
        self.assert_state_intact()
        self.assertLess(time.monotonic() - t0, 5, "a working cell did not follow the interrupt within 5 s")

    def test_goroutine_panic(self):
        self.execute("before := 7")
        r, out = self.execute('go func() { panic("boom in goroutine") }()\ntime.Sleep(100 * time.Millisecond)')
        texts = [m["content"].get("text", "") + m["content"].get("evalue", "") for m in out
                 if m["msg_type"] in ("stream", "error")]
        self.assertTrue(any("boom in goroutine" in t for t in texts), out)
        r, out = self.execute("before")
        self.assertEqual(r["content"]["status"], "ok")
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], "7")

    def test_stop_on_error_aborts_queued(self):
        first = self.kc.execute('time.Sleep(200 * time.Millisecond)\npanic("first fails")')
        second = self.kc.execute("kept = 1000")
        r1, r2 = reply_to(self.kc, first), reply_to(self.kc, second)
        self.assertEqual(r1["content"]["status"], "error")
        self.assertEqual(r2["content"]["status"], "aborted")
        # stop_on_error=False: the next cell runs.
        first = self.kc.execute('time.Sleep(200 * time.Millisecond)\npanic("fails")', stop_on_error=False)
        second = self.kc.execute("kept + 0")
        self.assertEqual(reply_to(self.kc, first)["content"]["status"], "error")
        self.assertEqual(reply_to(self.kc, second)["content"]["status"], "ok")
        self.assert_state_intact()  # the aborted assignment never ran

    def test_stdin_round_trip(self):
        msg_id = self.kc.execute('var name string\nfmt.Print("your name? ")\nfmt.Scanln(&name)\n"hello " + name',
                                 allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.kc.input("Ada")  # answer first: a failed check must not leave the cell waiting
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.assertEqual(req["content"]["prompt"], "your name? ")
        self.assertFalse(req["content"]["password"])
        r = reply_to(self.kc, msg_id)
        self.assertEqual(r["content"]["status"], "ok")
        out = collect(self.kc, msg_id)
        self.assertEqual(out[-1]["content"]["data"]["text/plain"], '"hello Ada"')
        # Without allow_stdin the read fails with an explanation.
        r, out = self.execute("var n int\n_, err := fmt.Scanln(&n)\nerr.Error()", allow_stdin=False)
        self.assertIn("stdin is not available", out[-1]["content"]["data"]["text/plain"])

    def test_os_exit_keeps_kernel(self):
        r, out = self.execute("os.Exit(3)")
        self.assertEqual(r["content"]["status"], "error")
        self.assertTrue(self.km.is_alive())
        self.assert_state_intact()

    def test_heartbeat(self):
        deadline = time.monotonic() + 10
        while not self.kc.hb_channel.is_beating() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertTrue(self.kc.hb_channel.is_beating(), "no heartbeat echo")

    def test_streams_while_running(self):
        msg_id = self.kc.execute('fmt.Println("early")\ntime.Sleep(1500 * time.Millisecond)\nfmt.Println("late")')
        first = None
        while first is None:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                first = m
        self.assertEqual(first["content"]["text"], "early\n")
        # The cell is still sleeping: its reply has not come yet.
        with self.assertRaises(Empty):
            self.kc.get_shell_msg(timeout=0.5)
        self.assertEqual(reply_to(self.kc, msg_id)["content"]["status"], "ok")
        collect(self.kc, msg_id)


class Shutdown(unittest.TestCase):
    def test_shutdown_request_restart_flag(self):
        km, kc = start_new_kernel(kernel_name="subspace", startup_timeout=60)
        try:
            kc.shutdown(restart=True)
            r = kc.get_control_msg(timeout=TIMEOUT)
            self.assertEqual(r["msg_type"], "shutdown_reply")
            self.assertEqual(r["content"], {"status": "ok", "restart": True})
            deadline = time.monotonic() + 10
            while km.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(km.is_alive(), "kernel still running after shutdown_request")
            self.assertEqual(km.provisioner.process.wait(), 0)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_restart_through_manager(self):
        km, kc = start_new_kernel(kernel_name="subspace", startup_timeout=60)
        try:
            r = kc.execute_interactive("x := 5", timeout=TIMEOUT, output_hook=quiet)
            self.assertEqual(r["content"]["status"], "ok")
            old = km.provisioner.process
            km.restart_kernel(now=False)  # interrupt_request + shutdown_request(restart=True)
            self.assertEqual(old.wait(), 0, "the old kernel did not exit cleanly")
            kc.stop_channels()
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            r = kc.execute_interactive("x", timeout=TIMEOUT, output_hook=quiet)
            self.assertEqual(r["content"]["status"], "error")  # a fresh kernel: x is gone
            r = kc.execute_interactive("2 + 3", timeout=TIMEOUT, output_hook=quiet)
            self.assertEqual(r["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
