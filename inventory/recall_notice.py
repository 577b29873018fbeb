"""The recall notice (A4 PDF): what an authority or a business customer needs when a lot is
recalled (Reg. 178/2002 art. 18-19): the lot and where it came from, every lot the lab made from
it, the quantities sold per site and day, and the business customers to inform with their
contacts. Read from the trace (``inventory.trace``), so it says what the trace says."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from inventory.trace import ForwardNode, LotInfo, trace_lot
from orto.config import Settings
from orto.db import Database
from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.models import Customer
from orto.money import format_quantity


@dataclass(frozen=True)
class NoticeData:
    lot: LotInfo
    derived: list[tuple[LotInfo, str, int]]  # made-from lot, batch code, quantity of the parent used
    sales: list[tuple[str, str, str, str, int]]  # lot code, unit, site, day, quantity
    customers: list[tuple[str, str, str, str]]  # name, VAT number, address, contact


def notice_data(db: Database, lot_code: str) -> NoticeData:
    with db.read() as session:
        trace = trace_lot(session, lot_code)
        derived: list[tuple[LotInfo, str, int]] = []
        sales: dict[tuple[str, str, str, object], int] = {}
        names: set[str] = set()

        def walk(node: ForwardNode) -> None:
            for sale in node.sales:
                key = (node.lot.code, node.lot.unit, sale.site, sale.day)
                sales[key] = sales.get(key, 0) + sale.quantity
                if sale.customer:
                    names.add(sale.customer)
            for batch_code, _day, used, output in node.batches:
                derived.append((output.lot, batch_code, used))
                walk(output)

        walk(trace.forward)
        customers = [
            (c.name, c.vat_number or "", c.address, c.contact)
            for c in session.scalars(select(Customer).where(Customer.name.in_(names)).order_by(Customer.name))
        ]
    rows = [(code, unit, site, format_date(day), qty) for (code, unit, site, day), qty in sorted(sales.items())]
    return NoticeData(trace.lot, derived, rows, customers)


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
    story.append(Paragraph(_("Business customers to inform"), s["h2"]))
    if data.customers:
        body = [[_("Customer"), _("VAT number"), _("Address"), _("Contact")]]
        body += [[Paragraph(n, s["cell"]), v, Paragraph(a, s["cell"]), Paragraph(c, s["cell"])]
                 for n, v, a, c in data.customers]  # fmt: skip
        story.append(table(body, [50 * mm, 30 * mm, 50 * mm, 50 * mm]))
    else:
        story.append(Paragraph(_("None: this lot reached final consumers only."), s["body"]))
    build_pdf(
        target,
        title=_("Recall notice"),
        site_label=lot.code,
        story=story,
        company_name=str(settings.company.get("name", "Fuori e Dentro")),
    )
    return data
