"""Pure rules: the printer's department map, and a sale's slip as the document the RT accepts.

Payment types, decided from the facts of domain.md (written in docs/fiscal.md):
- cash -> 0 (the RT computes the change from what was handed over); card -> 2 electronic, index 1;
- meal voucher -> 3 ticket, one printRecTotal per voucher so the RT counts them;
- gift card -> 5 "not collected", index 1 "CARTA REGALO": a multi-purpose voucher's sale is certified
  when it is sold, as a line outside VAT (the department ``"N2" = n``, natura N2 "non soggetta"),
  so its money is collected then; when the card is spent the goods are certified with their VAT
  and paid "not collected" (the money came in with the card's sale: counting it again would
  double the day's takings). See docs/fiscal.md and docs/till.md, "Gift cards";
- spesa sospesa -> 2, index 3 "SPESA SOSPESA": the donations were not sales either; the goods
  leaving now are the sale, paid from money collected earlier.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from orto.errors import ConfigError, InvalidInput
from orto.i18n import gettext as _
from receipts.fiscal.document import (
    CASH,
    ELECTRONIC,
    NOT_COLLECTED,
    REFUND,
    SALE,
    TICKET,
    Adjustment,
    FiscalReceipt,
    Item,
    Reference,
    Tender,
)

# the department key of what is outside VAT (a gift card's sale, natura N2): ``"N2" = 5``
OUTSIDE_VAT = -1
OUTSIDE_VAT_KEY = "N2"
MAX_DESCRIPTION = 38  # printRecItem's description on Epson RTs
LOTTERY_CODE = re.compile(r"^[A-Z0-9]{8}$")
TENDERS = {
    "cash": ("CONTANTI", CASH, 0),
    "card": ("CARTA", ELECTRONIC, 1),
    "voucher": ("BUONO PASTO", TICKET, 1),
    "gift_card": ("CARTA REGALO", NOT_COLLECTED, 1),
    "solidarity": ("SPESA SOSPESA", ELECTRONIC, 3),
}


def percent_to_bp(text: str, where: str) -> int:
    try:
        value = Decimal(str(text).strip().rstrip("%")) * 100
    except InvalidOperation as exc:
        raise ConfigError(_("{where}: {rate!r} is not a VAT percentage").format(where=where, rate=text)) from exc
    if value != value.to_integral_value() or value < 0:
        raise ConfigError(_("{where}: {rate!r} is not a VAT percentage").format(where=where, rate=text))
    return int(value)


def departments(printer: str, raw: object) -> dict[int, int]:
    """``departments = { "4" = 1, "10" = 2 }`` -> {400: 1, 1000: 2}; a rate or department twice is refused."""
    where = f"[printers.{printer}] departments"
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(_('{where}: map each VAT % to an RT department, e.g. {{ "4" = 1 }}').format(where=where))
    out: dict[int, int] = {}
    for key, dept in raw.items():
        rate = OUTSIDE_VAT if str(key).strip().upper() == OUTSIDE_VAT_KEY else percent_to_bp(key, where)
        if isinstance(dept, bool) or not isinstance(dept, int) or not 1 <= dept <= 99:
            raise ConfigError(
                _("{where}: the department of {rate} % must be a number from 1 to 99, not {dept!r}").format(
                    where=where, rate=key, dept=dept
                )
            )
        if rate in out:
            raise ConfigError(_("{where}: VAT {rate} is named twice").format(where=where, rate=f"{key} %"))
        if dept in out.values():
            raise ConfigError(
                _("{where}: department {dept} is given to two VAT rates (an RT department has one rate)").format(
                    where=where, dept=dept
                )
            )
        out[rate] = dept
    return out


def percent(rate_bp: int) -> str:
    """1000 -> "10", 550 -> "5.5": the rate as orto.toml names it."""
    if rate_bp == OUTSIDE_VAT:
        return OUTSIDE_VAT_KEY
    whole, part = divmod(rate_bp, 100)
    return str(whole) if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def check_rates(printer: str, mapping: Mapping[int, int], rates: Iterable[int]) -> None:
    missing = sorted(set(rates) - set(mapping))
    if missing:
        raise ConfigError(
            _("[printers.{printer}] departments: VAT {rate} % of the catalog has no RT department").format(
                printer=printer, rate=", ".join(percent(r) for r in missing)
            )
        )


def description(text: str) -> str:
    """What the RT prints: ASCII letters, digits and plain punctuation, at most 38 characters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9 .,;:%/'+&()*#-]", " ", plain)
    return " ".join(plain.split())[:MAX_DESCRIPTION].rstrip()


def check_lottery_code(code: str) -> str:
    clean = code.strip().upper()
    if not LOTTERY_CODE.match(clean):
        raise InvalidInput(
            _("lotteria code {code!r}: it has 8 letters or digits (as on the customer's card)").format(code=code)
        )
    return clean


def _item(line: Mapping[str, Any], dept: int, refund: bool) -> Item:
    text = description(str(line["description"]))
    if not any(ch.isalnum() for ch in text):
        raise InvalidInput(
            _("{description!r} cannot go on the RT: its description has no letters or digits").format(
                description=line["description"]
            )
        )
    if refund:  # a reso line is what was paid for it
        return Item(text, 1000, abs(int(line["total_cents"])), dept)
    quantity = int(line["quantity"])
    milli = quantity if line.get("weighed") else quantity * 1000
    gross = int(line["gross_cents"])
    item = Item(text, milli, int(line["unit_price_cents"]), dept)
    if item.gross_cents != gross:  # a price Orto computed differently: the line's amount as one piece
        item = Item(text, 1000, gross, dept)
    adjustments = []
    if line.get("markdown_cents"):
        adjustments.append(Adjustment("RIBASSO SCADENZA", int(line["markdown_cents"])))
    if line.get("discount_cents"):
        adjustments.append(Adjustment("SCONTO", int(line["discount_cents"])))
    return Item(item.description, item.quantity_milli, item.unit_price_cents, dept, tuple(adjustments))


def _rt_card(card: Mapping[str, Any]) -> str:
    code = str(card["code"])
    return ("CARTA REGALO " if card["kind"] == "new" else "RICARICA CARTA ") + code[-4:]


def receipt_of(
    slip: Mapping[str, Any],
    mapping: Mapping[int, int],
    printer: str,
    *,
    lottery_code: str | None = None,
    reference: Reference | None = None,
    open_drawer: bool = False,
) -> FiscalReceipt:
    """The slip of a completed sale or refund (receipts.snapshots) as the RT's document.

    Refuses (InvalidInput, before the sale commits) what the RT cannot express.
    """
    refund = slip.get("kind") == "refund"
    items = []
    for line in slip["lines"]:
        dept = mapping.get(int(line["vat_rate_bp"]))
        if dept is None:
            raise InvalidInput(
                _(
                    "VAT {rate} % has no department on the RT {printer}: add it to [printers.{printer}] departments"
                ).format(rate=percent(int(line["vat_rate_bp"])), printer=printer)
            )
        items.append(_item(line, dept, refund))
    for card in slip.get("gift_cards") or ():  # outside VAT: the RT's department of natura N2
        dept = mapping.get(OUTSIDE_VAT)
        if dept is None:
            raise InvalidInput(
                _(
                    'a gift card is sold outside VAT: give the RT {printer} a department of natura N2, '
                    'e.g. "N2" = 5 in [printers.{printer}] departments'
                ).format(printer=printer)
            )
        text = description(_rt_card(card))
        items.append(Item(text, 1000, int(card["amount_cents"]), dept))
    total = abs(int(slip["total_cents"]))
    if total == 0:
        raise InvalidInput(_("a sale of zero cannot be certified on the RT"))
    tenders = []
    for payment in sorted(slip["payments"], key=lambda p: p["method"] == "cash"):
        name, kind, index = TENDERS[str(payment["method"])]
        handed = payment.get("tendered_cents") if payment["method"] == "cash" else None
        amount = abs(int(handed if handed else payment["amount_cents"]))
        tenders.append(Tender(name, amount, kind, index))
    doc = FiscalReceipt(
        REFUND if refund else SALE, tuple(items), tuple(tenders), reference, lottery_code, open_drawer=open_drawer
    )
    if doc.total_cents != total:  # never send what differs from the sale
        raise InvalidInput(
            _("the RT would total {rt} for a sale of {orto}: not sent").format(rt=doc.total_cents, orto=total)
        )
    return doc
