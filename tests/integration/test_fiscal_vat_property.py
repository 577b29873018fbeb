"""Orto's VAT per rate equals the RT's per department, for any basket (the simulator over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orto.money import price_for_quantity, vat_breakdown
from pos.selling.document import LineTerms, figures
from receipts.fiscal.client import EpsonRT
from receipts.fiscal.rules import departments, receipt_of
from receipts.fiscal.simulator import SimulatedRT

MAP = departments("cassa", {"4": 1, "10": 2, "22": 3, "5": 4})

line = st.fixed_dictionaries(
    {
        "rate": st.sampled_from([400, 500, 1000, 2200]),
        "weighed": st.booleans(),
        "quantity": st.integers(1, 12),
        "grams": st.integers(5, 4_000),
        "unit_price": st.integers(1, 9_999),
        "markdown_bp": st.one_of(st.none(), st.sampled_from([1000, 3000, 5000])),
        "discount_bp": st.one_of(st.none(), st.integers(1, 10_000)),
        "discount_cents": st.one_of(st.none(), st.integers(1, 500)),
    }
)
basket = st.tuples(
    st.lists(line, min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(1, 5_000)),  # sale discount, bp
    st.one_of(st.none(), st.integers(1, 300)),  # or cents
)


@pytest.fixture(scope="module")
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT().start()
    yield server
    server.stop()


def _slip(lines: list[dict[str, Any]], sale_bp: int | None, sale_cents: int | None) -> dict[str, Any] | None:
    terms, rows = [], []
    for ln in lines:
        quantity = ln["grams"] if ln["weighed"] else ln["quantity"]
        gross = price_for_quantity(ln["unit_price"], quantity, ln["weighed"])
        terms.append(LineTerms(gross, ln["markdown_bp"], ln["discount_bp"], ln["discount_cents"]))
        rows.append({"quantity": quantity, "weighed": ln["weighed"], "unit_price_cents": ln["unit_price"]})
    done = figures(terms, sale_bp, sale_cents if not sale_bp else None)
    slip_lines = [
        {
            **row,
            "description": f"Articolo {i}",
            "gross_cents": t.gross_cents,
            "markdown_cents": f.markdown_cents,
            "discount_cents": f.discount_cents,
            "total_cents": f.total_cents,
            "vat_rate_bp": ln["rate"],
        }
        for i, (row, t, f, ln) in enumerate(zip(rows, terms, done, lines, strict=True))
        if t.gross_cents > 0
    ]
    total = sum(x["total_cents"] for x in slip_lines)
    if total <= 0:
        return None
    return {
        "kind": "sale",
        "lines": slip_lines,
        "total_cents": total,
        "payments": [{"method": "card", "amount_cents": total, "tendered_cents": None}],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(basket)
def test_orto_vat_per_rate_equals_the_rts_per_department(rt: SimulatedRT, drawn: Any) -> None:
    slip = _slip(*drawn)
    if slip is None:
        return
    EpsonRT("cassa", "127.0.0.1", rt.port, 5.0).issue(receipt_of(slip, MAP, "cassa"))
    issued = rt.issued()[-1]
    orto = {
        v.rate_bp: (v.gross_cents, v.taxable_cents, v.tax_cents)
        for v in vat_breakdown((x["vat_rate_bp"], x["total_cents"]) for x in slip["lines"])
        if v.gross_cents
    }
    rt_vat = rt.vat(issued)
    assert {
        rate: (issued.departments[MAP[rate]], *rt_vat[rate]) for rate in rt_vat if issued.departments[MAP[rate]]
    } == orto
    assert issued.amount_cents == slip["total_cents"]
