"""Traceability of one lot (Reg. EC 178/2002 art. 18), for an inspector or a recall: where it
came from (supplier, delivery note, their lot; or the lab batch and its input lots, down to the
farm) and where it went (transfers, lab batches, sales by site and day, waste, what is left).

Built on ``inventory.trace.trace_lot``; the period and site do not narrow it: a recall needs
the whole life of the lot.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from inventory.trace import BackNode, ForwardNode, LotInfo, trace_lot
from orto.i18n import gettext as _
from orto.models import LotOrigin
from pos.reports.filters import Scope
from pos.reports.model import Column, Figure, Kind, Report, Row, Table


def _amounts(quantity: int | None, unit: str) -> tuple[int | None, int | None]:
    """(kg or l column, pieces column)."""
    if quantity is None:
        return None, None
    return (None, quantity) if unit == "pz" else (quantity, None)


def _origin(info: LotInfo) -> str:
    if info.origin is LotOrigin.DELIVERY:
        return _("from {supplier}, delivery note {note}, their lot {their}").format(
            supplier=info.supplier or "?", note=info.delivery_note or "-", their=info.supplier_lot_code or "-"
        )
    if info.origin is LotOrigin.BATCH:
        return _("made by the lab in batch {batch}").format(batch=info.batch_code or "?")
    return _("stock without a known origin ({origin})").format(origin=_(info.origin.value))


def _back_rows(node: BackNode, depth: int, rows: list[Row]) -> None:
    lot = node.lot
    rows.append(
        (
            "· " * depth + lot.code,
            lot.product,
            _origin(lot),
            lot.received_on,
            lot.expiry,
            *_amounts(node.quantity, lot.unit),
        )
    )
    for child in node.inputs:
        _back_rows(child, depth + 1, rows)


def _forward_rows(node: ForwardNode, depth: int, rows: list[Row]) -> None:
    lot = node.lot
    code = "· " * depth + lot.code
    for t in node.transfers:
        where = _("{source} to {target}").format(source=t.from_location, target=t.to_location)
        rows.append(
            (t.day, code, _("transfer {number}").format(number=t.transfer_id), "", where, *_amounts(t.sent, lot.unit))
        )
    for s in node.sales:
        where = _("counter {counter}").format(counter=s.counter) + (f" ({s.customer})" if s.customer else "")
        rows.append((s.day, code, _("sold"), s.site, where, *_amounts(s.quantity, lot.unit)))
    for w in node.waste:
        rows.append(
            (w.day, code, _("waste: {reason}").format(reason=_(w.reason)), w.site, "", *_amounts(w.quantity, lot.unit))
        )
    for batch, day, used, output in node.batches:
        rows.append(
            (
                day,
                code,
                _("used in lab batch {batch}, made {lot}").format(batch=batch, lot=output.lot.code),
                "",
                "",
                *_amounts(used, lot.unit),
            )
        )
    for site, location, quantity in node.on_hand:
        rows.append((None, code, _("on hand"), site, location, *_amounts(quantity, lot.unit)))
    for _batch, _day, _used, output in node.batches:
        _forward_rows(output, depth + 1, rows)


def trace_report(session: Session, scope: Scope, code: str) -> Report:
    trace = trace_lot(session, code)
    lot = trace.lot
    report = Report("trace", _("Lot traceability"), f"{lot.code} · {lot.product}", None, site_label=_("Lot"))
    report.landscape = True
    report.summary = [
        Figure(_("Lot"), lot.code, Kind.TEXT),
        Figure(_("Product"), lot.product, Kind.TEXT),
        Figure(_("Origin"), _origin(lot), Kind.TEXT),
        Figure(_("Received or made"), lot.received_on, Kind.DATE),
        Figure(_("Date"), lot.expiry, Kind.DATE),
    ]
    if lot.recall:
        report.summary.append(Figure(_("RECALLED"), lot.recall, Kind.TEXT))
    if lot.hold:
        report.summary.append(Figure(_("On hold"), lot.hold, Kind.TEXT))
    amounts = [Column(_("kg or l"), Kind.GRAMS), Column(_("Pieces"), Kind.COUNT)]
    back = Table(
        _("One step back"),
        [
            Column(_("Lot")),
            Column(_("Product")),
            Column(_("Origin")),
            Column(_("Received"), Kind.DATE),
            Column(_("Date"), Kind.DATE),
            *amounts,
        ],
        note=_("Lab lots list each input lot with the quantity used, down to the delivered lots."),
    )
    _back_rows(trace.back, 0, back.rows)
    forward = Table(
        _("One step forward"),
        [
            Column(_("Day"), Kind.DATE),
            Column(_("Lot")),
            Column(_("What")),
            Column(_("Site")),
            Column(_("Where")),
            *amounts,
        ],
        note=_("Sales net of refunds, by site, day and counter; lots the lab made from it follow, indented."),
    )
    _forward_rows(trace.forward, 0, forward.rows)
    report.tables = [back, forward]
    report.notes.append(_("The whole life of the lot, whatever the period and site asked."))
    return report
