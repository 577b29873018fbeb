"""The sales report's VAT per rate is the sum of the daily Z reports (the Z is the fiscal basis),
over 30 days of the generated history, read through the summaries and from the raw rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from orto.db import Database
from orto.localtime import ROME
from orto.models import ZReport
from pos.reports.filters import resolve_scope
from pos.reports.sales import sales_report

DAYS = 30


def test_sales_vat_per_rate_equals_the_sum_of_the_z_reports(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import pos.demo as demo

    today = datetime.now(ROME).date()
    monkeypatch.setattr(demo, "HISTORY_DAYS", DAYS)
    demo.build_demo(db, today)
    first, last = today - timedelta(days=DAYS), today - timedelta(days=1)
    z_vat: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    with db.read() as session:
        for (totals,) in session.execute(
            select(ZReport.totals).where(ZReport.business_date >= first, ZReport.business_date <= last)
        ):
            for share in totals["vat"]:
                cell = z_vat[int(share["rate_bp"])]
                cell[0] += int(share["gross_cents"])
                cell[1] += int(share["taxable_cents"])
                cell[2] += int(share["tax_cents"])
        scope = resolve_scope(session, None, first, last)
        reports = (sales_report(session, scope), sales_report(session, scope, summaries=False))
    assert len(z_vat) >= 3  # 4 %, 10 %, 22 % at least: a real mix of rates
    expected = [(rate, *cells) for rate, cells in sorted(z_vat.items())]
    for report in reports:
        table = next(t for t in report.tables if t.title in ("Per aliquota IVA", "By VAT rate"))
        assert table.rows == expected
        vat_figure = report.summary[5]
        assert vat_figure.value == sum(c[2] for c in z_vat.values())
