"""Spesa sospesa: customers donate credit into the site's fund; referred households spend it.

A donation is not a sale (no goods, no VAT): it is a fund movement, and when paid in cash it
also enters the drawer as a cash movement so the shift's count still balances. Redemptions are
payments of a sale (see checkout), each with the social services' referral number.
"""

from __future__ import annotations

from orto.access import authorise
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.models import CashMovement, Counter, FundMovement, PaymentMethod
from orto.policy import Action, Operator
from pos.selling.audit import audit
from pos.selling.checkout import site_fund
from pos.selling.sales import open_shift_of


def donate_to_fund(
    db: Database, counter_id: int, actor: Operator, amount_cents: int, method: PaymentMethod = PaymentMethod.CASH
) -> int:
    """Record a donation; returns the fund's new balance."""
    if amount_cents <= 0:
        raise InvalidInput(_("a donation must be more than zero"))
    if method not in (PaymentMethod.CASH, PaymentMethod.CARD):
        raise InvalidInput(_("donations are taken in cash or by card"))
    with db.write() as session:
        authorise(session, actor, Action.SOLIDARITY_REDEMPTION)
        counter = session.get(Counter, counter_id)
        if counter is None:
            raise NotFound(_("no counter {id}").format(id=counter_id))
        shift = open_shift_of(session, counter_id)
        if shift is None:
            raise NotAllowed(_("no shift is open at this counter"))
        fund = site_fund(session, counter.site_id)
        fund.balance_cents += amount_cents
        session.add(
            FundMovement(
                fund_id=fund.id,
                kind="donation",
                amount_cents=amount_cents,
                user_id=actor.id,
                counter_id=counter_id,
                method=method.value,
            )
        )
        if method is PaymentMethod.CASH:
            session.add(
                CashMovement(
                    shift_id=shift.id, amount_cents=amount_cents, user_id=actor.id, reason=_("spesa sospesa donation")
                )
            )
            audit(session, "drawer_opened", actor.id, counter_id=counter_id)
        audit(session, "fund_donation", actor.id, counter_id=counter_id, details={"amount_cents": amount_cents})
        return fund.balance_cents


def fund_balance(db: Database, site_id: int) -> int:
    with db.read() as session:
        return site_fund(session, site_id, lock=False).balance_cents
