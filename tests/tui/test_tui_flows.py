"""The real till, driven by Textual's Pilot; every flow is checked in the database, not only on screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from textual.pilot import Pilot

from orto.config import PrinterConfig
from orto.db import Database
from orto.models import (
    Category,
    Counter,
    PaymentMethod,
    PrintJob,
    PrintStatus,
    Product,
    Sale,
    SaleKind,
    SaleLine,
    SaleStatus,
    Shift,
    ShiftStatus,
)
from pos import selling
from pos.tui.app import OrtoTill
from pos.tui.cart import CartTable
from pos.tui.context import CounterInfo
from tests import factories
from tests.shop import CASHIER_PIN, MANAGER_PIN, Shop, build_shop
from tests.tui.workers import work_done

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _counter(db: Database, counter_id: int) -> CounterInfo:
    with db.read() as session:
        counter = session.get(Counter, counter_id)
        assert counter is not None
        return CounterInfo(
            counter.id, counter.code, counter.name, counter.kind, counter.site_id, counter.site.code, counter.site.name
        )


def _till(db: Database, shop: Shop) -> OrtoTill:
    settings = replace(shop.settings, printers={"banco": PrinterConfig("banco", "none")})
    return OrtoTill(db, settings, _counter(db, shop.counter), start_queue=False)


def _bar(db: Database, shop: Shop) -> CounterInfo:
    """The bar's counter (MON-1) as the till knows it."""
    return _counter(db, shop.bar)


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(4):
        await work_done(pilot)
        await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:  # type: ignore[type-arg]
    await pilot.press(*list(text))


async def login(pilot: Pilot, user_index: int = 1, pin: str = CASHIER_PIN) -> None:  # type: ignore[type-arg]
    await settle(pilot)
    for _ in range(user_index):
        await pilot.press("down")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def menu_entry(pilot: Pilot, key: str) -> None:  # type: ignore[type-arg]
    """Open the F12 menu and choose an entry by its key (its position depends on role and counter)."""
    await pilot.press("f12")
    await settle(pilot)
    entries = pilot.app.screen.entries  # type: ignore[attr-defined]
    for _ in range(next(i for i, e in enumerate(entries) if e.key == key)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def scan(pilot: Pilot, code: str) -> None:  # type: ignore[type-arg]
    await type_text(pilot, code)
    await pilot.press("enter")
    await settle(pilot)


def _open_sale(db: Database, shop: Shop) -> Sale:
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.counter, Sale.status == SaleStatus.OPEN))
        assert sale is not None
        _ = list(sale.lines)
        return sale


@pytest.fixture
def shop(db: Database) -> Shop:
    shop = build_shop(db)
    selling.open_shift(db, shop.counter, shop.cashier, {1000: 5})
    return shop


async def test_scan_weigh_scale_label_and_pay_split(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "8001234567897")  # jam, scanned
        await scan(pilot, "1,250*POM")  # tomatoes, weight typed before the code
        await scan(pilot, "2100101005008")  # tomatoes again, from a scale label: 500 g
        sale = _open_sale(db, shop)
        assert sorted((ln.description, ln.quantity) for ln in sale.lines) == [
            ("Confettura di albicocche", 1),
            ("Pomodori", 500),
            ("Pomodori", 1250),
        ]
        assert app.screen.query_one("#cart", CartTable).row_count == 3
        # 4,90 + 4,38 + 1,75 = 11,03: 5 € by card, then a 20 € note
        await pilot.press("f10")
        await settle(pilot)
        await type_text(pilot, "5")
        await pilot.press("f6")
        await pilot.press("f4")
        await settle(pilot)
    with db.read() as session:
        done = session.get(Sale, sale.id)
        assert done is not None and done.status is SaleStatus.COMPLETED and done.total_cents == 1103
        assert [(p.method, p.amount_cents, p.change_cents) for p in done.payments] == [
            (PaymentMethod.CARD, 500, 0),
            (PaymentMethod.CASH, 603, 1397),
        ]
        job = session.scalar(select(PrintJob).where(PrintJob.doc_id == sale.id))
        assert job is not None and job.open_drawer and job.document["total_cents"] == 1103


async def test_social_tariff_and_a_discount_needing_a_manager(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        await pilot.press("f9")
        await type_text(pilot, "T-0042")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await type_text(pilot, "25%")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PinPrompt"  # the approval comes over the sale screen
        await type_text(pilot, MANAGER_PIN)
        await pilot.press("enter")
        await settle(pilot)
    sale = _open_sale(db, shop)
    assert sale.customer_card == "T-0042"
    line = sale.lines[0]
    assert line.unit_price_cents == 441 and line.line_discount_bp == 2500 and line.total_cents == 331


@pytest.mark.parametrize(
    ("answer", "refunded_cents", "refunded_quantity"),
    [("1x1", -490, 1), ("", -980, 2)],  # one of the two jars; or Enter alone: everything
    ids=["one-line-part", "enter-for-everything"],
)
async def test_refund_by_the_slips_barcode_with_approval(
    db: Database, shop: Shop, answer: str, refunded_cents: int, refunded_quantity: int
) -> None:
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "JAM", quantity=2)
    done = selling.complete_sale(
        db, shop.settings, sale.id, shop.cashier, [selling.PaymentInput(PaymentMethod.CASH, 1000)]
    )
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("down", "enter")  # 2: Refund
        await settle(pilot)
        await scan(pilot, done.sale.number or "")  # the slip's barcode holds its number
        await scan(pilot, answer)
        await pilot.press("enter")  # the refund as shown: back to the methods paid with
        await settle(pilot)
        await scan(pilot, MANAGER_PIN)
    with db.read() as session:
        refund = session.scalar(select(Sale).where(Sale.kind == SaleKind.REFUND))
        assert refund is not None and refund.total_cents == refunded_cents
        assert refund.original_sale_id == done.sale.id
        assert [(ln.description, ln.quantity) for ln in refund.lines] == [
            ("Confettura di albicocche", refunded_quantity)
        ]


async def test_park_and_resume(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        parked_id = _open_sale(db, shop).id
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("enter")  # no name: parked all the same
        await settle(pilot)
        assert _open_sale(db, shop).id != parked_id
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("enter")  # 1: Parked sales
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    resumed = _open_sale(db, shop)
    assert resumed.id == parked_id and len(resumed.lines) == 1


async def test_a_restart_restores_the_cart(db: Database, shop: Shop) -> None:
    first = _till(db, shop)
    async with first.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        await scan(pilot, "2100101012501")
    # the process is gone; a new till on the same counter
    second = _till(db, shop)
    async with second.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        table = second.screen.query_one("#cart", CartTable)
        assert table.row_count == 2
    assert len(_open_sale(db, shop).lines) == 2


KILLED_TILL = """
import asyncio, os, sys
url, config, pin = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ["ORTO_CONFIG"] = config
sys.argv = ["orto", "--db", url, "--lang", "en"]
import pos.tui.app as tui

def run(self, **kwargs):
    async def cashier(pilot):
        app = pilot.app
        while not (type(app.screen).__name__ == "LoginScreen" and app.screen.users):
            await asyncio.sleep(0.01)
        await pilot.press("down", *pin, "enter")
        while not (type(app.screen).__name__ == "SaleScreen" and app.screen.sale is not None):
            await asyncio.sleep(0.01)
        for count, code in enumerate(("JAM", "2100101012501"), 1):
            await pilot.press(*code, "enter")
            while len(app.screen.sale.lines) < count:
                await asyncio.sleep(0.01)
        print("scanned", flush=True)
        await asyncio.sleep(600)  # the cashier walks away; the power goes
    return tui.App.run(self, headless=True, auto_pilot=cashier, size=(100, 32))

tui.OrtoTill.run = run
from pos.cli import main
main()
"""


async def test_a_till_killed_mid_sale_loses_no_scanned_item(db: Database, shop: Shop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import select as wait_for
    import signal
    import subprocess
    import sys

    config = tmp_path / "orto.toml"
    config.write_text('[till]\nsite = "PAL"\ncounter = "PAL-1"\nidle_lock_seconds = 0\n', encoding="utf-8")
    # the real `orto` (plain start, login drawn early), in its own process, killed with SIGKILL
    till = subprocess.Popen(
        [sys.executable, "-c", KILLED_TILL, db.url, str(config), CASHIER_PIN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert till.stdout is not None
        ready, _w, _x = wait_for.select([till.stdout], [], [], 60)
        said = till.stdout.readline().strip() if ready else ""
        if said != "scanned":
            till.kill()
            pytest.fail(f"the till did not scan: {till.communicate()[1][-2000:]}")
        till.send_signal(signal.SIGKILL)
        till.wait(timeout=10)
    finally:
        if till.poll() is None:
            till.kill()
    assert till.returncode == -signal.SIGKILL
    assert [line.description for line in _open_sale(db, shop).lines] == ["Confettura di albicocche", "Pomodori"]
    again = _till(db, shop)  # the next start at that counter finds the cart as it was
    async with again.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        assert again.screen.query_one("#cart", CartTable).row_count == 2


async def test_closing_the_shift_with_the_counted_cash(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await menu_entry(pilot, "close_shift")
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # to the 10,00 € field
        await type_text(pilot, "5")
        await pilot.press("f10")
        await settle(pilot)
    with db.read() as session:
        shift = session.scalar(select(Shift).where(Shift.counter_id == shop.counter))
        assert shift is not None and shift.status is ShiftStatus.CLOSED
        assert (shift.counted_cash_cents, shift.difference_cents) == (5000, 0)


async def test_unknown_code_adds_nothing_and_keeps_the_cart(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        await scan(pilot, "8001234567880")
        assert app.screen.query_one("#cart", CartTable).row_count == 1
    with db.read() as session:
        assert len(session.scalars(select(SaleLine)).all()) == 1


async def test_the_database_going_away_mid_sale_is_said_and_the_cart_stays(db: Database, shop: Shop) -> None:
    if db.dialect != "postgresql":
        pytest.skip("needs a database server to take away (PostgreSQL); an SQLite file does not go away")
    import psycopg

    from tests.engines import PG_URL

    server = make_url(PG_URL)
    name = db.engine.url.database
    admin = psycopg.connect(
        host=server.host, port=server.port or 5432, user=server.username, dbname=server.database, autocommit=True
    )
    app = _till(db, shop)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await login(pilot)
            await scan(pilot, "JAM")
            try:
                # the server refuses this database and drops the till's connections, as in a restart
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                await scan(pilot, "JAM")
                messages = [n.message for n in app._notifications]
                assert any("unreachable" in m for m in messages), messages
                assert app.screen.query_one("#cart", CartTable).row_count == 1  # the cart as it was
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await scan(pilot, "JAM")  # the server is back: the till goes on where it was
    finally:
        admin.close()
    with db.read() as session:
        lines = session.scalars(select(SaleLine)).all()
        assert sum(line.quantity for line in lines) == 2


async def test_a_printer_that_fails_is_said_the_slip_waits_and_prints_when_it_is_back(db: Database, shop: Shop) -> None:
    from tests.printer_server import PrinterServer

    server = PrinterServer().start()
    server.down()  # the port is known, nothing listens: the printer is switched off
    options = {"host": "127.0.0.1", "port": server.port, "timeout": 0.5, "width": 42}
    settings = replace(
        shop.settings,
        printers={"banco": PrinterConfig("banco", "network", options)},
        counter_printers={"PAL-1": {"receipt": "banco"}},
    )
    app = OrtoTill(db, settings, _till(db, shop).counter_info, start_queue=True)

    async def printer_is(state: str) -> None:
        for _ in range(300):
            if app.queue is not None and app.queue.state("banco").state == state:
                break
            await pilot.pause(0.05)
        app.screen._refresh_printer()  # type: ignore[attr-defined]  # what its 3 s timer does
        await settle(pilot)

    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await login(pilot)
            await scan(pilot, "JAM")
            await pilot.press("f10")
            await settle(pilot)
            await pilot.press("f1")  # exact cash: the sale completes, its slip is queued
            await settle(pilot)
            await printer_is("offline")
            titles = [n.title for n in app._notifications]
            assert "Printer banco: offline" in titles
            await scan(pilot, "JAM")  # selling goes on
            assert app.screen.query_one("#cart", CartTable).row_count == 1
            server.behave()  # switched on again: the queue's next try prints the slip
            assert len(server.received(1, timeout=15)) == 1
            await printer_is("ok")
            assert "Printer banco is back." in [n.message for n in app._notifications]
    finally:
        server.stop()
    with db.read() as session:
        job = session.scalar(select(PrintJob).where(PrintJob.doc_type == "receipt"))
        # kept through the failed tries, printed once the printer was back
        assert job is not None and job.status is PrintStatus.DONE and job.attempts >= 2


async def test_an_idle_till_locks_itself_and_keeps_the_sale(db: Database, shop: Shop) -> None:
    app = _till(db, shop)
    app.settings = replace(app.settings, idle_lock_seconds=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await scan(pilot, "JAM")
        screen = app.screen
        screen._last_activity -= 5  # type: ignore[attr-defined]  # as if nobody touched it for a while
        screen._lock_when_idle()  # type: ignore[attr-defined]
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
    assert len(_open_sale(db, shop).lines) == 1


async def test_a_payment_the_database_drops_leaves_the_sale_open_and_the_till_alive(
    db: Database, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a rule's refusal but a fault (the database gone mid-payment): the cashier is told, the
    payment screen stays, and paying again completes the sale once."""
    from pos.tui.screens.payment import PaymentScreen

    real = selling.complete_sale
    calls: list[int] = []

    def dropped(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("server closed the connection unexpectedly")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selling, "complete_sale", dropped)
    app = _till(db, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await scan(pilot, "8001234567897")
        sale = _open_sale(db, shop)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f1")  # exact cash: the first try meets the fault
        await settle(pilot)
        assert isinstance(app.screen, PaymentScreen) and not app.screen.busy
        shown = [str(n.message) for n in app._notifications]
        assert any("server closed the connection" in m for m in shown), shown
        with db.read() as session:
            still = session.get(Sale, sale.id)
            assert still is not None and still.status is SaleStatus.OPEN and not still.payments
        await pilot.press("f1")  # again: it goes through
        await settle(pilot)
        assert not isinstance(app.screen, PaymentScreen)
    with db.read() as session:
        done = session.get(Sale, sale.id)
        assert done is not None and done.status is SaleStatus.COMPLETED and len(done.payments) == 1


async def test_bar_tab_round_kitchen_and_pay(db: Database, shop: Shop) -> None:
    selling.open_shift(db, shop.bar, shop.cashier, {})
    info = _bar(db, shop)
    app = OrtoTill(db, _till(db, shop).settings, info, start_queue=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot)  # the sale screen loads the search index the tab screen uses
        await pilot.press("f12")
        await settle(pilot)
        entries = app.screen.entries  # type: ignore[attr-defined]
        for _ in range(next(i for i, e in enumerate(entries) if e.key == "tabs")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "Tavolo 4")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "2*acqua, toast")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("p")  # the tab's lines go to the sale, then the payment screen opens
        await settle(pilot)
        await pilot.press("f6")  # card for the whole amount
        await settle(pilot)
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.bar, Sale.status == SaleStatus.COMPLETED))
        assert sale is not None and sale.total_cents == 2 * 100 + 400
        assert sorted((ln.description, ln.quantity, ln.vat_rate_bp) for ln in sale.lines) == [
            ("Acqua 0,5 l", 2, 1000),
            ("Toast", 1, 1000),
        ]  # served at the bar: the on-site rate
        kitchen = session.scalar(select(PrintJob).where(PrintJob.doc_type == "kitchen"))
        assert kitchen is not None and kitchen.document["label"] == "Tavolo 4"


async def test_first_run_wizard_sets_up_the_terminal(db: Database, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "orto.toml"
    monkeypatch.setenv("ORTO_CONFIG", str(config))
    from orto.config import load_settings
    from orto.models import Role, User

    app = OrtoTill(db, load_settings(database_url=db.url), None, start_queue=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # the third counter: PAL-1, the emporio
        await type_text(pilot, "Giulia")
        await pilot.press("enter")
        await type_text(pilot, "1357")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
    assert 'counter = "PAL-1"' in config.read_text(encoding="utf-8")
    with db.read() as session:
        manager = session.scalar(select(User))
        assert manager is not None and (manager.name, manager.role) == ("Giulia", Role.MANAGER)
        assert session.scalar(select(Counter).where(Counter.code == "PAL-1")) is not None


async def test_stock_lookup_shows_lots_at_every_site(db: Database, shop: Shop) -> None:
    from inventory import transfers
    from inventory.recalls import open_recall
    from orto.models import Lot
    from pos.tui.dialogs import TextPreview

    transfers.receive_transfer(
        db,
        transfers.send_transfer(
            db,
            from_location_id=shop.location,
            to_location_id=shop.bar_location,
            items=[transfers.TransferItem(shop.jam_lot, 4)],
            actor=shop.manager,
        ),
        actor=shop.manager,
    )
    with db.read() as session:
        code = session.get(Lot, shop.jam_lot).code  # type: ignore[union-attr]
    open_recall(db, code, reason="vetro", actor=shop.manager)
    app = _till(db, shop)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot)
        await menu_entry(pilot, "stock")
        await type_text(pilot, "JAM")
        await pilot.press("enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, TextPreview)
        lines = preview.text.splitlines()
    assert any(line.startswith("MON") and code in line and line.rstrip().endswith("4 pz") for line in lines)
    assert any(line.startswith("PAL") and code in line and line.rstrip().endswith("26 pz") for line in lines)
    assert sum("recalled: vetro" in line for line in lines) == 2


async def test_bar_tab_split_evenly_takes_each_share_in_turn(db: Database, shop: Shop) -> None:
    from orto.models import Payment

    selling.open_shift(db, shop.bar, shop.cashier, {})
    tab = selling.open_tab(db, shop.bar, shop.cashier, "Tavolo 7")
    selling.add_round(db, tab.id, shop.cashier, [(shop.water, 3, None), (shop.toast, 1, None)])  # 3,00 + 4,00 €
    info = _bar(db, shop)
    app = OrtoTill(db, _till(db, shop).settings, info, start_queue=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot)
        await menu_entry(pilot, "tabs")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+a", "backspace")
        await type_text(pilot, "3")
        await pilot.press("enter")
        await settle(pilot)
        assert "Share 1 of 3: 2.34" in str(app.screen.query_one("#share").render())
        await pilot.press("f6")  # card: the first share
        await settle(pilot)
        await pilot.press("f6")  # card: the second
        await settle(pilot)
        await pilot.press("enter")  # cash: what is left
        await settle(pilot)
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.bar, Sale.status == SaleStatus.COMPLETED))
        assert sale is not None and sale.total_cents == 700
        payments = session.scalars(select(Payment).where(Payment.sale_id == sale.id).order_by(Payment.id)).all()
        assert [(p.method, p.amount_cents) for p in payments] == [
            (PaymentMethod.CARD, 234),
            (PaymentMethod.CARD, 233),
            (PaymentMethod.CASH, 233),
        ]


async def test_bar_quick_keys_by_group_in_catalog_order_with_the_keyboard(db: Database, shop: Shop) -> None:
    from textual.widgets import Label

    with db.write() as session:
        # the food group's category comes first in the catalog, though "bevande" sorts before "cibo"
        food = Category(name="Bar - cibo", quick_key_group="cibo")
        drinks = Category(name="Bar - bevande", quick_key_group="bevande")
        session.add_all([food, drinks])
        session.flush()
        for product_id, category in ((shop.toast, food), (shop.water, drinks)):
            product = session.get(Product, product_id)
            assert product is not None
            product.category_id = category.id
    selling.open_shift(db, shop.bar, shop.cashier, {})
    info = _bar(db, shop)
    app = OrtoTill(db, _till(db, shop).settings, info, start_queue=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        groups = [str(label.render()) for label in app.screen.query(".quick-group").results(Label)]
        assert groups == ["CIBO", "BEVANDE"]
        await pilot.press("tab")  # from the entry straight to the first key
        assert app.focused is not None and str(app.focused.id) == f"q{shop.toast}"
        await pilot.press("down", "enter")  # the next key: the water
        await settle(pilot)
        assert app.focused is app.screen.query_one("#entry")  # back to the input after a key
        # a scan while a key has the focus goes to the input: the toast's code, not the focused water
        await pilot.press("tab", "down")
        assert app.focused is not None and str(app.focused.id) == f"q{shop.water}"
        await scan(pilot, "TST")
        assert app.focused is app.screen.query_one("#entry")
    with db.read() as session:
        sale = session.scalar(select(Sale).where(Sale.counter_id == shop.bar, Sale.status == SaleStatus.OPEN))
        assert sale is not None
        assert [(ln.description, ln.quantity) for ln in sale.lines] == [("Acqua 0,5 l", 1), ("Toast", 1)]
    # on a wide terminal the keys are in two columns: ↓ goes to the key below, → to the one beside
    with db.write() as session:
        cornetto = factories.product(session, "Cornetto", code="CRN", price_cents=120, vat_rate_bp=1000)
        cornetto.category_id = food.id
        cornetto_id = cornetto.id
    wide = OrtoTill(db, _till(db, shop).settings, info, start_queue=False)

    def focused() -> str:
        return str(wide.focused.id if wide.focused else "")

    async with wide.run_test(size=(130, 40)) as pilot:
        await login(pilot)
        await pilot.press("tab")  # CIBO: Cornetto | Toast, then BEVANDE: Acqua
        assert focused() == f"q{cornetto_id}"
        await pilot.press("right")
        assert focused() == f"q{shop.toast}"
        await pilot.press("down")  # below the toast's column there is only the water's row
        assert focused() == f"q{shop.water}"
        await pilot.press("up")
        assert focused() == f"q{cornetto_id}"
        await pilot.press("down")
        assert focused() == f"q{shop.water}"


async def test_a_slip_the_printer_did_not_confirm_is_asked_about_and_printed_again_as_a_copy(
    db: Database, shop: Shop
) -> None:
    from receipts.escpos_render import decode_text
    from tests.printer_server import PrinterServer

    server = PrinterServer(mode="mute").start()  # takes the bytes, never answers the status query
    options = {"host": "127.0.0.1", "port": server.port, "timeout": 0.5, "width": 42}
    settings = replace(
        shop.settings,
        printers={"banco": PrinterConfig("banco", "network", options)},
        counter_printers={"PAL-1": {"receipt": "banco"}},
    )
    app = OrtoTill(db, settings, _till(db, shop).counter_info, start_queue=True)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await login(pilot)
            await scan(pilot, "JAM")
            await pilot.press("f10")
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
            for _ in range(300):
                if app.queue is not None and app.queue.state("banco").state == "unconfirmed":
                    break
                await pilot.pause(0.05)
            assert len(server.received(1)) == 1
            app.screen._refresh_printer()  # type: ignore[attr-defined]  # what its 3 s timer does
            await settle(pilot)
            assert type(app.screen).__name__ == "Choice"
            assert "Did it print?" in str(app.screen.choice_title)  # type: ignore[attr-defined]
            server.behave()
            await pilot.press("down", "enter")  # "No: print it again"
            await settle(pilot)
            assert type(app.screen).__name__ == "SaleScreen"
            jobs = server.received(2, timeout=15)
            assert len(jobs) == 2
            assert decode_text(jobs[1]).lstrip().startswith("*** COPY ***")
    finally:
        server.stop()
    with db.read() as session:
        statuses = [j.status for j in session.scalars(select(PrintJob).order_by(PrintJob.id))]
    assert statuses == [PrintStatus.FAILED, PrintStatus.DONE]
