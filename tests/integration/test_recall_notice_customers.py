"""The recall notice names everyone Orto knows a recalled lot reached: the catering customer it
was delivered to on a DDT (with the DDT), a business that bought it at the counter, and, apart,
a private customer known by name — each once, matched by who they are, not by their name."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import update

from catering import delivery, orders, plan
from catering.orders import MenuLine, QuoteInput
from inventory.recall_notice import notice_data, recall_notice
from orto.db import Database
from orto.models import Customer, PaymentMethod, Sale
from pos import selling
from pos.selling import PaymentInput
from tests.catering_world import EVENT_DAYS, build_kitchen, event


def _sold_to(db: Database, k, lot: str, customer_id: int) -> None:  # type: ignore[no-untyped-def]
    sale = selling.start_sale(db, k.counter, k.shop.cashier)
    view = selling.add_item(db, sale.id, k.shop.cashier, lot)  # the lot's own code: that lot
    selling.complete_sale(db, k.settings, sale.id, k.shop.cashier, [PaymentInput(PaymentMethod.CASH, view.total_cents)])
    with db.write() as session:
        session.execute(update(Sale).where(Sale.id == sale.id).values(customer_id=customer_id))


def test_the_notice_names_the_ddt_the_businesses_and_the_people_it_reached(db: Database) -> None:
    k = build_kitchen(db)
    order_id = orders.create_quote(
        db,
        k.cashier,
        QuoteInput(
            k.business,
            event(EVENT_DAYS, k.today),
            20,
            [MenuLine("Giardiniera", 650, quantity=4, per_person=False, product_id=k.preserve)],
        ),
    )
    orders.confirm(db, k.cashier, order_id)
    plan.reserve_lot(db, k.cashier, order_id, k.preserve_lot, 4)
    delivery.deliver(db, k.cashier, order_id, destination="Via Monti 18, Milano")
    selling.open_shift(db, k.counter, k.shop.cashier, {})
    _sold_to(db, k, k.preserve_lot, k.business)  # the same association, at the counter too
    _sold_to(db, k, k.preserve_lot, k.person)  # a private person known by name
    with db.write() as session:  # another customer with the same name as the person: not reached
        session.add(Customer(name="Mario Rossi", kind="business", vat_number="IT09876543217", contact="altro@x.it"))

    data = notice_data(db, k.preserve_lot)
    [ddt] = data.deliveries
    assert (ddt[0], ddt[4], ddt[5]) == (k.preserve_lot, "Associazione Ortica APS", 4)
    assert [c[0] for c in data.customers] == ["Associazione Ortica APS"]  # once, though reached twice
    assert [name for name, _contact in data.people] == ["Mario Rossi"]
    assert all("altro@x.it" not in c for row in data.customers for c in row)

    pdf = BytesIO()
    recall_notice(db, k.settings, k.preserve_lot, pdf)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.getvalue())).pages)
    assert "Delivered by catering (DDT)" in text or "Consegnato dal catering (DDT)" in text
    assert ddt[3] in text and "Associazione Ortica APS" in text and "Mario Rossi" in text
