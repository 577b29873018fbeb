"""Every report PDF fits a printer's printable area and cuts no code: each piece of text pypdf
finds (its position and its width in the embedded font) is at least 10 mm from every edge of the
page, and every lot code, batch code and delivery-note number in the report's tables comes out
whole on one line. The PDFs are those of the demo with its generated history."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.models import Lot, LotOrigin
from pos.reports import REPORTS, make_report, write_report
from pos.reports.model import Kind, Report
from tests.factories import manager as reporter
from tests.reports_shop import demo_with_history

EDGE_MM = 10.0
MM = 72 / 25.4
CODE = re.compile(r"^(?:[A-Z]{3}-\d{6}-[A-Z0-9]+|B-[A-Z]{3}-\d{6}-\d{2}|\d+/\d{4})$")


def _pieces(path: Path) -> list[tuple[int, str, float, float, float, float, float]]:
    """(page, text, x, y, width, page width, page height) of every text piece pypdf reads."""
    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from orto.pdf import BOLD, REGULAR, register_fonts

    register_fonts()
    out = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        box = page.mediabox
        width, height = float(box.width), float(box.height)

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: dict | None,
            size: float,
            number: int = number,
            width: float = width,
            height: float = height,
        ) -> None:
            if not text.strip():
                return
            a, b, _c, _d, e, f = tm
            x = e * cm[0] + f * cm[2] + cm[4]
            y = e * cm[1] + f * cm[3] + cm[5]
            scale = math.hypot(a * cm[0] + b * cm[2], a * cm[1] + b * cm[3]) or 1.0
            name = str((font or {}).get("/BaseFont", ""))
            face = BOLD if "Bold" in name else REGULAR
            for line in text.splitlines():
                if line.strip():
                    out.append((number, line, x, y, stringWidth(line, face, size * scale), width, height))

        page.extract_text(visitor_text=visit)
    return out


def _codes(report: Report) -> set[str]:
    found = set()
    for table in report.tables:
        for row in table.rows:
            for value, column in zip(row, table.columns, strict=True):
                if column.kind is Kind.TEXT and isinstance(value, str) and CODE.match(value.strip()):
                    found.add(value.strip())
    return found


@pytest.fixture
def demo(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    demo_with_history(db, monkeypatch)
    return db


def test_every_report_pdf_stays_10_mm_from_the_edges_and_cuts_no_code(demo: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    with demo.read() as session:  # a lab lot: its trace has the batch, the inputs and their farms
        lot = session.scalar(select(Lot.code).where(Lot.origin == LotOrigin.BATCH).order_by(Lot.id))
    assert lot is not None
    checked_codes = 0
    for name in REPORTS:
        report = make_report(demo, name, lot=lot if name == "trace" else None, actor=reporter(demo))
        path = write_report(report, tmp_path / f"{name}.pdf", "pdf")
        pieces = _pieces(path)
        assert pieces, name
        for page, text, x, y, width, page_w, page_h in pieces:
            where = f"{name} p.{page} {text!r} at x={x / MM:.1f} mm y={y / MM:.1f} mm, {width / MM:.1f} mm wide"
            assert x >= EDGE_MM * MM - 0.5, where
            assert x + width <= page_w - EDGE_MM * MM + 0.5, where
            assert EDGE_MM * MM <= y <= page_h - EDGE_MM * MM, where
        lines = {
            line.replace("\xa0", " ").strip()
            for page in PdfReader(path).pages
            for line in page.extract_text().splitlines()
        }
        text = "\n".join(lines)
        for code in _codes(report):
            assert any(code in line for line in lines), f"{name}: code {code} is cut in {text[:0]}the PDF"
            checked_codes += 1
    assert checked_codes > 20  # lots, batches and delivery notes were really looked for
