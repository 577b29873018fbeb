"""Layouts to ESC/POS bytes through python-escpos.

python-escpos 3.1 calls ``logging.basicConfig()`` when imported, which would draw log lines over
the till: logging is configured first (``quiet_logging``) and the library imported only here,
lazily. The € is in code page CP858 (0xD5); the library does not send the code page again after
an initialise (``ESC @``), so we send ``ESC t 19`` ourselves after every one.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from dataclasses import dataclass
from typing import Any

from receipts.layout import Barcode, Columns, Feed, Layout, QRCode, Rule, Spans, Text, columns_lines, span_lines, wrap

INIT = b"\x1b@"
SELECT_CP858 = b"\x1bt\x13"
_logging_ready = False
_STDOUT_LOCK = threading.Lock()


def quiet_logging() -> None:
    """Give the root logger a handler before escpos does, so its basicConfig() is a no-op."""
    global _logging_ready
    if not _logging_ready:
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.NullHandler())
        _logging_ready = True


@dataclass(frozen=True)
class PrinterProfile:
    """What the renderer needs to know of a printer (from its [printers.NAME] options)."""

    width: int = 48
    profile: str = "default"  # a python-escpos capability profile, e.g. "TM-T88V"
    drawer_pin: int = 2  # 2 or 5
    cut: bool = True

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> PrinterProfile:
        return cls(
            width=int(options.get("width", 48)),
            profile=str(options.get("profile", "default")),
            drawer_pin=int(options.get("drawer_pin", 2)),
            cut=bool(options.get("cut", True)),
        )


def _dummy(profile: str) -> Any:
    quiet_logging()
    from escpos.printer import Dummy

    printer = Dummy(profile=profile) if profile != "default" else Dummy()
    printer.charcode("CP858")
    return printer


def _initialise(printer: Any) -> None:
    printer._raw(INIT)
    printer._raw(SELECT_CP858)  # the library forgets the code page after ESC @


def render(layout: Layout, profile: PrinterProfile, *, open_drawer: bool = False) -> bytes:
    printer = _dummy(profile.profile)
    _initialise(printer)
    width = layout.width
    for element in layout.elements:
        if isinstance(element, Text):
            printer.set(
                align=element.align,
                bold=element.bold,
                double_width=element.double,
                double_height=element.double,
                normal_textsize=not element.double,
            )
            room = width // 2 if element.double else width
            for line in element.text.split("\n"):
                for part in wrap(line, room):
                    printer.text(part + "\n")
        elif isinstance(element, Columns):
            printer.set(
                align="left",
                bold=element.bold,
                double_width=element.double,
                double_height=element.double,
                normal_textsize=not element.double,
            )
            room = width // 2 if element.double else width
            for line in columns_lines(element.left, element.right, room):
                printer.text(line + "\n")
        elif isinstance(element, Spans):
            printer.set(align="left", normal_textsize=True)
            for span_line in span_lines(element.parts, width):
                for word, bold in span_line:
                    printer.set(bold=bold)
                    printer.text(word)
                printer.text("\n")
            printer.set(bold=False)
        elif isinstance(element, Rule):
            printer.set(align="left", bold=False, normal_textsize=True)
            printer.text(element.char * width + "\n")
        elif isinstance(element, Barcode):
            printer.set(align="center", normal_textsize=True, bold=False)
            with _STDOUT_LOCK, contextlib.redirect_stdout(io.StringIO()):
                # python-escpos 3.1 print()s "Using hardware barcode renderer": not over the till
                printer.barcode("{B" + element.data, "CODE128", function_type="B", height=60, width=2)
        elif isinstance(element, QRCode):
            printer.set(align="center")
            printer.qr(element.data, size=5, native=True)
        elif isinstance(element, Feed):
            printer.text("\n" * element.lines)
    printer.set(align="left", bold=False, normal_textsize=True)
    if profile.cut:
        printer.cut()
    if open_drawer:
        printer.cashdraw(profile.drawer_pin)
    return bytes(printer.output)


def decode_text(data: bytes) -> str:
    """The printable text in ESC/POS bytes (commands dropped), as CP858: for tests and diagnostics."""
    out = bytearray()
    i = 0
    two_byte = {
        0x1B: {
            0x40: 0,
            0x74: 1,
            0x45: 1,
            0x61: 1,
            0x21: 1,
            0x2D: 1,
            0x4D: 1,
            0x47: 1,
            0x64: 1,
            0x70: 3,
            0x7B: 1,
            0x56: 1,
        },
        0x1D: {0x21: 1, 0x42: 1, 0x62: 1, 0x68: 1, 0x77: 1, 0x48: 1, 0x66: 1, 0x56: 1},
    }
    while i < len(data):
        byte = data[i]
        if byte in two_byte and i + 1 < len(data):
            command = data[i + 1]
            if byte == 0x1D and command == 0x6B:  # barcode: GS k m n d1..dn
                length = data[i + 3]
                i += 4 + length
                continue
            if byte == 0x1D and command == 0x28:  # GS ( k pL pH ...: QR code
                size = data[i + 3] + 256 * data[i + 4]
                i += 5 + size
                continue
            if byte == 0x1D and command == 0x56:  # cut: GS V m [n]
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
                continue
            i += 2 + two_byte[byte].get(command, 0)
            continue
        if byte == 0x10 and i + 2 < len(data):  # DLE EOT n
            i += 3
            continue
        out.append(byte)
        i += 1
    return out.decode("cp858")
