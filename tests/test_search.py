"""Search as the cashier types: accents, case, typos."""

from __future__ import annotations

from inventory.search import Hit, ProductIndex, fold


def _index() -> ProductIndex:
    names = [
        "Caffè espresso",
        "Caffè macchiato",
        "Pomodori cuore di bue",
        "Pomodori ciliegini",
        "Confettura extra di albicocche 250 g",
        "Cappuccino",
        "Pane casereccio",
    ]
    return ProductIndex([Hit(i, f"P{i}", n, 100, False) for i, n in enumerate(names)])


def test_fold_drops_accents_and_case() -> None:
    assert fold("  Caffè  MACINATO ") == "caffe macinato"


def test_caffe_finds_caffe_with_its_accent() -> None:
    assert [h.name for h in _index().search("caffe")][:2] == ["Caffè espresso", "Caffè macchiato"]


def test_words_in_any_order_and_typos() -> None:
    index = _index()
    assert index.search("albicocche confettura")[0].name.startswith("Confettura")
    assert index.search("pomodri")[0].name.startswith("Pomodori")
    assert index.search("capucino")[0].name == "Cappuccino"


def test_an_exact_code_comes_first() -> None:
    assert _index().search("p6")[0].name == "Pane casereccio"
