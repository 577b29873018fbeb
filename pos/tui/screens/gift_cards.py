"""F12 → gift cards: sell a new card or top one up on the open sale, look up a card's balance.

A card sold or topped up is a line of the sale outside VAT (pos.selling.gift_cards): it is paid
with the rest at F10, and loaded only when the sale completes. F8 on its line takes it off.
"""

from __future__ import annotations

from orto.i18n import gettext as _
from orto.money import format_amount
from pos.selling import gift_cards
from pos.tui.dialogs import TextPreview, TextPrompt
from pos.tui.parsing import amount_of
from pos.tui.routes import SaleHost


def sell(screen: SaleHost) -> None:
    if screen.sale is not None:
        screen.till.flow(_sell(screen, screen.sale.id))


async def _sell(screen: SaleHost, sale_id: int) -> None:
    till = screen.till
    cents = amount_of(screen, await till.ask(TextPrompt(_("New gift card: the amount to load"), format_amount(2500))))
    if cents is None:
        return
    code = await till.ask(
        TextPrompt(_("Scan a pre-printed card, or Enter: Orto makes the code"), empty_is_an_answer=True)
    )
    if code is None:  # Esc: no card after all
        return
    sale = await till.run(
        gift_cards.sell_card, till.db, till.settings, sale_id, till.operator, cents, code=code or None
    )
    screen.show_sale(sale)


def top_up(screen: SaleHost) -> None:
    if screen.sale is not None:
        screen.till.flow(_top_up(screen, screen.sale.id))


async def _top_up(screen: SaleHost, sale_id: int) -> None:
    till = screen.till
    code = await till.ask(TextPrompt(_("Top up a gift card: scan or type its code")))
    if not code:
        return
    cents = amount_of(screen, await till.ask(TextPrompt(_("Top-up: the amount to add"), format_amount(2000))))
    if cents is not None:
        sale = await till.run(gift_cards.top_up_card, till.db, till.settings, sale_id, till.operator, code, cents)
        screen.show_sale(sale)


def look_up(screen: SaleHost) -> None:
    screen.till.flow(_look_up(screen))


async def _look_up(screen: SaleHost) -> None:
    till = screen.till
    code = await till.ask(TextPrompt(_("Gift card balance: scan or type its code")))
    if code:
        found = await till.run(gift_cards.balance, till.db, code)
        screen.app.push_screen(TextPreview(_("Gift card balance"), "\n".join(gift_cards.balance_lines(found))))
