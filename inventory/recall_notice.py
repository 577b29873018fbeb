"""The recall notice (A4 PDF): what an authority or a business customer needs when a lot is
recalled (Reg. 178/2002 art. 18-19): the lot and where it came from, every lot the lab made from
it, the quantities sold per site and day and delivered by catering, the business customers to
inform with their contacts, and the private customers Orto knows by name. Read from the trace
(``inventory.trace``), so it says what the trace says."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from inventory.trace import ForwardNode, LotInfo, trace_lot
from orto.config import Settings
from orto.db import Database
from orto.enums import CustomerKind
from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.models import Customer
from orto.money import format_quantity


@dataclass(frozen=True)
class NoticeData:
    lot: LotInfo
    derived: list[tuple[LotInfo, str, int]]  # made-from lot, batch code, quantity of the parent used
    sales: list[tuple[str, str, str, str, int]]  # lot code, unit, site, day, quantity
    customers: list[tuple[str, str, str, str]]  # businesses to inform: name, VAT number, address, contact
    # what catering delivered on a DDT: lot code, unit, day, DDT number, customer, quantity
    deliveries: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)
    # private people Orto knows reached it (a Tessera holder, a private catering client): name, contact
    people: list[tuple[str, str]] = field(default_factory=list)


def notice_data(db: Database, lot_code: str) -> NoticeData:
    """What the notice says, from the trace: a customer reached by a sale or a catering delivery
    is informed once, as a business (business, association, public body) or as a person."""
    with db.read() as session:
        trace = trace_lot(session, lot_code)
        derived: list[tuple[LotInfo, str, int]] = []
        sales: dict[tuple[str, str, str, object], int] = {}
        deliveries: list[tuple[str, str, str, str, str, int]] = []
        reached: set[int] = set()

        def walk(node: ForwardNode) -> None:
            for sale in node.sales:
                key = (node.lot.code, node.lot.unit, sale.site, sale.day)
                sales[key] = sales.get(key, 0) + sale.quantity
                if sale.customer_id is not None:
                    reached.add(sale.customer_id)
            for ddt in node.catering:
                deliveries.append(
                    (node.lot.code, node.lot.unit, format_date(ddt.day), ddt.note, ddt.customer, ddt.quantity)
                )
                if ddt.customer_id is not None:
                    reached.add(ddt.customer_id)
            for batch_code, _day, used, output in node.batches:
                derived.append((output.lot, batch_code, used))
                walk(output)

        walk(trace.forward)
        found = list(session.scalars(select(Customer).where(Customer.id.in_(sorted(reached))).order_by(Customer.name)))
        customers = [
            (c.name, c.vat_number or "", c.address, c.contact) for c in found if c.kind is not CustomerKind.PERSON
        ]
        people = [(c.name, c.contact) for c in found if c.kind is CustomerKind.PERSON]
    rows = [(code, unit, site, format_date(day), qty) for (code, unit, site, day), qty in sorted(sales.items())]
    return NoticeData(trace.lot, derived, rows, customers, deliveries, people)


def recall_notice(db: Database, settings: Settings, lot_code: str, target: Path | BytesIO) -> NoticeData:
    """Write the notice; returns what it holds (for the command's summary and for tests)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.pdf import build_pdf, styles, table

    data = notice_data(db, lot_code)
    s = styles()
    lot = data.lot
    story: list = [
        Paragraph(_("Recall notice: lot {lot}").format(lot=lot.code), s["title"]),
        Paragraph(_("Product: {product}").format(product=lot.product), s["body"]),
    ]
    if lot.recall:
        story.append(Paragraph(_("Reason: {reason}").format(reason=lot.recall), s["body"]))
    origin = lot.supplier or lot.batch_code or "-"
    story.append(Paragraph(_("Came from: {origin}").format(origin=origin), s["body"]))
    if lot.delivery_note:
        story.append(Paragraph(_("Delivery note: {note}").format(note=lot.delivery_note), s["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(_("Made from this lot"), s["h2"]))
    if data.derived:
        body = [[_("Lot"), _("Product"), _("Batch"), _("Used")]]
        body += [[d.code, Paragraph(d.product, s["cell"]), batch, format_quantity(used, lot.unit)]
                 for d, batch, used in data.derived]  # fmt: skip
        story.append(table(body, [45 * mm, 70 * mm, 40 * mm, 25 * mm], numeric_cols=[3]))
    else:
        story.append(Paragraph(_("Nothing: the lab used no part of this lot."), s["body"]))
    story.append(Paragraph(_("Sold, per site and day"), s["h2"]))
    if data.sales:
        body = [[_("Lot"), _("Site"), _("Day"), _("Quantity")]]
        body += [[code, site, day, format_quantity(qty, unit)] for code, unit, site, day, qty in data.sales]
        story.append(table(body, [55 * mm, 30 * mm, 40 * mm, 35 * mm], numeric_cols=[3]))
    else:
        story.append(Paragraph(_("Nothing sold."), s["body"]))
    if data.deliveries:
        story.append(Paragraph(_("Delivered by catering (DDT)"), s["h2"]))
        body = [[_("Lot"), _("Day"), _("DDT"), _("Customer"), _("Quantity")]]
        body += [[code, day, note, Paragraph(who, s["cell"]), format_quantity(qty, unit)]
                 for code, unit, day, note, who, qty in data.deliveries]  # fmt: skip
        story.append(table(body, [45 * mm, 25 * mm, 25 * mm, 55 * mm, 30 * mm], numeric_cols=[4]))
    story.append(Paragraph(_("Business customers to inform"), s["h2"]))
    if data.customers:
        body = [[_("Customer"), _("VAT number"), _("Address"), _("Contact")]]
        body += [[Paragraph(n, s["cell"]), v, Paragraph(a, s["cell"]), Paragraph(c, s["cell"])]
                 for n, v, a, c in data.customers]  # fmt: skip
        story.append(table(body, [50 * mm, 30 * mm, 50 * mm, 50 * mm]))
    else:
        story.append(Paragraph(_("None: this lot reached final consumers only."), s["body"]))
    if data.people:
        # consumers are told through the shops' notice (Reg. 178/2002 art. 19); those Orto knows by
        # name (a Tessera holder, a private catering client) can also be called
        story.append(Paragraph(_("Private customers known by name, to contact"), s["h2"]))
        body = [[_("Customer"), _("Contact")]]
        body += [[Paragraph(n, s["cell"]), Paragraph(c, s["cell"])] for n, c in data.people]
        story.append(table(body, [80 * mm, 100 * mm]))
    build_pdf(
        target,
        title=_("Recall notice"),
        site_label=lot.code,
        story=story,
        company_name=str(settings.company.get("name", "Fuori e Dentro")),
    )
    return data
