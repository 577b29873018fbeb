"""The Z's sums: pos.selling.shifts.z_sums over a day's rows, without a database."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from orto.enums import PaymentMethod, SaleKind
from pos.selling.shifts import ZCashMove, ZDay, ZLine, ZPayment, ZSale, ZShift, z_sums

DAY = date(2026, 11, 25)
GIULIA, MARCO = 1, 2


def a_day() -> ZDay:
    return ZDay(
        day=DAY,
        sales=[
            ZSale(10, SaleKind.SALE, 1100, None, GIULIA),
            ZSale(11, SaleKind.SALE, 2200, 5, MARCO),
            ZSale(12, SaleKind.REFUND, -500, None, GIULIA),
        ],
        lines=[
            ZLine(10, 1000, 1100, 100, 0, "Frutta"),
            ZLine(11, 400, 1200, 0, 300, "Pane"),
            ZLine(11, 1000, 1000, 0, 0, None),
            ZLine(12, 1000, -500, 0, 0, "Frutta"),
        ],
        payments=[
            ZPayment(10, PaymentMethod.CASH, 1100),
            ZPayment(11, PaymentMethod.CARD, 2000),
            ZPayment(11, PaymentMethod.SOLIDARITY, 200),
            ZPayment(12, PaymentMethod.CASH, -500),
        ],
        moves=[ZCashMove(MARCO, 5000), ZCashMove(GIULIA, -1500)],
        shifts=[ZShift(3, 10000, None, None, None)],
        donated_cents=700,
        cancelled_count=1,
        tessera_list_id=5,
        names={GIULIA: "Giulia", MARCO: "Marco"},
    )


def test_a_days_figures() -> None:
    z = z_sums(a_day())
    assert (z["sales_count"], z["sales_cents"], z["refunds_count"], z["refunds_cents"], z["net_cents"]) == (
        2,
        3300,
        1,
        500,
        2800,
    )
    assert (z["discounts_cents"], z["markdowns_cents"], z["cancelled_count"]) == (100, 300, 1)
    assert z["payments"] == {"card": 2000, "cash": 600, "solidarity": 200}
    assert z["categories"] == {"(no category)": 1000, "Frutta": 600, "Pane": 1200}
    assert [(v["rate_bp"], v["gross_cents"], v["taxable_cents"], v["tax_cents"]) for v in z["vat"]] == [
        (400, 1200, 1154, 46),
        (1000, 1600, 1455, 145),
    ]
    assert (z["social_tariff_cents"], z["social_tariff_count"]) == (2200, 1)
    assert (z["solidarity_redeemed_cents"], z["solidarity_donated_cents"]) == (200, 700)
    assert (z["cash_in_cents"], z["cash_out_cents"]) == (5000, 1500)
    assert z["operators"] == [
        {
            "name": "Giulia",
            "sales_count": 1,
            "sales_cents": 1100,
            "refunds_cents": 500,
            "cash_cents": 600,
            "cash_moved_cents": -1500,
        },
        {
            "name": "Marco",
            "sales_count": 1,
            "sales_cents": 2200,
            "refunds_cents": 0,
            "cash_cents": 0,
            "cash_moved_cents": 5000,
        },
    ]
    assert z["shifts"] == [
        {
            "id": 3,
            "opening_float_cents": 10000,
            "expected_cash_cents": None,
            "counted_cash_cents": None,
            "difference_cents": None,
        }
    ]


def test_an_empty_day() -> None:
    z = z_sums(ZDay(day=DAY))
    assert z["business_date"] == "2026-11-25" and z["net_cents"] == 0 and z["vat"] == [] and z["operators"] == []


@given(st.lists(st.tuples(st.sampled_from([SaleKind.SALE, SaleKind.REFUND]), st.integers(0, 100_000)), max_size=20))
def test_net_is_sales_less_refunds_and_the_vat_adds_up_to_it(sales: list[tuple[SaleKind, int]]) -> None:
    rows = [
        ZSale(i, kind, total if kind is SaleKind.SALE else -total, None, GIULIA)
        for i, (kind, total) in enumerate(sales)
    ]
    lines = [ZLine(s.id, 1000, s.total_cents, 0, 0, None) for s in rows]
    z = z_sums(ZDay(day=DAY, sales=rows, lines=lines))
    assert z["net_cents"] == z["sales_cents"] - z["refunds_cents"]
    assert sum(v["gross_cents"] for v in z["vat"]) == z["net_cents"]
    assert sum(v["taxable_cents"] + v["tax_cents"] for v in z["vat"]) == z["net_cents"]
