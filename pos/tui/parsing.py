"""What was typed at the till, read; and the same values shown back for an input: quantities in
their unit, days, whole numbers, amounts. Shared by the screens (no screen of its own)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Protocol

from orto.errors import InvalidInput
from orto.i18n import format_date
from orto.i18n import gettext as _
from orto.localtime import today as local_today
from orto.models import Unit
from orto.money import format_kg, parse_kg_to_grams, parse_money

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


class Notifying(Protocol):
    """A screen, as far as saying what was wrong with an answer goes."""

    def notify(self, message: str, *, severity: SeverityLevel = "information") -> None: ...


def business_day() -> date:
    """Today in Milan (``orto.localtime.today``)."""
    return local_today()


def unit_word(unit: Unit) -> str:
    return {Unit.KG: "kg", Unit.LITRE: "l"}.get(unit, _("pieces"))


def parse_quantity(text: str, unit: Unit) -> int:
    """Base units from what was typed: '1,250' kg -> 1250 g, '0,5' l -> 500 ml, '12' pieces -> 12."""
    text = text.strip()
    if unit is Unit.PIECE:
        if not text.isdigit() or int(text) <= 0:
            raise InvalidInput(_("{text!r}: type a whole number of pieces").format(text=text))
        return int(text)
    return parse_kg_to_grams(text)


def show_quantity(quantity: int, unit: Unit) -> str:
    """1250 g -> '1,250' (kg); 12 -> '12': what to put in an input for the same unit."""
    return str(quantity) if unit is Unit.PIECE else format_kg(quantity)


def show_with_unit(quantity: int, unit: Unit) -> str:
    """12 pz, 1,250 kg, 0,500 l: the abbreviation reads right for one piece or many."""
    return f"{show_quantity(quantity, unit)} {unit.value}"


def parse_day(text: str, today: date) -> date | None:
    """'25/11/2026', '25/11/26', '25/11' (this year), '2026-11-25' or '+5' (days from today); '' -> None."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("+") and text[1:].isdigit():
        return today + timedelta(days=int(text[1:]))
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.strptime(f"{text}/{today.year}", "%d/%m/%Y").date()
    except ValueError:
        raise InvalidInput(
            _("{text!r} is not a date: write 25/11/2026, 25/11 or +5 (days)").format(text=text)
        ) from None


def show_day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def parse_whole(text: str) -> int:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(_("{text!r} is not a number").format(text=text)) from None
    if value != value.to_integral_value() or value < 0:
        raise InvalidInput(_("{text!r}: type a whole number").format(text=text))
    return int(value)


def expiry_hint(day: date | None) -> str:
    return format_date(day) if day else "-"


def amount_of(screen: Notifying, text: str | None) -> int | None:
    """Cents from what was typed in a prompt, or None (nothing typed, or malformed: said on screen)."""
    if not text:
        return None
    try:
        return parse_money(text)
    except InvalidInput as exc:
        screen.notify(str(exc), severity="error")
        return None
