"""Queueing a sale's documents (customer slip, kitchen ticket) in the sale's own transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from orto.config import Settings
from orto.models import Counter, PrinterRole, PrintJob, Sale
from receipts.jobs import printer_for, queue_document
from receipts.snapshots import kitchen_snapshot, sale_snapshot


def queue_sale_documents(
    session: Session, settings: Settings, sale: Sale, *, open_drawer: bool, void: bool = False
) -> list[PrintJob]:
    """The slip to the counter's receipt printer (and the drawer kick); kitchen items to the kitchen.

    A counter with no printer configured gets no job: the sale is still complete, and any slip
    can be printed later from the sale (reprint).
    """
    counter = session.get(Counter, sale.counter_id)
    assert counter is not None
    jobs: list[PrintJob] = []
    receipt_printer = printer_for(settings, counter.code, PrinterRole.RECEIPT)
    fiscal = None
    if printer_for(settings, counter.code, PrinterRole.FISCAL):  # the RT's documento commerciale or reso
        from receipts.fiscal.jobs import queue_fiscal

        fiscal = queue_fiscal(
            session,
            settings,
            counter_code=counter.code,
            counter_id=counter.id,
            sale_id=sale.id,
            slip=sale_snapshot(session, settings, sale),
            original_sale_id=sale.original_sale_id,
            open_drawer=open_drawer,
            void=void,
        )
    if receipt_printer and fiscal is None:
        doc_type = "refund" if sale.kind.value == "refund" else "receipt"
        jobs.append(
            queue_document(
                session,
                printer=receipt_printer,
                role=PrinterRole.RECEIPT,
                doc_type=doc_type,
                doc_id=sale.id,
                document=sale_snapshot(session, settings, sale),
                counter_id=counter.id,
                open_drawer=open_drawer,
            )
        )
    kitchen_lines = [line for line in sale.lines if line.kitchen_item]
    kitchen_printer = printer_for(settings, counter.code, PrinterRole.KITCHEN)
    if kitchen_lines and kitchen_printer and sale.tab_id is None:  # tab items went to the kitchen when ordered
        jobs.append(
            queue_document(
                session,
                printer=kitchen_printer,
                role=PrinterRole.KITCHEN,
                doc_type="kitchen",
                doc_id=sale.id,
                document=kitchen_snapshot(
                    counter,
                    label=sale.number or "",
                    lines=[(line.description, line.quantity, line.note) for line in kitchen_lines],
                ),
                counter_id=counter.id,
            )
        )
    return jobs
