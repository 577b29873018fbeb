"""A lot's label is for the shop's customers: in Italian, whatever the till's language."""

from __future__ import annotations

from orto.db import Database
from orto.i18n import current_language
from orto.models import Lot
from receipts.labels import label_snapshot
from tests.shop import build_shop


def test_the_net_quantity_on_a_label_is_written_the_italian_way_in_an_english_till(db: Database) -> None:
    shop = build_shop(db)
    assert current_language() == "en"  # as every test starts
    with db.read() as session:
        lot = session.get(Lot, shop.tomato_lot)
        assert lot is not None
        label = label_snapshot(session, shop.settings, lot)
    assert label["net_quantity"] == "1,000 kg"  # not "1.000 kg"
