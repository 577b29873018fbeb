"""Resi, annulli, sales the RT cannot express, the department map, the RT's Z beside Orto's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from orto.config import PrinterConfig
from orto.db import Database
from orto.errors import ConfigError, InvalidInput, NotAllowed
from orto.models import AuditEntry, FiscalClosure, PaymentMethod, Product, SaleLine
from pos import selling
from pos.selling import PaymentInput, RefundLine
from pos.selling.fiscal import fiscal_x, fiscal_z, set_lottery_code
from receipts.fiscal.rules import check_rates, departments, description
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import documents, done_when_sale, fiscal_shop, queue
from tests.shop import MANAGER_PIN


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT(hang_s=1.5).start()
    yield server
    server.stop()


def _issued_sale(db: Database, rt: SimulatedRT):  # type: ignore[no-untyped-def]
    shop = fiscal_shop(db, rt)
    result = done_when_sale(db, shop)
    assert queue(db, shop).run_once() == 1
    return shop, result.sale


def test_a_refund_issues_a_reso_referencing_the_document(db: Database, rt: SimulatedRT) -> None:
    shop, sale = _issued_sale(db, rt)
    with db.read() as session:
        jam = session.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id, SaleLine.product_id == shop.jam))
    assert jam is not None
    back = selling.refund(
        db,
        shop.settings,
        sale.number or "",
        shop.counter,
        shop.cashier,
        lines=[RefundLine(jam, 1)],
        approver_pin=MANAGER_PIN,
    )
    assert queue(db, shop).run_once() == 1
    original, reso = documents(db)
    assert (reso.kind, reso.sale_id, reso.refers_to_id, reso.status) == ("refund", back.sale.id, original.id, "issued")
    [issued] = rt.issued("refund")
    expected = f"REFUND {original.z_number:04d} {original.doc_number:04d} {original.rt_date} {rt.serial}"
    assert issued.reference == expected
    assert issued.amount_cents == -back.sale.total_cents and issued.departments == {2: back.sale.total_cents}
    assert f'<printRecMessage operator="1" messageType="4" message="{expected}"'.encode() in rt.requests[-1]


def test_a_refund_waiting_for_its_original_is_issued_after_it(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    rt.down()
    sale = done_when_sale(db, shop).sale
    selling.refund(db, shop.settings, sale.number or "", shop.counter, shop.manager)
    assert queue(db, shop).run_once() == 0
    rt.up()
    assert queue(db, shop).run_once() == 2
    assert [d.kind for d in rt.issued()] == ["sale", "refund"]


def test_an_annullo_voids_the_document_issued_by_mistake(db: Database, rt: SimulatedRT) -> None:
    shop, sale = _issued_sale(db, rt)
    selling.refund(db, shop.settings, sale.number or "", shop.counter, shop.manager, void=True)
    assert queue(db, shop).run_once() == 1
    original, annullo = documents(db)
    assert annullo.kind == "void" and annullo.status == "issued" and annullo.refers_to_id == original.id
    assert rt.issued()[0].voided and rt.issued("void")[0].reference.startswith("VOID ")
    with pytest.raises(NotAllowed):  # never twice
        selling.refund(db, shop.settings, sale.number or "", shop.counter, shop.manager, void=True)


def test_no_annullo_after_the_rts_z(db: Database, rt: SimulatedRT) -> None:
    shop, sale = _issued_sale(db, rt)
    manager = shop.manager
    fiscal_z(db, shop.settings, shop.counter, manager)
    with pytest.raises(NotAllowed, match="reso"):
        selling.refund(db, shop.settings, sale.number or "", shop.counter, shop.manager, void=True)
    assert len(documents(db)) == 1  # nothing written


def _open_sale_with_jam(db: Database, shop) -> int:  # type: ignore[no-untyped-def]
    sale = selling.start_sale(db, shop.counter, shop.cashier)
    selling.add_item(db, sale.id, shop.cashier, "8001234567897")
    return sale.id


def test_a_rate_without_department_is_refused_before_commit(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    config = shop.settings.printers["cassa"]
    printers = dict(shop.settings.printers)
    printers["cassa"] = PrinterConfig("cassa", "epson-rt", {**config.options, "departments": {"4": 1, "22": 3}})
    shop.settings = replace(shop.settings, printers=printers)
    sale_id = _open_sale_with_jam(db, shop)
    with pytest.raises(InvalidInput, match="10 %"):
        selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 500)])
    assert selling.get_sale(db, sale_id).status.value == "open" and documents(db) == []


def test_a_description_of_symbols_only_is_refused_before_commit(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    sale_id = _open_sale_with_jam(db, shop)
    with db.write() as session:
        session.execute(update(SaleLine).where(SaleLine.sale_id == sale_id).values(description="★★★ ☕"))
    with pytest.raises(InvalidInput, match="no letters or digits"):
        selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [PaymentInput(PaymentMethod.CASH, 500)])
    assert selling.get_sale(db, sale_id).status.value == "open"


def test_a_zero_total_is_refused_before_commit(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    sale_id = _open_sale_with_jam(db, shop)
    with db.write() as session:
        session.execute(update(Product).where(Product.id == shop.jam).values(price_cents=0))
        session.execute(update(SaleLine).where(SaleLine.sale_id == sale_id).values(unit_price_cents=0))
    with pytest.raises(InvalidInput):
        selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [])
    assert documents(db) == []


def test_descriptions_are_cut_to_what_the_rt_accepts() -> None:
    assert description("Caffè «Moka» d'Orzo biologico della Valle, confezione da 250 g") == (
        "Caffe Moka d'Orzo biologico della Vall"
    )
    assert len(description("x" * 80)) == 38


def test_the_department_map_refuses_a_rate_named_twice_or_a_shared_department() -> None:
    assert departments("cassa", {"4": 1, "10": 2, "22": 3, "5": 4}) == {400: 1, 1000: 2, 2200: 3, 500: 4}
    with pytest.raises(ConfigError, match=r"4\.0 % is named twice"):
        departments("cassa", {"4": 1, "4.0": 2})
    with pytest.raises(ConfigError, match="department 1"):
        departments("cassa", {"4": 1, "10": 1})
    with pytest.raises(ConfigError, match="VAT 5 % of the catalog"):
        check_rates("cassa", {400: 1, 1000: 2}, [400, 500, 1000])


def test_the_lottery_code_reaches_the_rt(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    sale_id = _open_sale_with_jam(db, shop)
    cashier = shop.cashier
    with pytest.raises(InvalidInput, match="8 letters or digits"):
        set_lottery_code(db, sale_id, cashier, "ABC-123")
    set_lottery_code(db, sale_id, cashier, "ab12cd34")
    selling.complete_sale(db, shop.settings, sale_id, shop.cashier, [PaymentInput(PaymentMethod.CARD, 490)])
    assert queue(db, shop).run_once() == 1
    assert rt.issued()[0].lottery_code == "AB12CD34"


def test_the_rts_z_equals_orto_and_is_stored(db: Database, rt: SimulatedRT) -> None:
    shop, sale = _issued_sale(db, rt)
    x = fiscal_x(db, shop.settings, shop.counter)
    assert x.equal and x.closure_id is None and rt.z_number == 1
    manager = shop.manager
    z = fiscal_z(db, shop.settings, shop.counter, manager)
    assert z.equal and z.z_number == 1 and rt.z_number == 2
    assert z.rt["total"] == z.orto["total"] == sale.total_cents
    assert set(z.rt["vat"]) == {"400", "1000", "2200"}
    with db.read() as session:
        stored = session.scalars(select(FiscalClosure)).one()
        assert (stored.z_number, stored.differences, stored.rt_serial) == (1, {}, rt.serial)


def test_a_difference_between_rt_and_orto_is_shown_and_stored(db: Database, rt: SimulatedRT) -> None:
    shop, _sale = _issued_sale(db, rt)
    rt.documents[0].departments[2] += 100  # something rung on the RT's keypad, say
    manager = shop.manager
    z = fiscal_z(db, shop.settings, shop.counter, manager)
    assert z.differences == {"vat:1000": 100, "total": 100}
    with db.read() as session:
        assert session.scalars(select(FiscalClosure)).one().differences == {"vat:1000": 100, "total": 100}


def test_the_z_waits_for_documents_still_to_issue(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    done_when_sale(db, shop)
    rt.faults.add("paper_out")
    manager = shop.manager
    with pytest.raises(NotAllowed, match="still wait"):
        fiscal_z(db, shop.settings, shop.counter, manager)
    assert rt.closures == []
    cashier = shop.cashier
    rt.faults.clear()
    with pytest.raises(NotAllowed):
        fiscal_z(db, shop.settings, shop.counter, cashier)
    assert rt.closures == []


def test_a_catalog_rate_without_department_is_a_configuration_error_at_start(db: Database, rt: SimulatedRT) -> None:
    from receipts.fiscal.jobs import check_catalog
    from receipts.fiscal.queue import FiscalQueue

    shop = fiscal_shop(db, rt)
    config = shop.settings.printers["cassa"]
    printers = dict(shop.settings.printers)
    printers["cassa"] = PrinterConfig("cassa", "epson-rt", {**config.options, "departments": {"4": 1, "10": 2}})
    shop.settings = replace(shop.settings, printers=printers)
    with db.read() as session, pytest.raises(ConfigError, match="VAT 22 % of the catalog"):
        check_catalog(session, shop.settings)
    worker = FiscalQueue(db, shop.settings)
    assert "22 %" in (worker.check() or "")
    assert worker.state("cassa").state == "error"


def test_a_copy_carries_the_rts_reference_and_never_reaches_the_rt(db: Database, rt: SimulatedRT) -> None:
    from orto.models import PrintJob
    from receipts.documents import customer_slip
    from receipts.fiscal.copies import queue_copy
    from receipts.layout import Text
    from receipts.queue import reprint

    shop, sale = _issued_sale(db, rt)
    job_id = queue_copy(db, shop.settings, shop.cashier, sale.id, "PAL-1")
    again = reprint(db, job_id, actor=shop.manager)
    [original] = documents(db)
    with db.read() as session:
        for jid in (job_id, again):
            job = session.get(PrintJob, jid)
            assert job is not None and job.printer == "banco"
            texts = [e.text for e in customer_slip(job.document).elements if isinstance(e, Text)]
            assert f"Documento commerciale 0001-0001 of {original.rt_date}, RT {rt.serial}" in texts
    assert len(rt.issued()) == 1
    with db.read() as session:
        who = session.scalar(select(AuditEntry.user_id).where(AuditEntry.action == "fiscal_copy"))
    assert who == shop.cashier.id  # in the audit log, as every reprint
