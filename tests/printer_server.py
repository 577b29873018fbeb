"""A network receipt printer stand-in: a real TCP server on 127.0.0.1 that records what it gets.

Modes: "ok" answers status requests and keeps the job bytes; "stall" accepts and never reads;
"drop" reads a little of the job, then closes; "mute" takes every byte and answers the paper
query before the job but never the status query after it; "paper_out" reports the paper end. "down" closes
the listening socket (connections are refused); calling ``behave()`` brings it back on the same port.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

STATUS_OK = b"\x12"
PAPER_OUT = b"\x72"  # bits 5-6 set: paper end


@dataclass
class PrinterServer:
    mode: str = "ok"
    port: int = 0
    jobs: list[bytes] = field(default_factory=list)  # one entry per connection that completed
    partial: list[bytes] = field(default_factory=list)  # connections that ended before the job did
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def received(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """The jobs, once ``count`` have arrived (or the timeout passed): the client may return
        from a job a moment before the server's thread has recorded it."""
        deadline = time.monotonic() + timeout
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.jobs

    def start(self) -> PrinterServer:
        self._listen()
        return self

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(8)
        sock.settimeout(0.1)
        self.port = sock.getsockname()[1]
        self._sock = sock
        threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def down(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            time.sleep(0.15)

    def behave(self) -> None:
        self.mode = "ok"
        if self._sock is None:
            self._listen()

    def stop(self) -> None:
        self._stop.set()
        self.down()

    def _serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn, self.mode), daemon=True).start()

    def _handle(self, conn: socket.socket, mode: str) -> None:
        conn.settimeout(2.0)
        received = bytearray()
        try:
            if mode == "stall":
                time.sleep(3)
                return
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                received += chunk
                if mode == "drop" and len(received) > 40:
                    self.partial.append(bytes(received))
                    return
                # answer status requests (DLE EOT n) as a real printer does
                while b"\x10\x04" in received[-64:]:
                    at = received.rfind(b"\x10\x04")
                    if at + 2 >= len(received):
                        break
                    kind = received[at + 2]
                    del received[at : at + 3]
                    if mode == "mute" and kind != 4:
                        continue
                    conn.sendall(PAPER_OUT if (mode == "paper_out" and kind == 4) else STATUS_OK)
                    if mode == "paper_out":
                        break
        except OSError:
            pass
        finally:
            conn.close()
            if mode in ("ok", "mute") and received:
                self.jobs.append(bytes(received))
