"""Writing a sale's fiscal document in the sale's own transaction (the contract checkout uses)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from orto.config import PrinterConfig, Settings
from orto.errors import ConfigError, NotAllowed
from orto.i18n import gettext as _
from orto.models import FiscalClosure, FiscalDocument, LotteryCode, PrinterRole
from orto.models.base import table_of
from receipts.fiscal.document import REFUND, VOID, FiscalReceipt
from receipts.fiscal.rules import check_rates, departments, receipt_of
from receipts.jobs import printer_for

KIND = "epson-rt"
_DOCS = table_of(FiscalDocument)
_INSERT = insert(_DOCS).returning(_DOCS.c.id)
_MAPS: dict[tuple[str, str], dict[int, int]] = {}


def fiscal_printer(settings: Settings, counter_code: str | None) -> PrinterConfig | None:
    """The counter's RT (``[counters.X.printers] fiscal = "cassa"``), or None."""
    name = printer_for(settings, counter_code, PrinterRole.FISCAL)
    if name is None:
        return None
    config = settings.printers[name]
    if config.kind != KIND:
        raise ConfigError(
            _('counter {counter}: the fiscal printer {name} is of kind {kind!r}, not "epson-rt"').format(
                counter=counter_code, name=name, kind=config.kind
            )
        )
    return config


def department_map(config: PrinterConfig) -> dict[int, int]:
    raw = config.options.get("departments")
    key = (config.name, repr(raw))
    if key not in _MAPS:  # parsed once per process: the sale's commit path only looks it up
        _MAPS[key] = departments(config.name, raw)
    return _MAPS[key]


def queue_fiscal(
    session: Session,
    settings: Settings,
    *,
    counter_code: str,
    counter_id: int,
    sale_id: int,
    slip: dict[str, Any],
    original_sale_id: int | None = None,
    open_drawer: bool = False,
    void: bool = False,
) -> int | None:
    """The fiscal document of a completed sale or refund; None if the counter has no RT.

    A refund of a sale that had no fiscal document (sold before the RT, or elsewhere) gets none:
    the RT cannot issue a reso without a reference, and the caller prints the usual slip.
    Raises InvalidInput when the sale cannot be expressed on the RT: the sale is not committed.
    """
    config = fiscal_printer(settings, counter_code)
    if config is None:
        return None
    refers_to = None
    if slip.get("kind") == REFUND:
        refers_to = session.scalar(
            select(FiscalDocument.id).where(FiscalDocument.sale_id == original_sale_id, FiscalDocument.kind == "sale")
        )
        if refers_to is None:
            if void:
                raise NotAllowed(_("this sale has no documento commerciale to annul"))
            return None
        if void:
            return _queue_void(session, refers_to, sale_id)
    code = session.scalar(select(LotteryCode.code).where(LotteryCode.sale_id == sale_id))
    doc = receipt_of(slip, department_map(config), config.name, lottery_code=code, open_drawer=open_drawer)
    return _insert(session, doc, config.name, counter_id, sale_id, refers_to)


def _insert(
    session: Session, doc: FiscalReceipt, printer: str, counter_id: int | None, sale_id: int, refers_to: int | None
) -> int:
    return int(
        session.execute(
            _INSERT,
            {
                "sale_id": sale_id,
                "kind": doc.kind,
                "printer": printer,
                "counter_id": counter_id,
                "status": "pending",
                "document": doc.to_json(),
                "refers_to_id": refers_to,
                "in_doubt": False,
                "attempts": 0,
                "amount_cents": doc.total_cents,
            },
        ).scalar_one()
    )


def _queue_void(session: Session, refers_to: int, sale_id: int) -> int:
    """An annullo: only of a document the RT issued and whose day the RT has not closed yet."""
    original = session.get(FiscalDocument, refers_to, with_for_update=True)
    assert original is not None
    closed = original.z_number is not None and session.scalar(
        select(FiscalClosure.id).where(
            FiscalClosure.printer == original.printer, FiscalClosure.z_number >= original.z_number
        )
    )
    if closed:
        raise NotAllowed(_("the RT's day of that document is closed (Z done): refund it with a reso"))
    already = session.scalar(select(FiscalDocument.id).where(FiscalDocument.refers_to_id == original.id).limit(1))
    if already is not None:  # the RT annuls a whole document: not one already (partly) given back
        raise NotAllowed(_("that documento commerciale already has a reso or an annullo"))
    row = FiscalDocument(
        sale_id=sale_id,
        kind=VOID,
        printer=original.printer,
        counter_id=original.counter_id,
        status="pending",
        document=FiscalReceipt(VOID).to_json(),
        refers_to_id=original.id,
        in_doubt=False,
        attempts=0,
        amount_cents=original.amount_cents,
    )
    session.add(row)
    session.flush()
    return row.id


def check_catalog(session: Session, settings: Settings) -> None:
    """At start: every VAT rate of the catalog's active products has a department on each RT.

    A ConfigError names the RT and the rate; the counter's sales would be refused anyway, this
    says it before the first customer.
    """
    from orto.models import Product

    rates: set[int] = set()
    for rate, onsite in session.execute(
        select(Product.vat_rate_bp, Product.onsite_vat_rate_bp).where(Product.active.is_(True)).distinct()
    ):
        rates.add(rate)
        if onsite is not None:
            rates.add(onsite)
    for config in settings.printers.values():
        if config.kind == KIND:
            check_rates(config.name, department_map(config), rates)
