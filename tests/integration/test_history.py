"""The generated history is coherent the way the till's own writes are: stock equals its ledger,
every Z report holds what the Z computation gives for its day, funds and numbering add up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from orto.db import Database
from orto.errors import OrtoError
from orto.models import (
    Counter,
    PaymentMethod,
    Product,
    Role,
    Sale,
    SaleStatus,
    SolidarityFund,
    StockLevel,
    User,
    ZReport,
)
from pos import selling
from pos.demo import FUND_AFTER_HISTORY_CENTS
from pos.selling import PaymentInput
from pos.selling.shifts import day_totals
from tests.reports_shop import demo_with_history
from tests.shop import shop_settings as demo_settings


def test_history_is_coherent(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first, last = demo_with_history(db, monkeypatch)
    with db.read() as session:
        mismatched = session.execute(
            text(
                "SELECT l.location_id, l.lot_id, l.quantity, "
                "(SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m "
                " WHERE m.location_id = l.location_id AND m.lot_id = l.lot_id) "
                "FROM stock_levels l"
            )
        ).all()
        assert mismatched and all(level == ledger for _loc, _lot, level, ledger in mismatched)

        zs = list(session.scalars(select(ZReport)))
        assert zs, "the history closes its days"
        assert all(first <= z.business_date <= last for z in zs)
        for z in zs:
            assert z.totals == day_totals(session, z.counter_id, z.business_date)

        for counter in session.scalars(select(Counter)):
            numbers = session.scalars(select(Sale.number).where(Sale.counter_id == counter.id)).all()
            if numbers:
                highest = max(int(str(n).rsplit("-", 1)[1]) for n in numbers)
                assert highest == counter.last_sale_number == len(numbers)

        for fund in session.scalars(select(SolidarityFund)):
            moved = session.execute(
                text("SELECT COALESCE(SUM(amount_cents), 0) FROM fund_movements WHERE fund_id = :f"), {"f": fund.id}
            ).scalar_one()
            assert fund.balance_cents == 15_000 + int(moved) >= 0
            # the demo's morning collection: the first spesa sospesa a visitor tries is covered
            assert fund.balance_cents >= FUND_AFTER_HISTORY_CENTS
        assert session.scalar(select(func.count()).select_from(ZReport)) == len(zs)
        counter_id = session.scalar(select(Counter.id).where(Counter.code == "PAL-1"))
        manager = session.scalar(select(User.id).where(User.role == Role.MANAGER))
    # PostgreSQL's id sequences were moved past the generated rows: the till can go on writing
    assert counter_id is not None and manager is not None
    giulia = selling.login(db, manager, "1111")  # the demo's PIN
    shift = selling.open_shift(db, counter_id, giulia, {1000: 5})
    assert shift.id > max(z.id for z in zs)
    # and a first sale paid by the spesa sospesa goes through, as a visitor would try it
    with db.read() as session:
        codes = session.scalars(
            select(Product.code)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Counter, Counter.location_id == StockLevel.location_id)
            .where(Counter.id == counter_id, StockLevel.quantity > 0, Product.active.is_(True))
            .order_by(Product.code)
        ).all()
    sale = selling.start_sale(db, counter_id, giulia)
    for code in codes:
        try:
            view = selling.add_item(db, sale.id, giulia, code)
            break
        except OrtoError:  # a lot past its date or held: the till would refuse it too
            continue
    else:
        pytest.fail("no product of the demo can be sold at PAL-1")
    assert 0 < view.total_cents < FUND_AFTER_HISTORY_CENTS
    done = selling.complete_sale(
        db, demo_settings(), sale.id, giulia, [PaymentInput(PaymentMethod.SOLIDARITY, view.total_cents, "SS-DEMO-1")]
    )
    assert done.sale.status is SaleStatus.COMPLETED


def test_the_history_writes_its_registers_in_the_interface_language(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Corrective actions, rejections, release notes and movement reasons read in Italian by default."""
    from orto import i18n
    from orto.models import (
        ApplianceReading,
        Batch,
        CashMovement,
        CriticalReading,
        DeliveryLine,
        StockMovement,
        WasteReason,
    )

    i18n.set_language("it")
    demo_with_history(db, monkeypatch)
    # waste movements store their reason's code, as the waste service does; screens translate codes
    codes = {reason.value for reason in WasteReason}
    english = {m.id for m in i18n.merged_catalog() if m.id and m.string and m.string != m.id} - codes
    italian = {m.string for m in i18n.merged_catalog() if m.id and m.string}
    with db.read() as session:
        texts = {
            "critical_readings": set(session.scalars(select(CriticalReading.corrective_action))),
            "appliance_readings": set(session.scalars(select(ApplianceReading.corrective_action))),
            "delivery_lines": set(session.scalars(select(DeliveryLine.reject_reason))),
            "batches": set(session.scalars(select(Batch.release_note))),
            "stock_movements": set(session.scalars(select(StockMovement.reason).distinct())),
            "cash_movements": set(session.scalars(select(CashMovement.reason).distinct())),
        }
    in_english = {table: sorted(t for t in found if t in english) for table, found in texts.items()}
    assert not any(in_english.values()), in_english
    # the registers that the history fills with free text hold the Italian sentences
    for table in ("critical_readings", "appliance_readings", "batches", "cash_movements"):
        assert texts[table] & italian, f"{table} has no translated text: {sorted(map(str, texts[table]))[:5]}"
    assert "Porta rimasta socchiusa: chiusa, merce controllata, rientrata nel limite entro un'ora" in texts[
        "appliance_readings"
    ]
