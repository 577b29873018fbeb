"""Taking the money: the amount due large, a key per method, cash quick amounts, split payments."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Input, Label, Static

from orto.errors import InvalidInput, OrtoError
from orto.i18n import gettext as _
from orto.models import PaymentMethod
from orto.money import format_amount, parse_money
from pos import selling
from pos.selling import PaymentInput, SaleResult, SaleView
from pos.tui.keys import KeyBar


class PaymentScreen(ModalScreen[SaleResult | None]):
    BINDINGS = [
        Binding("f1", "cash(0)", _("Exact")),
        Binding("f2", "cash(500)", "5 €"),
        Binding("f3", "cash(1000)", "10 €"),
        Binding("f4", "cash(2000)", "20 €"),
        Binding("f5", "cash(5000)", "50 €"),
        Binding("f6", "method('card')", _("Card")),
        Binding("f7", "method('voucher')", _("Voucher")),
        Binding("f8", "method('gift_card')", _("Gift card")),
        Binding("f9", "method('solidarity')", _("Spesa sospesa")),
        Binding("escape", "cancel", _("Back")),
    ]

    def __init__(self, sale: SaleView, shares: list[int] | None = None) -> None:
        super().__init__()
        self.sale = sale
        # A bill split evenly: each person's share is the default amount, in turn, and the sale
        # completes once the last share is in (a cash share does not close it early).
        self.shares = shares or []
        self.payments: list[PaymentInput] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="payment"):
            yield Label(_("AMOUNT DUE"), classes="dialog-title")
            yield Digits(format_amount(self.sale.total_cents), id="due")
            yield Static(self._share_text(), id="share", markup=False)
            yield Static("", id="paid", markup=False)
            yield Input(placeholder=_("cash handed over (Enter), or an amount then a method key"), id="amount")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#share", Static).display = bool(self.shares)
        self.query_one("#amount", Input).focus()

    @property
    def remaining(self) -> int:
        return self.sale.total_cents - sum(p.amount_cents for p in self.payments)

    def _default_amount(self) -> int:
        """What Enter or a method key takes when no amount is typed: the next share, or the rest."""
        left = max(self.remaining, 0)
        turn = len(self.payments)
        if turn < len(self.shares) - 1:
            return min(self.shares[turn], left)
        return left

    def _share_text(self) -> str:
        turn = len(self.payments)
        if not self.shares or turn >= len(self.shares):
            return ""
        return _("Share {n} of {total}: {amount} €").format(
            n=turn + 1, total=len(self.shares), amount=format_amount(self._default_amount())
        )

    def _refresh(self) -> None:
        self.query_one("#due", Digits).update(format_amount(max(self.remaining, 0)))
        self.query_one("#share", Static).update(self._share_text())
        lines = [
            f"{_(p.method.value)}: {format_amount(p.amount_cents)}" + (f" ({p.reference})" if p.reference else "")
            for p in self.payments
        ]
        self.query_one("#paid", Static).update("\n".join(lines))

    def _typed(self) -> int | None:
        field = self.query_one("#amount", Input)
        text = field.value.strip()
        field.value = ""
        if not text:
            return None
        try:
            return parse_money(text)
        except InvalidInput as exc:
            self.notify(str(exc), severity="error")
            return -1

    def _add(self, payment: PaymentInput) -> None:
        self.payments.append(payment)
        self._refresh()
        if self.remaining <= 0 or (payment.method is PaymentMethod.CASH and not self.shares):
            self._complete()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        amount = self._typed()
        if amount is None:
            amount = self._default_amount()
        if amount >= 0:
            self._add(PaymentInput(PaymentMethod.CASH, amount))

    def action_cash(self, cents: int) -> None:
        self._add(PaymentInput(PaymentMethod.CASH, cents or self._default_amount()))

    def action_method(self, method: str) -> None:
        amount = self._typed()
        if amount == -1:
            return
        chosen = PaymentMethod(method)
        value = amount if amount is not None else self._default_amount()
        if chosen in (PaymentMethod.GIFT_CARD, PaymentMethod.SOLIDARITY, PaymentMethod.VOUCHER):
            from pos.tui.dialogs import TextPrompt

            title = {
                PaymentMethod.GIFT_CARD: _("Gift card code"),
                PaymentMethod.SOLIDARITY: _("Social services' referral number"),
                PaymentMethod.VOUCHER: _("Voucher number (optional)"),
            }[chosen]

            def with_reference(reference: str | None) -> None:
                if reference or chosen is PaymentMethod.VOUCHER:
                    self._add(PaymentInput(chosen, value, reference))

            self.app.push_screen(TextPrompt(title), with_reference)
            return
        self._add(PaymentInput(chosen, value))

    def _complete(self) -> None:
        if self.busy:
            return
        self.busy = True
        app = self.app
        till = getattr(app, "context", None)
        assert till is not None and till.operator is not None
        payments = list(self.payments)

        def work() -> None:
            try:
                result = selling.complete_sale(till.db, till.settings, self.sale.id, till.operator, payments)
            except OrtoError as exc:
                app.call_from_thread(self._refused, exc)
                return
            except Exception as exc:  # the database gone, or a bug: the sale is still open, say so
                app.call_from_thread(self._failed, exc)
                return
            app.call_from_thread(self.dismiss, result)

        # The app's worker, not this screen's: the screen is dismissed from inside it, and a
        # screen's workers are cancelled with the screen.
        app.run_worker(work, thread=True, exit_on_error=False, group="payment")

    def _refused(self, exc: OrtoError) -> None:
        """The sale is still open and unpaid: say why and let the cashier fix the payments."""
        self.busy = False
        self.payments.clear()
        self._refresh()
        self.notify(str(exc), severity="error", timeout=8)

    def _failed(self, exc: Exception) -> None:
        """Not a refusal the rules gave: the payment did not go through; the cashier may try again."""
        self.busy = False
        self.payments.clear()
        self._refresh()
        self.notify(str(exc) or repr(exc), title=_("The payment did not go through"), severity="error", timeout=10)

    def action_cancel(self) -> None:
        self.dismiss(None)
