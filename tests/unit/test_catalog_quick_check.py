"""The catalog import's quick row check against its detailed one (inventory.catalog_io._Checker):
on the same rows in the same order they accept the same rows with the same values and refuse the
same ones with the same problems, in the same order (line, then column), worded the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.catalog_io import COLUMNS, REQUIRED, _Checker
from inventory.tabular import Sheet
from orto.barcodes import with_check_digit

GOOD_EAN = with_check_digit("800000000001")
OTHER_EAN = with_check_digit("800000000002")
OWNED_EAN = with_check_digit("800000000003")  # already on product P9 in the database
BAD_EAN = GOOD_EAN[:-1] + str((int(GOOD_EAN[-1]) + 1) % 10)

# valid and invalid texts a person types into each column (a few, so rows repeat them as a
# catalog does and the quick path gets its cached texts)
CELLS: dict[str, list[str]] = {
    "code": [*(f"P{n}" for n in range(1, 31)), "", "C" * 33, "P\x00"],
    "name": ["Pane", "Latte fresco", "", "N\x07", "x" * 121],
    "category": ["", "Pane", " Pane ", "Frutta"],
    "unit": ["", "pz", "kg", "l", "KG", "Lt", "boh"],
    "sold_by_weight": ["", "si", "no", "forse"],
    "vat": ["4", "10", "22", "", "7", "10%", "0,22", "abc"],
    "onsite_vat": ["", "10", "22", "3"],
    "price": ["1,50", "0", "", "abc", "200000,00", "-1", "1.234,5", "3"],
    "cost": ["", "0,80", "x", "999999,99"],
    "barcodes": [
        "",
        *(with_check_digit(f"8000000001{n:02d}") for n in range(20)),
        f"{GOOD_EAN}|{OTHER_EAN}",
        f"{GOOD_EAN}|{GOOD_EAN}",
        OWNED_EAN,
        BAD_EAN,
        "ABC-1",
        "A B",
        f" {OTHER_EAN} |",
    ],
    "plu": ["", "1", "12", "99999", *(str(n) for n in range(100, 120)), "100000", "0", "-3", "1.234", "x", "\u0663"],
    "allergens": ["", "latte", "latte|uova", "boh", "glutine| latte"],
    "ingredients": ["", "farina, acqua", "a\nb", "a\x01b"],
    "shelf_life_days": ["", "1", "0", "3651", "30", "x"],
    "date_type": ["", "best_before", "use by", "boh", "TMC"],
    "storage_note": ["", "in frigo", "x\ty"],
    "storage_class": ["", "frigo", "AMBIENTE", "xyz"],
    "supplier": ["", "ACME", "acme", "Fattoria Rossi", "nessuno"],
    "reorder_level": ["", "5", "-1", "x", "1.000"],
    "kitchen_item": ["", "si", "no", "boh"],
    "active": ["", "si", "no", "boh"],
}
# how many of each column's texts, from the first, are accepted on their own (a code or
# barcode may still be refused as a repeat)
VALID = {
    "code": 30,
    "name": 2,
    "category": 4,
    "unit": 6,
    "sold_by_weight": 3,
    "vat": 3,
    "onsite_vat": 3,
    "price": 2,
    "cost": 2,
    "barcodes": 22,
    "plu": 24,
    "allergens": 3,
    "ingredients": 3,
    "shelf_life_days": 2,
    "date_type": 3,
    "storage_note": 3,
    "storage_class": 3,
    "supplier": 4,
    "reorder_level": 2,
    "kitchen_item": 3,
    "active": 3,
}
ACCEPTED = {f: texts[: VALID[f]] for f, texts in CELLS.items()}
REFUSED = {f: texts[VALID[f] :] or texts for f, texts in CELLS.items()}
OPTIONAL = [f for f, _it, _en in COLUMNS if f not in REQUIRED and f in CELLS]
ITALIAN = {f: it for f, it, _en in COLUMNS}


@st.composite
def sheets(draw: st.DrawFn) -> Sheet:
    fields = draw(st.permutations([*REQUIRED, *draw(st.lists(st.sampled_from(OPTIONAL), unique=True))]))
    rows = []
    for line in range(2, 2 + draw(st.integers(1, 25))):
        # mostly accepted texts (the quick check's ground), now and then a refused one
        cells = [draw(st.sampled_from(REFUSED[f] if draw(st.integers(0, 9)) == 9 else ACCEPTED[f])) for f in fields]
        if draw(st.integers(0, 9)) == 0:  # a short row: the cells after it are missing
            cells = cells[: draw(st.integers(0, len(cells)))]
        rows.append((line, cells))
    return Sheet([ITALIAN[f] for f in fields], rows, "plain")


def checked(sheet: Sheet, *, quick: bool) -> tuple[list[object], list[object], tuple[object, ...]]:
    checker = _Checker(
        sheet,
        suppliers={"acme": 1, "fattoria rossi": 2},
        db_barcodes={OWNED_EAN: "P9"},
        db_plus={12: "P9"},
    )
    checker.quick = quick
    results: list[object] = [checker.check(line, cells) for line, cells in sheet.rows]
    return results, list(checker.errors), (checker.seen_codes, checker.seen_barcodes, checker.seen_plus)


@settings(max_examples=250)  # a quick row with one refused cell is a rare draw (more: slower than the unit loop allows)
@given(sheets())
def test_the_quick_check_agrees_with_the_detailed_one(sheet: Sheet) -> None:
    assert checked(sheet, quick=True) == checked(sheet, quick=False)


def test_a_repeated_row_is_taken_by_the_quick_check_with_the_same_values() -> None:
    header = ["codice", "nome", "unita", "iva", "prezzo", "barcode", "allergeni", "plu", "tipo_scadenza"]
    rows = [
        (2, ["P1", "Pane", "kg", "10", "2,50", GOOD_EAN, "glutine", "5", "TMC"]),
        (3, ["P2", "Pane nero", "kg", "10", "2,50", OTHER_EAN, "glutine", "6", "TMC"]),
    ]
    sheet = Sheet(header, rows, "plain")
    quick = _Checker(sheet, suppliers={}, db_barcodes={}, db_plus={})
    calls: list[int] = []
    detailed = quick.check_detailed

    def counting(line: int, cells: list[str]) -> object:
        calls.append(line)
        return detailed(line, cells)

    quick.check_detailed = counting  # type: ignore[method-assign]
    got = [quick.check(line, cells) for line, cells in rows]
    assert calls == [2]  # the second row needed nothing new parsed
    assert got == checked(sheet, quick=False)[0]
