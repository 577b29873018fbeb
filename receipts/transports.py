"""Getting bytes to a printer: network (raw TCP, port 9100), USB, serial, a file or device, CUPS.

A send either writes every byte and returns, or raises PrinterFault with a one-line reason: the
queue then keeps the job and tries again later. Network printers are asked for their status
(DLE EOT) before the job, so a printer out of paper or not answering gets nothing, and after
it, so "done" means the printer took all the bytes; set ``status = false`` for printers that do
not answer status requests.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from orto.config import PrinterConfig
from orto.errors import OrtoError
from orto.files import PRIVATE_FILE
from orto.i18n import gettext as _

DLE_EOT_PAPER = b"\x10\x04\x04"  # roll paper sensor status
DLE_EOT_PRINTER = b"\x10\x04\x01"  # printer status
DEFAULT_TIMEOUT_S = 4.0  # not python-escpos's 60 s: a till must know quickly


class PrinterFault(OrtoError):
    """The job could not be delivered; ``state`` is what the till shows (offline, paper_out, error)."""

    def __init__(self, state: str, message: str) -> None:
        self.state = state
        super().__init__(message)


class PrinterUnconfirmed(PrinterFault):
    """Every byte was written but the printer never answered the status query after them: the
    slip may well have printed. Sending it again on our own could print it twice."""

    def __init__(self, message: str) -> None:
        super().__init__("unconfirmed", message)


class ConnectionDropped(PrinterFault):
    """The connection ended during the job: part of it may have printed; sent again, it says so."""


class Transport(Protocol):
    def send(self, data: bytes) -> None: ...

    def status(self) -> str: ...


@dataclass
class NetworkTransport:
    host: str
    port: int = 9100
    timeout: float = DEFAULT_TIMEOUT_S
    ask_status: bool = True

    def _connect(self) -> socket.socket:
        try:
            conn = socket.create_connection((self.host, self.port), timeout=self.timeout)
            # small status queries must not wait for Nagle's algorithm and the peer's delayed ACK
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return conn
        except TimeoutError as exc:
            raise PrinterFault(
                "offline", _("printer {host}:{port} does not answer").format(host=self.host, port=self.port)
            ) from exc
        except OSError as exc:
            raise PrinterFault(
                "offline",
                _("printer {host}:{port} unreachable: {reason}").format(
                    host=self.host, port=self.port, reason=exc.strerror or exc
                ),
            ) from exc

    def _ask(self, conn: socket.socket, query: bytes, before: bytes = b"") -> int:
        conn.sendall(before + query)
        answer = conn.recv(1)
        if not answer:
            raise PrinterFault(
                "offline", _("printer {host}:{port} closed the connection").format(host=self.host, port=self.port)
            )
        return answer[0]

    def send(self, data: bytes) -> None:
        conn = self._connect()
        try:
            if self.ask_status:
                paper = self._ask(conn, DLE_EOT_PAPER)
                if paper & 0x60:  # bits 5-6: paper end detected
                    raise PrinterFault(
                        "paper_out", _("printer {host}:{port} is out of paper").format(host=self.host, port=self.port)
                    )
            try:
                # the status query after the job is answered once the bytes before it were read
                conn.sendall(data + DLE_EOT_PRINTER if self.ask_status else data)
            except OSError as exc:  # time-out included: some of the job may be on paper
                raise ConnectionDropped(
                    "offline",
                    _("printer {host}:{port}: connection lost during the job ({reason})").format(
                        host=self.host, port=self.port, reason=exc.strerror or exc
                    ),
                ) from exc
            if self.ask_status:
                self._confirm(conn)
        except PrinterFault:
            raise
        except TimeoutError as exc:
            raise PrinterFault(
                "offline", _("printer {host}:{port} stopped answering").format(host=self.host, port=self.port)
            ) from exc
        except OSError as exc:
            raise PrinterFault(
                "offline",
                _("printer {host}:{port}: connection lost ({reason})").format(
                    host=self.host, port=self.port, reason=exc.strerror or exc
                ),
            ) from exc
        finally:
            conn.close()

    def _confirm(self, conn: socket.socket) -> None:
        """The printer's answer to the status query sent after the job."""
        try:
            answer = conn.recv(1)
        except TimeoutError as exc:
            raise PrinterUnconfirmed(
                _("printer {host}:{port} took the slip but did not confirm it").format(host=self.host, port=self.port)
            ) from exc
        except OSError as exc:
            answer, reason = b"", exc.strerror or str(exc)
        else:
            reason = _("closed")
        if not answer:
            raise ConnectionDropped(
                "offline",
                _("printer {host}:{port}: connection lost during the job ({reason})").format(
                    host=self.host, port=self.port, reason=reason
                ),
            )

    def status(self) -> str:
        try:
            conn = self._connect()
        except PrinterFault as fault:
            return fault.state
        try:
            paper = self._ask(conn, DLE_EOT_PAPER)
            return "paper_out" if paper & 0x60 else ("paper_low" if paper & 0x0C else "ok")
        except (TimeoutError, OSError):
            return "offline"
        finally:
            conn.close()


@dataclass
class FileTransport:
    """A file or a device node (/dev/usb/lp0): bytes appended."""

    path: Path

    def send(self, data: bytes) -> None:
        try:
            # a file we create is 0600 (orto.files); a device node that exists keeps its mode
            with os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "ab") as fh:
                fh.write(data)
                fh.flush()
        except OSError as exc:
            raise PrinterFault(
                "offline", _("printer {path}: {reason}").format(path=self.path, reason=exc.strerror)
            ) from exc

    def status(self) -> str:
        return "ok" if self.path.parent.exists() else "offline"


@dataclass
class CupsTransport:
    queue: str

    def send(self, data: bytes) -> None:
        try:
            subprocess.run(
                ["lp", "-d", self.queue, "-o", "raw"],
                input=data,
                check=True,
                capture_output=True,
                timeout=DEFAULT_TIMEOUT_S * 3,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PrinterFault(
                "offline", _("CUPS queue {queue}: {reason}").format(queue=self.queue, reason=exc)
            ) from exc

    def status(self) -> str:
        return "unknown"


@dataclass
class EscposDeviceTransport:
    """USB or serial through python-escpos's own printer classes."""

    kind: str
    options: dict[str, object]

    def send(self, data: bytes) -> None:
        from receipts.escpos_render import quiet_logging

        quiet_logging()
        try:
            if self.kind == "usb":
                from escpos.printer import Usb

                device = Usb(int(str(self.options["vendor_id"]), 0), int(str(self.options["product_id"]), 0))
            else:
                from escpos.printer import Serial

                device = Serial(
                    devfile=str(self.options.get("device", "/dev/ttyUSB0")),
                    baudrate=int(str(self.options.get("baudrate", 9600))),
                )
            device._raw(data)
            device.close()
        except Exception as exc:  # the USB and serial stacks raise many kinds of errors
            raise PrinterFault("offline", _("{kind} printer: {reason}").format(kind=self.kind, reason=exc)) from exc

    def status(self) -> str:
        return "unknown"


class NoPrinter:
    """``kind = "none"``: jobs are kept in the queue as printed, so a reprint can go elsewhere later."""

    def send(self, data: bytes) -> None:
        return None

    def status(self) -> str:
        return "none"


def transport_for(printer: PrinterConfig) -> Transport:
    options = printer.options
    if printer.kind == "network":
        return NetworkTransport(
            str(options["host"]),
            int(options.get("port", 9100)),
            float(options.get("timeout", DEFAULT_TIMEOUT_S)),
            bool(options.get("status", True)),
        )
    if printer.kind in ("file", "device"):
        return FileTransport(Path(str(options["path"])))
    if printer.kind == "cups":
        return CupsTransport(str(options["queue"]))
    if printer.kind in ("usb", "serial"):
        return EscposDeviceTransport(printer.kind, dict(options))
    if printer.kind == "none":
        return NoPrinter()
    if printer.kind == "epson-rt":  # an RT takes fiscal documents only (receipts.fiscal), never slips
        raise PrinterFault(
            "error",
            _("printer {name} is an RT: it issues fiscal documents only; name a slip printer for this role").format(
                name=printer.name
            ),
        )
    raise PrinterFault("error", _("printer {name}: unknown kind {kind!r}").format(name=printer.name, kind=printer.kind))
