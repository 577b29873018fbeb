"""Gift cards at the till: sold and topped up as part of a sale, spent as a payment, looked up.

A gift card is a *multi-purpose voucher* (docs/till.md, "Gift cards"): its sale is outside VAT, so
a card sold or topped up is not a sale line but a **load** of the sale (``gift_card_loads``), part
of the sale's total and of its payments, never of its VAT table, never discounted. The card's
balance is credited only when the sale completes, in the sale's transaction
(:func:`complete_loads`, called by ``checkout.complete_sale``): a cancelled sale loads nothing.

Codes: ``GC`` and 12 digits, the last a check digit (Luhn), made by Orto for a new card; printed
with its barcode (Code 128) on the card's own slip, so a scan at F8 or at the balance look-up finds
it. A pre-printed card's code may be scanned instead (letters, digits and ``-``, 6 to 40). Typed
codes are read with or without spaces and hyphens, in any case.

Limits (``[gift_cards]`` in orto.toml): a load of at least 1 €, and a card never holds more than
``max_euros`` (default 500); ``validity_months`` (default 0: never) sets the last day a card may be
used, counted from its last load.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from stdnum import luhn

from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.enums import GiftCardLoadKind
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.gift_card_codes import PREFIX, mask, normalise
from orto.i18n import gettext as _
from orto.models import AuditEntry, GiftCard, GiftCardLoad, GiftCardMovement, Sale, SaleKind, SaleStatus
from orto.money import format_money
from orto.policy import Action, Operator
from pos.selling.audit import audit
from pos.selling.views import GiftCardLine, SaleView

MIN_LOAD_CENTS = 100
DEFAULT_MAX_EUROS = 500
NEW, TOP_UP = GiftCardLoadKind.NEW, GiftCardLoadKind.TOP_UP
_OURS = re.compile(r"^GC\d{12}$")
_ALLOWED = re.compile(r"^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]$")


# ---------------------------------------------------------------- codes


def new_code() -> str:
    """``GC`` + 11 random digits + their Luhn check digit: 10^11 codes, a typo caught by the check."""
    body = "".join(secrets.choice("0123456789") for _i in range(11))
    return PREFIX + body + luhn.calc_check_digit(body)


def grouped(code: str) -> str:
    """A code made by Orto in groups to read aloud and type: ``GC 1234 5678 9012``."""
    if _OURS.match(code):
        return f"{code[:2]} {code[2:6]} {code[6:10]} {code[10:]}"
    return code


def _checked_code(text: str) -> str:
    clean = normalise(text)
    if _OURS.match(clean) and luhn.calc_check_digit(clean[2:13]) != clean[13]:
        raise InvalidInput(_("gift card {code}: the check digit is wrong, scan or type it again").format(code=text))
    return clean


def find_card(session: Session, code: str | None, *, lock: bool = False) -> GiftCard:
    """The card a cashier names, however typed (``gc 1234-5678 9012``); NotFound naming the code."""
    text = limits.text((code or "").strip(), _("gift card code"), 60)
    if not text:
        raise InvalidInput(_("type or scan the gift card's code"))
    clean = _checked_code(text)
    candidates = {text, text.upper(), clean}
    stmt = select(GiftCard).where(GiftCard.code.in_(sorted(candidates)))
    card = session.scalar(stmt.with_for_update() if lock else stmt)
    if card is None:
        raise NotFound(_("no gift card {code}: check the code").format(code=text))
    return card


def scanned_as_goods(session: Session, code: str) -> str | None:
    """What to tell a cashier who scanned a gift card where goods are scanned (None: not a card).

    A customer hands the card over to pay and it gets scanned by reflex: saying "unknown code"
    would send the cashier looking for a product. A card is neither sold nor spent from here.
    """
    clean = normalise(code)
    card = session.scalar(select(GiftCard).where(GiftCard.code.in_(sorted({code, clean}))))
    if card is None and not _OURS.match(clean):
        return None
    shown = mask(card.code if card is not None else clean)
    if card is None:
        return _("{code} is a gift card code Orto does not know: check it at F12 → Gift card balance").format(
            code=shown
        )
    return _(
        "{code} is a gift card, not a product ({amount} on it): to pay with it, F8 Gift card at the payment;"
        " to load it, F12 → Top up a gift card"
    ).format(code=shown, amount=format_money(card.balance_cents))


def usable(card: GiftCard, today: date) -> None:
    """Refuse an inactive or expired card, saying which and since when."""
    if not card.active:
        raise NotAllowed(_("gift card {code} is blocked").format(code=mask(card.code)))
    if card.expires_on is not None and card.expires_on < today:
        raise NotAllowed(_("gift card {code} expired on {day}").format(code=mask(card.code), day=_day(card.expires_on)))


def _day(day: date) -> str:
    from orto.i18n import format_date

    return format_date(day)


# ---------------------------------------------------------------- limits


def max_cents(settings: Settings | None) -> int:
    value = (settings.section("gift_cards") if settings else {}).get("max_euros", DEFAULT_MAX_EUROS)
    return int(value) * 100


def validity_months(settings: Settings | None) -> int:
    return int((settings.section("gift_cards") if settings else {}).get("validity_months", 0))


def expiry_from(day: date, months: int) -> date | None:
    """The last day of validity ``months`` after ``day`` (the same day of the month, or the month's last)."""
    if months <= 0:
        return None
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_amount(amount_cents: int, settings: Settings | None) -> int:
    limits.cents(amount_cents, _("gift card amount"), maximum=limits.MAX_SALE_CENTS, minimum=-limits.MAX_SALE_CENTS)
    most = max_cents(settings)
    if amount_cents < MIN_LOAD_CENTS:
        raise InvalidInput(
            _("a gift card is loaded with at least {least}, not {amount}").format(
                least=format_money(MIN_LOAD_CENTS), amount=format_money(amount_cents)
            )
        )
    if amount_cents > most:
        raise InvalidInput(
            _("a gift card holds at most {most} ([gift_cards] max_euros): {amount} is too much").format(
                most=format_money(most), amount=format_money(amount_cents)
            )
        )
    return amount_cents


def _room(card: GiftCard, amount_cents: int, settings: Settings | None) -> None:
    most = max_cents(settings)
    if card.balance_cents + amount_cents > most:
        message = _("gift card {code} holds {balance}: at most {room} more can be loaded (a card holds at most {most})")
        raise NotAllowed(
            message.format(
                code=mask(card.code),
                balance=format_money(card.balance_cents),
                room=format_money(max(most - card.balance_cents, 0)),
                most=format_money(most),
            )
        )


# ---------------------------------------------------------------- on the open sale


def card_lines(session: Session, sale_id: int) -> tuple[GiftCardLine, ...]:
    return tuple(
        GiftCardLine(load.id, load.kind, load.code, load.amount_cents, load.balance_cents)
        for load in _loads(session, sale_id)
    )


def _open_sale(session: Session, sale_id: int) -> Sale:
    sale = session.get(Sale, sale_id, with_for_update=True)
    if sale is None:
        raise NotFound(_("no sale {id}").format(id=sale_id))
    if sale.status is not SaleStatus.OPEN or sale.kind is not SaleKind.SALE:
        raise NotAllowed(_("sale {id} is {status}, not open").format(id=sale_id, status=_(sale.status.value)))
    return sale


def _pending_new(session: Session, code: str) -> bool:
    """Whether a sale not yet paid (open or parked) already sells a new card with this code."""
    return (
        session.scalar(
            select(GiftCardLoad.id)
            .join(Sale, Sale.id == GiftCardLoad.sale_id)
            .where(
                GiftCardLoad.code == code,
                GiftCardLoad.kind == NEW,
                Sale.status.in_((SaleStatus.OPEN, SaleStatus.PARKED)),
            )
            .limit(1)
        )
        is not None
    )


def _add(session: Session, sale: Sale, actor: Operator, kind: str, code: str, amount: int, generated: bool) -> None:
    session.add(
        GiftCardLoad(sale_id=sale.id, kind=kind, code=code, generated=generated, amount_cents=amount, user_id=actor.id)
    )
    sale.gift_cards_cents += amount
    sale.total_cents += amount
    audit(
        session,
        "gift_card_added",
        actor.id,
        counter_id=sale.counter_id,
        entity="sale",
        entity_id=sale.id,
        details={"kind": kind, "code": mask(code), "amount_cents": amount},
    )


def _view(session: Session, sale: Sale) -> SaleView:
    from pos.selling.sales import view

    session.flush()
    return view(session, sale)


def sell_card(
    db: Database,
    settings: Settings | None,
    sale_id: int,
    actor: Operator,
    amount_cents: int,
    *,
    code: str | None = None,
) -> SaleView:
    """A new gift card of ``amount_cents`` on the open sale: Orto makes its code, or ``code`` (a
    pre-printed card scanned). Nothing is loaded until the sale completes."""
    amount = _check_amount(amount_cents, settings)
    with db.write() as session:
        authorise(session, actor, Action.GIFT_CARD)
        sale = _open_sale(session, sale_id)
        if code is not None and code.strip():
            clean = _checked_code(limits.text(code.strip(), _("gift card code"), 60))
            taken = session.scalar(select(GiftCard.id).where(GiftCard.code.in_(sorted({clean, code.strip()}))))
            if taken is not None:
                raise NotAllowed(_("gift card {code} already exists: top it up instead").format(code=mask(clean)))
            if not _ALLOWED.match(clean):
                raise InvalidInput(
                    _("gift card code {code!r}: 6 to 40 letters, digits or hyphens").format(code=code.strip())
                )
            if _pending_new(session, clean):
                raise NotAllowed(_("gift card {code} is already being sold on another sale").format(code=mask(clean)))
            generated = False
        else:
            clean = new_code()
            while session.scalar(select(GiftCard.id).where(GiftCard.code == clean)) or _pending_new(session, clean):
                clean = new_code()  # 1 in 10^11: never in practice, but never twice either
            generated = True
        _add(session, sale, actor, NEW, clean, amount, generated)
        return _view(session, sale)


def top_up_card(
    db: Database, settings: Settings | None, sale_id: int, actor: Operator, code: str, amount_cents: int
) -> SaleView:
    """A top-up of an existing card on the open sale; credited when the sale completes."""
    from pos.selling.sales import business_date

    amount = _check_amount(amount_cents, settings)
    with db.write() as session:
        authorise(session, actor, Action.GIFT_CARD)
        sale = _open_sale(session, sale_id)
        card = find_card(session, code)
        usable(card, business_date())
        if any(load.code == card.code for load in _loads(session, sale.id)):
            raise NotAllowed(
                _("gift card {code} is already on this sale: remove it (F8) to change the amount").format(
                    code=mask(card.code)
                )
            )
        _room(card, amount, settings)
        _add(session, sale, actor, TOP_UP, card.code, amount, False)
        return _view(session, sale)


def _loads(session: Session, sale_id: int) -> list[GiftCardLoad]:
    return list(session.scalars(select(GiftCardLoad).where(GiftCardLoad.sale_id == sale_id).order_by(GiftCardLoad.id)))


def remove_card(db: Database, sale_id: int, actor: Operator, load_id: int) -> SaleView:
    """Take a card off a sale not yet paid (recorded in the audit log, as a removed line is)."""
    with db.write() as session:
        authorise(session, actor, Action.SELL)
        sale = _open_sale(session, sale_id)
        load = session.get(GiftCardLoad, load_id)
        if load is None or load.sale_id != sale.id:
            raise NotFound(_("no gift card {id} on this sale").format(id=load_id))
        audit(
            session,
            "gift_card_removed",
            actor.id,
            counter_id=sale.counter_id,
            entity="sale",
            entity_id=sale.id,
            details={"kind": load.kind, "code": mask(load.code), "amount_cents": load.amount_cents},
        )
        sale.gift_cards_cents -= load.amount_cents
        sale.total_cents -= load.amount_cents
        session.execute(delete(GiftCardLoad).where(GiftCardLoad.id == load.id))
        return _view(session, sale)


# ---------------------------------------------------------------- at the sale's completion


def complete_loads(
    session: Session, settings: Settings | None, sale_id: int, actor: Operator, today: date
) -> list[dict[str, Any]]:
    """Credit the cards of a sale being completed, in its transaction; what its slip shows of them."""
    authorise(session, actor, Action.GIFT_CARD)
    out = []
    months = validity_months(settings)
    for load in _loads(session, sale_id):
        if load.kind == NEW:
            if session.scalar(select(GiftCard.id).where(GiftCard.code == load.code)) is not None:
                raise NotAllowed(
                    _("gift card {code} was issued meanwhile: remove it and sell a new one").format(
                        code=mask(load.code)
                    )
                )
            card = GiftCard(code=load.code, balance_cents=0, expires_on=expiry_from(today, months), active=True)
            session.add(card)
            session.flush()
        else:
            card = find_card(session, load.code, lock=True)
            usable(card, today)
            _room(card, load.amount_cents, settings)
            if months:
                card.expires_on = expiry_from(today, months)
        card.balance_cents += load.amount_cents
        session.add(
            GiftCardMovement(gift_card_id=card.id, amount_cents=load.amount_cents, sale_id=sale_id, user_id=actor.id)
        )
        load.gift_card_id, load.balance_cents = card.id, card.balance_cents
        out.append(slip_line(load, card.expires_on))
    return out


def slip_line(load: GiftCardLoad, expires_on: date | None) -> dict[str, Any]:
    return {
        "kind": load.kind,
        "code": mask(load.code),
        "full_code": load.code if load.generated else None,
        "amount_cents": load.amount_cents,
        "balance_cents": load.balance_cents,
        "expires_on": expires_on.isoformat() if expires_on else None,
    }


def card_voucher(load: dict[str, Any], company: dict[str, Any], at: str, number: str) -> dict[str, Any]:
    """The card's own slip (a code Orto made): the full code and its barcode, to give as the gift."""
    return {
        "kind": "gift_card",
        "company": company,
        "code": load["full_code"],
        "amount_cents": load["amount_cents"],
        "expires_on": load["expires_on"],
        "at": at,
        "number": number,
    }


# ---------------------------------------------------------------- the balance


@dataclass(frozen=True)
class Movement:
    at: datetime
    amount_cents: int
    what: str  # loaded | topped_up | spent | refunded
    sale_number: str | None


@dataclass(frozen=True)
class CardBalance:
    code: str  # as stored; screens show mask() or grouped()
    balance_cents: int
    active: bool
    issued_at: datetime
    expires_on: date | None
    expired: bool
    movements: tuple[Movement, ...]  # the last ones, newest first
    blocked_because: str | None = None  # a blocked card: the reason its blocking gave


def balance(db: Database, code: str, *, last: int = 10, today: date | None = None) -> CardBalance:
    """A card's balance, validity and last movements (read-only)."""
    from pos.selling.sales import business_date

    day = today or business_date()
    with db.read() as session:
        card = find_card(session, code)
        rows = session.execute(
            select(GiftCardMovement, Sale.number, Sale.kind)
            .outerjoin(Sale, Sale.id == GiftCardMovement.sale_id)
            .where(GiftCardMovement.gift_card_id == card.id)
            .order_by(GiftCardMovement.id)
        ).all()
        movements = []
        for i, (move, number, kind) in enumerate(rows):
            if move.amount_cents < 0:
                what = "spent"
            elif kind is SaleKind.REFUND:
                what = "refunded"
            else:
                what = "loaded" if i == 0 else "topped_up"
            movements.append(Movement(move.at, move.amount_cents, what, number))
        return CardBalance(
            card.code,
            card.balance_cents,
            card.active,
            card.issued_at,
            card.expires_on,
            card.expires_on is not None and card.expires_on < day,
            tuple(reversed(movements))[:last],
            None if card.active else _block_reason(session, card.id),
        )


def _block_reason(session: Session, card_id: int) -> str | None:
    details = session.scalar(
        select(AuditEntry.details)
        .where(AuditEntry.entity == "gift_card", AuditEntry.entity_id == card_id)
        .where(AuditEntry.action == "gift_card_blocked")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return str(details["reason"]) if details and details.get("reason") else None


def balance_lines(found: CardBalance) -> list[str]:
    """The look-up as text lines, for the till's screen and the CLI."""
    from orto.i18n import format_datetime

    state = _("blocked") if not found.active else (_("expired") if found.expired else _("valid"))
    lines = [
        _("Gift card {code}").format(code=grouped(found.code)),
        _("Balance: {amount}").format(amount=format_money(found.balance_cents)),
        _("State: {state}").format(state=state),
        *([_("Blocked because: {reason}").format(reason=found.blocked_because)] if found.blocked_because else []),
        _("Valid until: {day}").format(day=_day(found.expires_on)) if found.expires_on else _("No expiry"),
        "",
        _("Last movements:"),
    ]
    words = {
        "loaded": _("loaded"),
        "topped_up": _("topped up"),
        "spent": _("spent"),
        "refunded": _("refund"),
    }
    for move in found.movements:
        amount = format_money(move.amount_cents)
        lines.append(f"{format_datetime(move.at)}  {words[move.what]:<12}{amount:>10}  {move.sale_number or ''}")
    if not found.movements:
        lines.append("  -")
    return lines


# ---------------------------------------------------------------- blocking a lost or stolen card


@dataclass(frozen=True)
class BlockChange:
    code: str
    active: bool  # after the change
    balance_cents: int  # what the card holds: kept, never zeroed (it is the holder's money)


def set_blocked(
    db: Database, actor: Operator, code: str, *, blocked: bool, reason: str, approver_pin: str | None = None
) -> BlockChange:
    """Block a card (lost, stolen, disputed) or unblock it, saying why; recorded in the audit log.

    A blocked card keeps its balance and cannot pay or be topped up until it is unblocked
    (``usable``); a refund of goods it paid for still goes back onto it, the card they came from.
    Blocking a blocked card, or unblocking an active one, is refused so the log never holds a
    change that changed nothing.
    """
    why = limits.text(reason, _("reason"), 200, required=True).strip()
    with db.write() as session:
        approver = authorise(session, actor, Action.GIFT_CARD_BLOCK, approver_pin)
        card = find_card(session, code, lock=True)
        if card.active != blocked:
            raise NotAllowed(
                (_("gift card {code} is already blocked") if blocked else _("gift card {code} is not blocked")).format(
                    code=mask(card.code)
                )
            )
        card.active = not blocked
        audit(
            session,
            "gift_card_blocked" if blocked else "gift_card_unblocked",
            actor.id,
            approver_id=approver,
            entity="gift_card",
            entity_id=card.id,
            details={"code": mask(card.code), "reason": why, "balance_cents": card.balance_cents},
        )
        return BlockChange(card.code, card.active, card.balance_cents)
