"""A refund as it will be made: per method what goes back, the cash to hand over large.

The cashier sees the plan the engine computed (``selling.refund_plan``), may choose to give it
all back in cash (F2, e.g. a card the customer no longer has), and confirms; the manager's PIN
the policy asks for a refund comes after, so the manager approves what is on screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Digits, Label, Static

from orto.i18n import gettext as _
from orto.models import PaymentMethod
from orto.money import format_amount, format_kg
from pos.selling import RefundPlan
from pos.tui.keys import KeyBar
from pos.tui.routes import AS_PAID


def plan_text(plan: RefundPlan) -> str:
    lines = []
    for description, quantity, weighed, cents in plan.lines:
        amount = f"{format_kg(quantity)} kg" if weighed else f"{quantity} x"
        lines.append(f"{amount:>10}  {description[:40]:<40} {format_amount(cents):>10}")
    lines.append("")
    lines.append(_("Goes back:"))
    for method, cents in plan.back:
        lines.append(f"  {_(method.value):<24} {format_amount(cents):>10} €")
    return "\n".join(lines)


class RefundScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("enter,f10", "confirm", _("Confirm")),
        Binding("f2", "toggle_cash", _("All in cash")),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, as_paid: RefundPlan, in_cash: RefundPlan) -> None:
        super().__init__()
        self.plans = {AS_PAID: as_paid, PaymentMethod.CASH.value: in_cash}
        self.choice = AS_PAID

    @property
    def plan(self) -> RefundPlan:
        return self.plans[self.choice]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="refund"):
            yield Label(_("Refund of sale {number}").format(number=self.plan.number), classes="dialog-title")
            with VerticalScroll(id="refund-lines"):
                yield Static("", id="refund-plan", markup=False)
            yield Label("", id="refund-cash-label")
            yield Digits("", id="refund-cash")
            yield Static("", id="refund-hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        plan = self.plan
        self.query_one("#refund-plan", Static).update(plan_text(plan))
        self.query_one("#refund-cash-label", Label).update(_("CASH TO HAND OVER"))
        self.query_one("#refund-cash", Digits).update(format_amount(plan.cash_cents))
        others = [m for m, _c in self.plans[AS_PAID].back if m is not PaymentMethod.CASH]
        if self.choice != AS_PAID:
            hint = _("All in cash instead of {methods}. F2: back to the methods paid with.").format(
                methods=", ".join(_(m.value) for m in others)
            )
        elif others:
            hint = _("F2: all in cash instead. Enter confirms (a cashier then needs a manager's PIN).")
        else:
            hint = _("Enter confirms (a cashier then needs a manager's PIN).")
        self.query_one("#refund-hint", Static).update(hint)

    def action_toggle_cash(self) -> None:
        if any(m is not PaymentMethod.CASH for m, _c in self.plans[AS_PAID].back):
            self.choice = PaymentMethod.CASH.value if self.choice == AS_PAID else AS_PAID
            self._refresh()

    def action_confirm(self) -> None:
        self.dismiss(self.choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
