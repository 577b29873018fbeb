"""The selling engine: the rules of the counter, as services every till calls.

No rule lives in the till: it calls these functions, each public write being one database
transaction. See docs/selling.md for the walkthrough and examples.
"""

from pos.selling.auth import (
    ApprovalRequired,
    LoginFailed,
    Operator,
    create_user,
    list_users,
    login,
    may,
)
from pos.selling.checkout import complete_sale
from pos.selling.refunds import RefundLine, refund, refundable
from pos.selling.sales import (
    add_item,
    add_product,
    business_date,
    cancel_sale,
    current_sale,
    discount_line,
    discount_sale,
    find_sale,
    get_sale,
    override_price,
    park_sale,
    parked_sales,
    remove_line,
    resume_sale,
    set_price_list,
    set_quantity,
    start_sale,
)
from pos.selling.shifts import (
    DENOMINATIONS_CENTS,
    ShiftView,
    cash_movement,
    close_shift,
    count_cash,
    current_shift,
    open_shift,
    x_report,
    z_report,
)
from pos.selling.solidarity import donate_to_fund, fund_balance
from pos.selling.tabs import (
    TabView,
    add_round,
    get_tab,
    merge_tabs,
    move_lines,
    open_tab,
    open_tabs,
    send_to_kitchen,
    split_evenly,
    tab_to_sale,
)
from pos.selling.views import LineView, PaymentInput, PaymentView, SaleResult, SaleView

__all__ = [
    "DENOMINATIONS_CENTS", "ApprovalRequired", "LineView", "LoginFailed", "Operator", "PaymentInput",
    "PaymentView", "RefundLine", "SaleResult", "SaleView", "ShiftView", "TabView", "add_item", "add_product",
    "add_round", "business_date", "cancel_sale", "cash_movement", "close_shift", "complete_sale", "count_cash",
    "create_user", "current_sale", "current_shift", "discount_line", "discount_sale", "donate_to_fund",
    "find_sale", "fund_balance", "get_sale", "get_tab", "list_users", "login", "may", "merge_tabs", "move_lines",
    "open_shift", "open_tab", "open_tabs", "override_price", "park_sale", "parked_sales", "refund", "refundable",
    "remove_line", "resume_sale", "send_to_kitchen", "set_price_list", "set_quantity", "split_evenly",
    "start_sale", "tab_to_sale", "x_report", "z_report",
]
