"""Hostile bytes and replays against a running subspace kernel (127.0.0.1).

For each transport the kernel can run on (libzmq, the default, and the pure
Go fallback chosen with SUBSPACE_TRANSPORT=go), a kernel started from the
installed kernelspec holds some state, then receives on every socket
(shell, control, stdin, iopub, heartbeat), without knowing the key:

- a ZMTP greeting followed by a READY command whose property overruns it
  (it crashed go-zeromq/zmq4's metadata parser),
- a complete handshake followed by a frame header announcing 2^62 bytes
  (it made go-zeromq allocate without bound and crash),
- idle TCP connections (nothing sent, and half a greeting), held open,

and a subscriber that never reads while a cell prints 20 MB, and a signed
message sent three times. After each fault a second client must connect and
get a kernel_info_reply within ALIVE seconds (an idle connection that
blocked the accept loop would make it wait until the handshake deadline,
5 s) and find the state kept.
"""

import os
import socket
import struct
import time
import unittest

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.manager import start_new_kernel

from test_robustness import collect, reply_to

TIMEOUT = 30
ALIVE = 1.0  # seconds for a new client to connect and be answered
SOCKETS = ("shell", "control", "stdin", "iopub", "hb")
OUTPUT = 20 << 20  # bytes printed while a subscriber is stalled


def greeting():
    """A ZMTP 3.0 greeting for the NULL mechanism, as a client sends it."""
    return b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31


def command(body):
    """A short ZMTP command frame."""
    return bytes([0x04, len(body)]) + body


def ready(socket_type):
    """A well-formed READY command for a peer of socket_type."""
    prop = b"\x0bSocket-Type" + struct.pack(">I", len(socket_type)) + socket_type
    return command(b"\x05READY" + prop)


def peer_type(name):
    return b"SUB" if name == "iopub" else b"DEALER"


class Faults:
    """The fault suite; subclasses choose the transport."""

    transport = None

    @classmethod
    def setUpClass(cls):
        env = dict(os.environ, SUBSPACE_TRANSPORT=cls.transport)
        cls.km, cls.kc = start_new_kernel(kernel_name="subspace", startup_timeout=60, env=env)
        cls.info = cls.km.get_connection_info()
        cls.raw = []
        r = cls.run_cell(cls.kc, 'import (\n\t"fmt"\n\t"strings"\n)\nkept := 41\nreplayed := 0')
        if r["content"]["status"] != "ok":
            cls.tearDownClass()
            raise AssertionError(r["content"])

    @classmethod
    def tearDownClass(cls):
        for s in cls.raw:
            s.close()
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    @staticmethod
    def run_cell(kc, code):
        msg_id = kc.execute(code)
        r = reply_to(kc, msg_id)
        collect(kc, msg_id)
        return r

    def connect(self, name):
        """A raw TCP connection to socket name, closed with the class."""
        s = socket.create_connection((self.info["ip"], self.info[name + "_port"]), timeout=TIMEOUT)
        self.raw.append(s)
        return s

    def assert_alive(self, code="kept + 1", want="42"):
        """A second client connects, is answered within ALIVE seconds, and
        finds the state kept."""
        kc = BlockingKernelClient()  # its own session, so its own identity
        kc.load_connection_info(self.info)
        kc.start_channels()  # connects asynchronously: the handshakes are timed below
        t0 = time.monotonic()
        try:
            msg_id = kc.kernel_info()
            r = kc.get_shell_msg(timeout=TIMEOUT)
            elapsed = time.monotonic() - t0
            self.assertEqual(r["parent_header"]["msg_id"], msg_id)
            self.assertEqual(r["msg_type"], "kernel_info_reply")
            self.assertLess(elapsed, ALIVE, "a new client waited %.2f s for kernel_info_reply" % elapsed)
            msg_id = kc.execute(code)
            r = reply_to(kc, msg_id)
            self.assertEqual(r["content"]["status"], "ok", r["content"])
            # iopub may join late: the reply's count and a follow-up on the
            # first client show the value.
        finally:
            kc.stop_channels()
        msg_id = self.kc.execute(code)
        self.assertEqual(reply_to(self.kc, msg_id)["content"]["status"], "ok")
        out = collect(self.kc, msg_id)
        results = [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(results, [want])
        self.assertTrue(self.km.is_alive())

    def assert_closed_by_kernel(self, s):
        """The kernel ends a connection that sent garbage (reads EOF)."""
        s.settimeout(TIMEOUT)
        try:
            while s.recv(65536):
                pass
        except (ConnectionResetError, BrokenPipeError):
            pass

    def test_malformed_ready_property(self):
        for name in SOCKETS:
            with self.subTest(socket=name):
                s = self.connect(name)
                # Property name "A", then 3 of the 4 bytes of its value
                # length: the property overruns the command.
                s.sendall(greeting() + command(b"\x05READY\x01A\x00\x00\x00"))
                self.assert_closed_by_kernel(s)
                self.assert_alive()

    def test_frame_of_2_to_the_62(self):
        for name in SOCKETS:
            with self.subTest(socket=name):
                s = self.connect(name)
                s.sendall(greeting() + ready(peer_type(name)) + b"\x02" + struct.pack(">Q", 1 << 62))
                self.assert_closed_by_kernel(s)
                self.assert_alive()

    def test_idle_connections(self):
        for name in SOCKETS:
            with self.subTest(socket=name):
                self.connect(name)  # sends nothing
                self.connect(name).sendall(greeting()[:10])  # half a greeting
                self.assert_alive()

    def test_stalled_subscriber(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(TIMEOUT)
        s.connect((self.info["ip"], self.info["iopub_port"]))
        self.raw.append(s)
        # Subscribe to everything (a ZMTP 3.0 subscription message), then
        # never read.
        s.sendall(greeting() + ready(b"SUB") + b"\x00\x01\x01")
        time.sleep(0.2)  # the subscription takes effect asynchronously
        msg_id = self.kc.execute('fmt.Print(strings.Repeat("x", %d))' % OUTPUT)
        self.assertEqual(reply_to(self.kc, msg_id)["content"]["status"], "ok")
        text = sum(len(m["content"]["text"]) for m in collect(self.kc, msg_id) if m["msg_type"] == "stream")
        self.assertEqual(text, OUTPUT, "the reading client got %d of %d bytes" % (text, OUTPUT))
        self.assert_alive()

    def test_replayed_message_runs_once(self):
        session = self.kc.session
        msg = session.msg("execute_request", content={
            "code": "replayed++", "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect("tcp://%s:%d" % (self.info["ip"], self.info["shell_port"]))
        try:
            for _ in range(3):
                sock.send_multipart(frames)
            replies = 0
            while sock.poll(1000):
                sock.recv_multipart()
                replies += 1
            self.assertEqual(replies, 1, "a replayed message was answered")
        finally:
            sock.close()
        self.assert_alive("replayed", "1")
        self.assert_alive()


class LibZMQ(Faults, unittest.TestCase):
    transport = "libzmq"


class PureGo(Faults, unittest.TestCase):
    transport = "go"


if __name__ == "__main__":
    unittest.main()
