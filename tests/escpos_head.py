"""A small ESC/POS interpreter: what a thermal head would print, measured in dots.

It follows the state a real printer keeps (font A 12 dots or B 9 dots, ESC ! and GS ! sizes,
bold) and measures every text line, barcode, QR code and raster image the bytes print, so a
test can fail on anything wider than the head. Independent of receipts.escpos_render: it reads
only the bytes, by the command set of Epson's ESC/POS reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHAR_DOTS = {0: 12, 1: 9}  # font A, font B
ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
# ESC commands and how many parameter bytes follow them
ESC_ARGS = {0x40: 0, 0x74: 1, 0x45: 1, 0x61: 1, 0x21: 1, 0x2D: 1, 0x4D: 1, 0x47: 1, 0x64: 1, 0x70: 3, 0x7B: 1, 0x20: 1}
GS_ARGS = {0x21: 1, 0x42: 1, 0x62: 1, 0x68: 1, 0x77: 1, 0x48: 1, 0x66: 1}


@dataclass
class Printed:
    kind: str  # "text", "barcode", "qr", "raster"
    dots: int
    content: str
    font: int = 0


@dataclass
class Head:
    dots: int
    printed: list[Printed] = field(default_factory=list)
    fonts_selected: set[int] = field(default_factory=set)

    @property
    def too_wide(self) -> list[Printed]:
        return [p for p in self.printed if p.dots > self.dots]

    @property
    def text_lines(self) -> list[str]:
        return [p.content for p in self.printed if p.kind == "text"]


def code128(data: bytes) -> tuple[int, str]:
    """Modules and human-readable text of a GS k 73 symbol: "{A", "{B", "{C" switch code sets, and
    in code set C each byte (0-99) stands for two digits."""
    symbols, code, text, i = 0, "B", [], 0
    while i < len(data):
        if data[i] == ord("{") and i + 1 < len(data):
            code = chr(data[i + 1]) if chr(data[i + 1]) in "ABC" else code
            symbols += 1
            i += 2
            continue
        text.append(f"{data[i]:02d}" if code == "C" else chr(data[i]))
        symbols += 1
        i += 1
    return 11 * symbols + 11 + 13, "".join(text)  # the first switch is the start; check; stop


def qr_modules(data: bytes, ec: int) -> int:
    import qrcode

    levels = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M}
    levels |= {50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
    symbol = qrcode.QRCode(error_correction=levels.get(ec, qrcode.constants.ERROR_CORRECT_L), border=0)
    symbol.add_data(data)
    symbol.make(fit=True)
    return 17 + 4 * int(symbol.version)


def run(data: bytes, dots: int) -> Head:
    head = Head(dots)
    font, mode_width, size_width = 0, 1, 1
    module, qr_size, qr_ec, qr_data = 3, 3, 48, b""
    line_dots, line_text = 0, bytearray()
    i = 0

    def end_line() -> None:
        nonlocal line_dots, line_text
        if line_dots or line_text:
            head.printed.append(Printed("text", line_dots, line_text.decode("cp858"), font))
        line_dots, line_text = 0, bytearray()

    while i < len(data):
        byte = data[i]
        if byte == ESC:
            command = data[i + 1]
            args = data[i + 2 : i + 2 + ESC_ARGS.get(command, 0)]
            if command == 0x40:  # initialise
                font, mode_width, size_width = 0, 1, 1
            elif command == 0x21:  # print mode: bit 0 font B, bit 5 double width
                font = args[0] & 1
                mode_width = 2 if args[0] & 0x20 else 1
            elif command == 0x4D:
                font = args[0] & 1
                head.fonts_selected.add(font)
            elif command == 0x64:
                end_line()
            elif command not in ESC_ARGS:
                raise AssertionError(f"unknown command ESC {command:#04x} at byte {i}")
            i += 2 + ESC_ARGS.get(command, 0)
            continue
        if byte == GS:
            command = data[i + 1]
            if command == 0x6B:  # GS k m n d1…dn: a barcode
                end_line()
                kind, length = data[i + 2], data[i + 3]
                symbol = data[i + 4 : i + 4 + length]
                if kind == 73:
                    modules, text = code128(symbol)
                else:
                    modules, text = (95 if kind in (67, 2) else 11 * length), symbol.decode("ascii")
                head.printed.append(Printed("barcode", modules * module, text))
                i += 4 + length
                continue
            if command == 0x28 and data[i + 2] == 0x6B:  # GS ( k pL pH cn fn …: the QR code functions
                size = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + size]
                function = body[1]
                if function == 0x43:
                    qr_size = body[2]
                elif function == 0x45:
                    qr_ec = body[2]
                elif function == 0x50:
                    qr_data = bytes(body[3:])
                elif function == 0x51:
                    end_line()
                    width = qr_modules(qr_data, qr_ec) * qr_size
                    head.printed.append(Printed("qr", width, qr_data.decode("utf-8")))
                i += 5 + size
                continue
            if command == 0x76 and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH: a raster image
                end_line()
                width_bytes = data[i + 4] + 256 * data[i + 5]
                height = data[i + 6] + 256 * data[i + 7]
                head.printed.append(Printed("raster", width_bytes * 8, f"{width_bytes * 8}x{height}"))
                i += 8 + width_bytes * height
                continue
            if command == 0x56:  # cut: GS V m [n]
                end_line()
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
                continue
            if command not in GS_ARGS:
                raise AssertionError(f"unknown command GS {command:#04x} at byte {i}")
            value = data[i + 2]
            if command == 0x21:
                size_width = (value >> 4) + 1
            elif command == 0x77:
                module = value
            i += 3
            continue
        if byte == DLE:
            i += 3
            continue
        if byte == LF:
            end_line()
            i += 1
            continue
        if byte >= 0x20:
            cell = CHAR_DOTS[font] * max(mode_width, size_width)
            line_dots += cell
            line_text.append(byte)
        i += 1
    end_line()
    return head
