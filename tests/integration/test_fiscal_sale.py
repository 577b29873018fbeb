"""A sale at PAL-1 with the simulated RT on 127.0.0.1: one documento commerciale equal to the sale,
whatever the RT or the network does in between."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orto.db import Database
from orto.money import vat_breakdown
from receipts.fiscal.simulator import SimulatedRT
from tests.fiscal_shop import documents, done_when_sale, fiscal_shop, queue


@pytest.fixture
def rt() -> Iterator[SimulatedRT]:
    server = SimulatedRT(hang_s=2.0).start()
    yield server
    server.stop()


def test_one_document_equal_to_the_sale(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    result = done_when_sale(db, shop)
    sale = result.sale
    assert not result.print_job_ids  # the RT's document replaces the non-fiscal slip
    assert {line.vat_rate_bp for line in sale.lines} == {400, 1000, 2200}
    assert sale.markdown_cents > 0 and sale.discount_cents > 0
    assert queue(db, shop).run_once() == 1

    [issued] = rt.issued()
    assert issued.amount_cents == sale.total_cents
    by_rate: dict[int, int] = {}
    for line in sale.lines:
        by_rate[line.vat_rate_bp] = by_rate.get(line.vat_rate_bp, 0) + line.total_cents
    assert {rt.departments[d]: g for d, g in issued.departments.items()} == by_rate
    assert rt.vat(issued) == {s.rate_bp: (s.taxable_cents, s.tax_cents) for s in vat_breakdown(by_rate.items())}
    assert issued.payments == {2: 500, 0: sale.total_cents - 500}  # card, then cash net of the change

    [doc] = documents(db)
    assert (doc.status, doc.sale_id, doc.doc_number, doc.z_number) == ("issued", sale.id, 1, 1)
    assert doc.rt_serial == rt.serial and doc.rt_date == issued.date
    assert queue(db, shop).run_once() == 0 and len(rt.issued()) == 1  # never twice


@pytest.mark.parametrize("fault", ["drop_after", "timeout_after"])
def test_connection_lost_after_the_rt_issued_leaves_one_document(db: Database, rt: SimulatedRT, fault: str) -> None:
    shop = fiscal_shop(db, rt)
    rt.hang_s = 1.5  # longer than the client's 1 s time-out
    done_when_sale(db, shop)
    rt.faults.add(fault)
    worker = queue(db, shop)
    assert worker.run_once() == 0
    assert len(rt.issued()) == 1  # the RT issued it; Orto did not hear back
    [doc] = documents(db)
    assert doc.status == "pending" and doc.in_doubt and "cassa" in (doc.last_error or "")
    rt.faults.clear()
    assert worker.run_once() == 1
    assert len(rt.issued()) == 1  # asked first, not sent again
    [doc] = documents(db)
    assert (doc.status, doc.doc_number, doc.amount_cents) == ("issued", 1, rt.issued()[0].amount_cents)


def test_no_answer_before_issuing_sends_it_again_once(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    rt.hang_s = 1.5
    done_when_sale(db, shop)
    rt.faults.add("timeout_before")
    worker = queue(db, shop)
    assert worker.run_once() == 0 and rt.issued() == []
    rt.faults.clear()
    assert worker.run_once() == 1
    assert len(rt.issued()) == 1


def test_rt_down_at_the_sale_issues_later_in_order(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    rt.down()
    first = done_when_sale(db, shop).sale  # the sale commits: the till never waits for the RT
    second = done_when_sale(db, shop).sale
    worker = queue(db, shop)
    assert worker.run_once() == 0
    docs = documents(db)
    assert [d.status for d in docs] == ["pending", "pending"]
    assert "cassa" in (docs[0].last_error or "") and "unreachable" in (docs[0].last_error or "")
    assert worker.state("cassa").state == "offline" and worker.state("cassa").pending == 2
    rt.up()
    assert worker.run_once() == 2
    assert [d.amount_cents for d in rt.issued()] == [first.total_cents, second.total_cents]
    assert [d.doc_number for d in documents(db)] == [1, 2]


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("html", "not an RT's answer"),
        ("garbage", "not an RT's answer"),
        ("paper_out", "out of paper"),
        ("cover_open", "cover open"),
        ("refuse", "EPTR_REC_EMPTY"),
    ],
)
def test_bad_answers_name_the_printer_and_keep_the_document(
    db: Database, rt: SimulatedRT, fault: str, words: str
) -> None:
    shop = fiscal_shop(db, rt)
    done_when_sale(db, shop)
    rt.faults.add(fault)
    worker = queue(db, shop)
    assert worker.run_once() == 0
    [doc] = documents(db)
    assert doc.status == "pending" and "cassa" in (doc.last_error or "") and words in (doc.last_error or "")
    assert rt.issued() == []
    rt.faults.clear()
    assert worker.run_once() == 1 and len(rt.issued()) == 1


def test_wrong_port_names_the_printer(db: Database, rt: SimulatedRT) -> None:
    shop = fiscal_shop(db, rt)
    done_when_sale(db, shop)
    rt.stop()
    worker = queue(db, shop)
    assert worker.run_once() == 0
    [doc] = documents(db)
    assert f"cassa (127.0.0.1:{rt.port})" in (doc.last_error or "")
