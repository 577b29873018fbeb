"""Catering: the kitchen's plan for a week of 30 orders (≤ 200 ms) and an invoice's XML and PDF
(≤ 100 ms), each round beside a floor measured in the same round (the order alternating).

Floors: for the plan, plain sqlite3 reading the same rows (the week's order lines and the site's
stock levels) that the plan must read anyway; for the invoice, lxml's schema validation of the
same XML, which the invoice cannot skip.
"""

from __future__ import annotations

import sqlite3
import time
from io import BytesIO

from _common import interleave, machine, median, percentile, ratio_line, scratch, verdict

ROUNDS = 30


def main() -> None:
    from lxml import etree

    from catering import delivery, invoices, orders, plan
    from catering.documents import render_invoice
    from catering.fatturapa import validate
    from catering.orders import MenuLine, QuoteInput
    from orto.db import Database
    from orto.localtime import local_day
    from orto.models import Invoice
    from orto.schema import upgrade
    from tests.catering_world import build_kitchen, event

    folder = scratch()
    path = folder / "catering.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    k = build_kitchen(db)
    first = local_day(event(30, k.today))
    for i in range(30):  # 30 orders across the week of day 30
        lines = [
            MenuLine("Lasagne vegetariane", 1200, portion=250, recipe_id=k.lasagne),
            MenuLine("Giardiniera", 650, quantity=1 + i % 3, per_person=False, product_id=k.preserve),
            MenuLine("Servizio", 5000, per_person=False, vat_rate_bp=2200),
        ]
        order = orders.create_quote(
            db, k.cashier, QuoteInput(k.business, event(30 + i % 7, k.today, 12 + i % 8), 10 + i, lines, place="Milano")
        )
        orders.confirm(db, k.cashier, order)
    raw = sqlite3.connect(path)
    planned: list[object] = []

    def plan_floor() -> None:
        raw.execute(
            "select o.id, o.guests, l.* from catering_orders o join catering_lines l on l.order_id = o.id "
            "where o.status = 'confirmed'"
        ).fetchall()
        raw.execute(
            "select l.*, s.quantity from lots l join stock_levels s on s.lot_id = l.id "
            "join locations x on x.id = s.location_id where s.quantity > 0"
        ).fetchall()

    planning = interleave(
        ROUNDS, {"orto": lambda: planned.append(plan.kitchen_plan(db, first, days=7)), "floor": plan_floor}
    )
    plan_ms, plan_floor_ms = planning["orto"], planning["floor"]
    result = planned[-1]
    assert len(result.dishes) == 90

    # one delivered, invoiced order: its XML rebuilt and its PDF drawn, round by round
    order = orders.create_quote(
        db,
        k.cashier,
        QuoteInput(
            k.business,
            event(2, k.today),
            40,
            [
                MenuLine("Lasagne", 1200, portion=250, recipe_id=k.lasagne),
                MenuLine("Servizio", 15000, per_person=False),
            ],
            place="Milano",
        ),
    )
    orders.confirm(db, k.cashier, order)
    delivery.deliver(db, k.cashier, order)
    invoice_id = invoices.invoice_order(db, k.settings, k.manager, order)
    with db.read() as session:
        stored = session.get(Invoice, invoice_id)
        assert stored is not None
        xml, name = stored.xml.encode(), stored.file_name
    from catering.fatturapa import InvoiceDoc, Party, build
    from catering.vat import Line, figures

    seller = invoices.seller(k.settings)
    buyer = Party(
        "Associazione Ortica APS", "01234560157", None, "Via Padova 21", "20127", "Milano", "MI", sdi_code="M5UXCR1"
    )
    lines = [Line(f"Piatto {i}", 40, 1200 * 40, 1000) for i in range(12)] + [Line("Servizio", 1, 15000, 2200)]
    doc = InvoiceDoc("TD01", "2026/0099", k.today, "000ZZ", seller, buyer, figures(lines))

    def invoice() -> None:
        render_invoice(etree.fromstring(build(doc)), name, k.settings, BytesIO())

    # one untimed first: it loads the schema and registers the fonts, once per process
    started = time.perf_counter()
    invoice()
    cold = (time.perf_counter() - started) * 1000
    invoicing = interleave(ROUNDS, {"orto": invoice, "floor": lambda: validate(xml)}, warm=1)
    inv_ms, inv_floor = invoicing["orto"], invoicing["floor"]

    print(f"machine: {machine()}")
    p50, p99 = median(plan_ms), percentile(plan_ms, 99)
    print(
        f"kitchen plan, week of 30 orders (90 dishes): p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(floor: plain sqlite3 reads p50 {median(plan_floor_ms):.2f} ms) — ≤ 200 ms {verdict(p99 <= 200)}"
    )
    print("  " + ratio_line(plan_ms, plan_floor_ms, None, "plan / reads"))
    p50, p99 = median(inv_ms), percentile(inv_ms, 99)
    print(
        f"invoice XML (13 lines, validated) and PDF: first {cold:.0f} ms, then p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(floor: schema validation alone p50 {median(inv_floor):.2f} ms) — ≤ 100 ms {verdict(p99 <= 100)}"
    )
    print("  " + ratio_line(inv_ms, inv_floor, None, "invoice / validation"))


if __name__ == "__main__":
    main()
