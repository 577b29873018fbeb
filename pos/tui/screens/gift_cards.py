"""F12 → gift cards: sell a new card or top one up on the open sale, look up a card's balance.

A card sold or topped up is a line of the sale outside VAT (pos.selling.gift_cards): it is paid
with the rest at F10, and loaded only when the sale completes. F8 on its line takes it off.
"""

from __future__ import annotations

from orto.i18n import N_
from orto.i18n import gettext as _
from orto.money import format_amount
from orto.policy import Action
from pos.selling import gift_cards
from pos.tui.menu import MenuEntry, register
from pos.tui.screens.dialogs import TextPreview, TextPrompt
from pos.tui.screens.manager_actions import _amount, _user
from pos.tui.screens.sale import SaleScreen


def sell(screen: SaleScreen) -> None:
    if screen.sale is None:
        return
    sale_id = screen.sale.id

    def amount_then_code(text: str | None) -> None:
        cents = _amount(screen, text)
        if cents is None:
            return

        def with_code(code: str | None) -> None:
            if code is None:  # Esc: no card after all
                return
            screen.call(
                gift_cards.sell_card,
                screen.ctx.db,
                screen.ctx.settings,
                sale_id,
                _user(screen),
                cents,
                code=code or None,
                done=screen._show,
            )

        screen.app.push_screen(
            TextPrompt(_("Scan a pre-printed card, or Enter: Orto makes the code"), empty_is_an_answer=True),
            with_code,
        )

    screen.app.push_screen(TextPrompt(_("New gift card: the amount to load"), format_amount(2500)), amount_then_code)


def top_up(screen: SaleScreen) -> None:
    if screen.sale is None:
        return
    sale_id = screen.sale.id

    def code_then_amount(code: str | None) -> None:
        if not code:
            return

        def with_amount(text: str | None) -> None:
            cents = _amount(screen, text)
            if cents is not None:
                screen.call(
                    gift_cards.top_up_card,
                    screen.ctx.db,
                    screen.ctx.settings,
                    sale_id,
                    _user(screen),
                    code,
                    cents,
                    done=screen._show,
                )

        screen.app.push_screen(TextPrompt(_("Top-up: the amount to add"), format_amount(2000)), with_amount)

    screen.app.push_screen(TextPrompt(_("Top up a gift card: scan or type its code")), code_then_amount)


def look_up(screen: SaleScreen) -> None:
    def go(code: str | None) -> None:
        if not code:
            return

        def show(found: gift_cards.CardBalance) -> None:
            screen.app.push_screen(TextPreview(_("Gift card balance"), "\n".join(gift_cards.balance_lines(found))))

        screen.call(gift_cards.balance, screen.ctx.db, code, done=show)

    screen.app.push_screen(TextPrompt(_("Gift card balance: scan or type its code")), go)


register(MenuEntry("gift_card_sell", N_("Sell a gift card"), sell, needs=Action.GIFT_CARD))
register(MenuEntry("gift_card_top_up", N_("Top up a gift card"), top_up, needs=Action.GIFT_CARD))
register(MenuEntry("gift_card_balance", N_("Gift card balance"), look_up))
