"""The issue's scenario, through the documented API only, checked against the database."""

from __future__ import annotations

from sqlalchemy import func, select

from orto.db import Database
from orto.models import (
    AuditEntry,
    Payment,
    PaymentMethod,
    PrintJob,
    Sale,
    SaleLine,
    StockMovement,
    ZReport,
)
from orto.money import scorporo
from pos import selling
from pos.selling import PaymentInput, RefundLine
from tests.shop import MANAGER_PIN, build_shop


def test_a_day_at_the_emporio(db: Database) -> None:
    shop = build_shop(db)
    s = shop.settings
    selling.open_shift(db, shop.counter, shop.cashier, {5000: 1, 1000: 2, 200: 5})  # 80 € float

    sale = selling.start_sale(db, shop.counter, shop.cashier)
    sale = selling.add_item(db, sale.id, shop.cashier, "2100101012501")  # scale label: PLU 101, 1250 g
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567897")  # jam
    sale = selling.add_item(db, sale.id, shop.cashier, "8001234567897")  # the same jam again: same line
    sale = selling.set_price_list(db, sale.id, shop.cashier, "tessera", card="T-0042")
    tomatoes, jam = sale.lines
    assert (tomatoes.quantity, tomatoes.weighed, jam.quantity) == (1250, True, 2)
    # tessera: 15% off vegetables (52,5 cents off 3,50 rounds half-up: 2,97 €/kg), 10% off the rest (4,41 €)
    assert (tomatoes.unit_price_cents, jam.unit_price_cents) == (297, 441)
    assert tomatoes.total_cents == 371  # 2,97 €/kg x 1,250 kg = 3,7125 -> 3,71
    assert jam.total_cents == 882
    assert sale.total_cents == 1253

    result = selling.complete_sale(
        db,
        s,
        sale.id,
        shop.cashier,
        [
            PaymentInput(PaymentMethod.CARD, 500),
            PaymentInput(PaymentMethod.CASH, 1000),
        ],
    )
    assert result.change_cents == 247 and result.open_drawer
    assert result.sale.number == "PAL-1-000001"

    with db.read() as session:
        stored = session.get(Sale, result.sale.id)
        assert stored is not None and stored.customer_card == "T-0042"
        paid = session.execute(
            select(Payment.method, Payment.amount_cents, Payment.change_cents)
            .where(Payment.sale_id == stored.id)
            .order_by(Payment.id)
        ).all()
        assert [tuple(p) for p in paid] == [(PaymentMethod.CARD, 500, 0), (PaymentMethod.CASH, 753, 247)]
        moved = dict(
            session.execute(
                select(StockMovement.product_id, func.sum(StockMovement.quantity))
                .where(StockMovement.kind == "sale")
                .group_by(StockMovement.product_id)
            ).all()
        )
        assert moved == {shop.tomatoes: -1250, shop.jam: -2}
        job = session.scalar(select(PrintJob).where(PrintJob.doc_id == stored.id))
        assert job is not None and job.open_drawer and job.document["total_cents"] == 1253
        assert sum(v["taxable_cents"] + v["tax_cents"] for v in job.document["vat"]) == 1253

    # the customer brings one jar back: a manager approves, the money goes back the way it came
    with db.read() as session:
        jam_line_id = session.scalar(
            select(SaleLine.id).where(SaleLine.sale_id == result.sale.id, SaleLine.product_id == shop.jam)
        )
    assert jam_line_id is not None
    back = selling.refund(
        db,
        s,
        result.sale.number or "",
        shop.counter,
        shop.cashier,
        lines=[RefundLine(jam_line_id, 1)],
        approver_pin=MANAGER_PIN,
    )
    assert back.sale.total_cents == -441
    assert [(p.method, p.amount_cents) for p in back.sale.payments] == [(PaymentMethod.CARD, -441)]

    shift = selling.close_shift(db, shop.counter, shop.cashier, {5000: 1, 1000: 2, 500: 1, 200: 6, 50: 1, 2: 1, 1: 1})
    # expected: 80 € float + 7,53 € cash kept
    assert shift.expected_cash_cents == 8753
    assert shift.counted_cash_cents == 8753 and shift.difference_cents == 0

    z = selling.z_report(db, s, shop.counter, shop.manager)
    totals = z.totals
    # recompute independently from the raw rows
    with db.read() as session:
        rows = session.execute(
            select(SaleLine.vat_rate_bp, SaleLine.total_cents).join(Sale).where(Sale.counter_id == shop.counter)
        ).all()
        by_rate: dict[int, int] = {}
        for rate, total in rows:
            by_rate[rate] = by_rate.get(rate, 0) + total
        assert session.scalar(select(func.count()).select_from(ZReport)) == 1
        approvals = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "approval", AuditEntry.approver_id == shop.manager.id)
        )
        assert approvals == 1
    assert by_rate == {400: 371, 1000: 441}
    assert totals["net_cents"] == 812 and totals["sales_cents"] == 1253 and totals["refunds_cents"] == 441
    assert totals["sales_count"] == 1 and totals["refunds_count"] == 1
    assert totals["payments"] == {"card": 59, "cash": 753}
    expected_vat = [scorporo(by_rate[r], r) for r in sorted(by_rate)]
    assert [(v["rate_bp"], v["taxable_cents"], v["tax_cents"]) for v in totals["vat"]] == [
        (v.rate_bp, v.taxable_cents, v.tax_cents) for v in expected_vat
    ]
    assert totals["social_tariff_cents"] == 1253 and totals["social_tariff_count"] == 1
    # a closed Z is never recomputed
    again = selling.z_report(db, s, shop.counter, shop.manager)
    assert again.id == z.id and again.totals == totals
