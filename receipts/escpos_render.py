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

from orto.errors import ConfigError
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


# Dots across the head of the common thermal printers (203 dpi): 58 mm paper, 80 mm paper.
HEAD_DOTS = {58: 384, 80: 576}
# Dots per character cell: font A is 12 × 24, font B 9 × 17 (Epson and compatibles; python-escpos's
# profiles agree: POS-5890 at 384 dots gives 32 / 42 columns, TM-T20II at 576 gives 48 / 64).
FONT_DOTS = {"a": 12, "b": 9}
SELECT_FONT = {"a": b"\x1bM\x00", "b": b"\x1bM\x01"}


@dataclass(frozen=True)
class PrinterProfile:
    """What the renderer needs to know of a printer (from its [printers.NAME] options).

    ``width`` is the number of columns at normal size, which the font gives on the head:
    ``dots // FONT_DOTS[font]``.
    """

    width: int = 48
    profile: str = "default"  # a python-escpos capability profile, e.g. "TM-T88V"
    drawer_pin: int = 2  # 2 or 5
    cut: bool = True
    dots: int = 576
    font: str = "a"
    paper_width_mm: int = 80

    @classmethod
    def for_paper(cls, paper_width_mm: int = 80, font: str = "a", **options: Any) -> PrinterProfile:
        return cls.from_options({"paper_width_mm": paper_width_mm, "font": font, **options})

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> PrinterProfile:
        """``paper_width_mm`` (58 or 80, default 80), ``dots`` (default 384 or 576), ``font`` (a or b).

        Without ``font``, an older ``width = N`` (columns) picks the font that gives N columns.
        """
        paper = _whole(options, "paper_width_mm", 80)
        if "dots" not in options and paper not in HEAD_DOTS:
            raise ConfigError(f"paper_width_mm = {paper}: 58 or 80, or give the head's 'dots' too")
        dots = _whole(options, "dots", HEAD_DOTS.get(paper, 0))
        if dots < 192:
            raise ConfigError(f"dots = {dots}: a receipt printer's head has at least 192 dots")
        wanted = options.get("width")
        font = str(options.get("font", "")).lower()
        if not font:
            font = "a" if wanted is None or int(wanted) <= dots // FONT_DOTS["a"] else "b"
        if font not in FONT_DOTS:
            raise ConfigError(f"font = {font!r}: 'a' (12 dots) or 'b' (9 dots)")
        columns = dots // FONT_DOTS[font]
        return cls(
            width=min(int(wanted), columns) if wanted is not None else columns,
            profile=str(options.get("profile", "default")),
            drawer_pin=int(options.get("drawer_pin", 2)),
            cut=bool(options.get("cut", True)),
            dots=dots,
            font=font,
            paper_width_mm=paper,
        )


def _whole(options: dict[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"printer option '{key}' must be a whole number, not {value!r}")
    return value


def code128_data(data: str) -> str:
    """The data of a GS k CODE128 symbol: code set B, runs of digits in code set C.

    In code set C one byte (0-99) stands for two digits, so "261125" takes three symbols instead
    of six; a switch costs one symbol, worth it for a run of 4 digits at an end, of 6 inside.
    """
    out, code, i = [], "", 0
    while i < len(data):
        run = len(data[i:]) - len(data[i:].lstrip("0123456789"))
        at_end = i + run == len(data)
        if run >= (4 if (i == 0 or at_end) else 6):
            if run % 2:  # the odd digit first, in B
                if code != "B":
                    out.append("{B")
                    code = "B"
                out.append(data[i])
                i += 1
                run -= 1
            if code != "C":
                out.append("{C")
                code = "C"
            out.extend(chr(int(data[k : k + 2])) for k in range(i, i + run, 2))
            i += run
            continue
        if code != "B":
            out.append("{B")
            code = "B"
        out.append(data[i])
        i += 1
    return "".join(out)


def code128_modules(encoded: str) -> int:
    """Modules of a CODE128 symbol: one symbol per character and code switch, then check and stop."""
    symbols = 0
    i = 0
    while i < len(encoded):
        i += 2 if encoded[i] == "{" else 1
        symbols += 1
    return 11 * symbols + 11 + 13  # the first switch is the start symbol


def barcode_module_width(data: str, dots: int) -> int | None:
    """Module width 2 (python-escpos and most heads accept 2 to 6) if the symbol fits, else None.

    The quiet zone is the paper's own margin beyond the head (5 mm on 58 mm paper, 4 mm on 80 mm),
    more than the ten modules a scanner needs, so only the symbol is measured against the head.
    """
    return 2 if code128_modules(code128_data(data)) * 2 <= dots else None


def _dummy(profile: str) -> Any:
    quiet_logging()
    from escpos.printer import Dummy

    printer = Dummy(profile=profile) if profile != "default" else Dummy()
    printer.charcode("CP858")
    return printer


def _initialise(printer: Any, font: str) -> None:
    printer._raw(INIT)
    printer._raw(SELECT_CP858)  # the library forgets the code page after ESC @
    printer._raw(SELECT_FONT[font])


def _style(printer: Any, font: str, **style: Any) -> None:
    """Set a text style, then the font again: ESC ! (which sizes use) also resets it to font A."""
    printer.set(**style)
    printer._raw(SELECT_FONT[font])


def qr_modules(data: str) -> int:
    """Modules across the QR symbol python-escpos sends (error correction L), quiet zone included."""
    import qrcode

    symbol = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    symbol.add_data(data)
    symbol.make(fit=True)
    return 17 + 4 * int(symbol.version) + 8


def _qr(printer: Any, data: str, dots: int) -> None:
    size = max(1, min(5, dots // qr_modules(data)))
    printer.qr(data, size=size, native=True)


def render(layout: Layout, profile: PrinterProfile, *, open_drawer: bool = False) -> bytes:
    """The layout in ESC/POS, in the profile's font, every line and symbol within its head's dots."""
    printer = _dummy(profile.profile)
    font = profile.font
    _initialise(printer, font)
    width = layout.width
    for element in layout.elements:
        if isinstance(element, Text):
            _style(
                printer,
                font,
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
            _style(
                printer,
                font,
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
            _style(printer, font, align="left", normal_textsize=True)
            for span_line in span_lines(element.parts, width):
                for word, bold in span_line:
                    printer.set(bold=bold)
                    printer.text(word)
                printer.text("\n")
            printer.set(bold=False)
        elif isinstance(element, Rule):
            _style(printer, font, align="left", bold=False, normal_textsize=True)
            printer.text(element.char * width + "\n")
        elif isinstance(element, Barcode):
            _style(printer, font, align="center", normal_textsize=True, bold=False)
            module = barcode_module_width(element.data, profile.dots)
            if module is None:  # too long for the head even at one dot a module: a QR always fits
                _qr(printer, element.data, profile.dots)
                printer.text(element.data + "\n")
                continue
            with _STDOUT_LOCK, contextlib.redirect_stdout(io.StringIO()):
                # python-escpos 3.1 print()s "Using hardware barcode renderer": not over the till
                printer.barcode(
                    code128_data(element.data), "CODE128", function_type="B", height=60, width=module, check=False
                )
        elif isinstance(element, QRCode):
            _style(printer, font, align="center")
            _qr(printer, element.data, profile.dots)
        elif isinstance(element, Feed):
            printer.text("\n" * element.lines)
    _style(printer, font, align="left", bold=False, normal_textsize=True)
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
