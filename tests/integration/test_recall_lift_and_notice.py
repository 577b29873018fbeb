"""Lifting a recall on a raw lot says what is recalled through it and makes the manager decide:
lift those too, or keep them with a reason; the recall notice (A4 PDF) lists the lot, what was
made from it, what was sold per site and day, and the business customers to inform."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from inventory.recall_notice import notice_data
from inventory.recalls import derived_codes, lift_recall, open_recall
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed
from orto.models import Batch, BatchInput, Customer, Lot, Recall, Sale, SaleLine, StockMovement
from pos.cli.app import main_group
from tests import factories
from tests.reports_shop import demo_with_history


def _raw_lot_whose_product_sold(db: Database) -> tuple[str, str, int]:
    """A farm lot the lab used, whose output lot was sold: (raw code, output code, a sale id)."""
    with db.read() as session:
        row = session.execute(
            select(Lot.code, Batch.output_lot_id, SaleLine.sale_id)
            .join(BatchInput, BatchInput.lot_id == Lot.id)
            .join(Batch, Batch.id == BatchInput.batch_id)
            .join(
                StockMovement, (StockMovement.lot_id == Batch.output_lot_id) & (StockMovement.doc_type == "sale_line")
            )
            .join(SaleLine, SaleLine.id == StockMovement.doc_id)
            .order_by(Lot.id)
            .limit(1)
        ).one()
        output = session.scalar(select(Lot.code).where(Lot.id == row[1]))
    assert output is not None
    return row[0], output, int(row[2])


def test_lifting_a_raw_lot_decides_about_what_was_made_from_it(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_with_history(db, monkeypatch)
    raw, output, sale_id = _raw_lot_whose_product_sold(db)
    with db.write() as session:  # the jar went to a business customer (a catering client)
        customer = Customer(name="Asilo Nido Le Api", vat_number="IT01234567890", address="Via Capuana 3, Milano",
                            contact="cucina@leapi.example, 02 1234567")  # fmt: skip
        session.add(customer)
        session.flush()
        session.execute(update(Sale).where(Sale.id == sale_id).values(customer_id=customer.id))
    result = open_recall(db, raw, reason="Richiamo del produttore: Listeria", actor=factories.manager(db))
    assert raw in result.recalled and output in result.recalled
    assert output in derived_codes(db, raw)

    with pytest.raises(NotAllowed, match=output):  # it names what is recalled through it
        lift_recall(db, raw, actor=factories.manager(db), note="analisi negative")
    with pytest.raises(InvalidInput):
        lift_recall(db, raw, actor=factories.manager(db), with_derived=True, keep_derived_reason="x")

    # the notice, while the recall is open
    pdf = tmp_path / "richiamo.pdf"
    assert main_group(["--db", db.url, "recall", "notice", raw, "--out", str(pdf)]) == 0
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    data = notice_data(db, raw)
    assert raw in text and output in text and "Listeria" in text
    assert "Asilo Nido Le Api" in text and "cucina@leapi.example" in text
    assert data.sales and all(code in text for code, *_rest in data.sales)
    with db.read() as session:  # the quantities sold of the output lot, recomputed from the ledger
        output_id = session.scalar(select(Lot.id).where(Lot.code == output))
        sold = -int(
            session.scalar(
                select(func.sum(StockMovement.quantity)).where(
                    StockMovement.lot_id == output_id, StockMovement.doc_type == "sale_line"
                )
            )
            or 0
        )
    assert sum(q for code, _u, _s, _d, q in data.sales if code == output) == sold > 0

    # keep the products recalled, with the reason, from the command line (as the manager)
    factories.manager(db)  # "Responsabile", PIN 9191
    monkeypatch.setenv("ORTO_USER", "Responsabile")
    monkeypatch.setenv("ORTO_PIN", "9191")
    capsys.readouterr()
    code = main_group(["--db", db.url, "recall", "lift", raw, "--keep-derived"])
    assert code != 0
    code = main_group(["--db", db.url, "recall", "lift", raw, "--keep-derived", "--reason", "vasetti da analizzare"])
    out, err = capsys.readouterr()
    assert code == 0, err
    with db.read() as session:
        recalls = {
            c: (lifted is not None, kept)
            for c, lifted, kept in session.execute(
                select(Lot.code, Recall.lifted_at, Recall.kept_reason).join(Lot, Lot.id == Recall.lot_id)
            )
        }
    assert recalls[raw] == (True, None)
    assert recalls[output] == (False, "vasetti da analizzare")
    assert output in out
    # later the product is lifted on its own; nothing is deleted. What else the lab made from the
    # raw lot (how many batches used it depends on the demo's days) stays recalled, kept as decided
    lift_recall(db, output, actor=factories.manager(db), note="analisi negative")
    with db.read() as session:
        still_open = set(
            session.scalars(select(Lot.code).join(Recall, Recall.lot_id == Lot.id).where(Recall.lifted_at.is_(None)))
        )
        assert session.scalar(select(func.count()).select_from(Recall)) == len(result.recalled)
    assert still_open == set(result.recalled) - {raw, output}
    assert all(recalls[code] == (False, "vasetti da analizzare") for code in still_open)


def test_lift_with_derived_lifts_them_all(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_with_history(db, monkeypatch)
    raw, output, _sale = _raw_lot_whose_product_sold(db)
    open_recall(db, raw, reason="controllo", actor=factories.manager(db))
    result = lift_recall(db, raw, actor=factories.manager(db), with_derived=True)
    assert result.lifted[0] == raw and output in result.lifted and result.kept == ()
    assert derived_codes(db, raw) == []
