"""Names of the model's vocabularies as people read them, marked for translation.

The enums store English values (``cashier``, ``cash``…); the interface shows ``_(value)``.
"""

from orto.i18n import N_

LABELS = (
    N_("cashier"),
    N_("kitchen"),
    N_("manager"),
    N_("cash"),
    N_("card"),
    N_("voucher"),
    N_("gift_card"),
    N_("solidarity"),
    N_("open"),
    N_("parked"),
    N_("completed"),
    N_("cancelled"),
    N_("sale"),
    N_("refund"),
    N_("expired"),
    N_("spoiled"),
    N_("damaged"),
    N_("unsold_prepared"),
    N_("production_loss"),
    N_("quality"),
    N_("donated"),
    N_("use_by"),
    N_("best_before"),
    # where a lot came from, lab batches, transfers
    N_("delivery"),
    N_("batch"),
    N_("opening"),
    N_("untracked"),
    N_("held"),
    N_("released"),
    N_("reworked"),
    N_("discarded"),
    N_("in_transit"),
    N_("received"),
    # printer states and print job statuses
    N_("ok"), N_("offline"), N_("paper_out"), N_("paper_low"), N_("unknown"), N_("error"),
    N_("pending"), N_("printing"), N_("done"), N_("failed"), N_("unconfirmed"),
    # suppliers for km0, storage classes, cold-chain appliances
    N_("farm"), N_("lab"), N_("distributor"),
    N_("ambient"), N_("chilled"), N_("frozen"),
    N_("fridge"), N_("cold_room"), N_("freezer"),
)
