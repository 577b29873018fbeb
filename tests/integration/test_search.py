"""Search as the cashier types: accents, case, typos."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inventory.search import Hit, ProductIndex, fold, fold_all


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


@given(st.lists(st.text(max_size=30), max_size=20))
def test_folding_every_name_at_once_equals_folding_each(texts: list[str]) -> None:
    assert fold_all(texts) == [fold(text) for text in texts]


def test_a_typo_in_one_word_of_a_long_name_and_numbers_as_typed() -> None:
    names = [f"Formaggio stagionato {n}" for n in (1033, 33, 330)] + ["Confettura extra di albicocche 250 g"]
    index = ProductIndex([Hit(i, f"F{i}", n, 100, False) for i, n in enumerate(names)])
    assert index.search("confetura albicoche")[0].name.startswith("Confettura")
    # a number is never a typo: only names holding it; the one where it is a whole word first
    assert [h.name for h in index.search("formagio 33")] == [
        "Formaggio stagionato 33",
        "Formaggio stagionato 1033",
        "Formaggio stagionato 330",
    ]
    assert index.search("formagio 77") == []
    assert index.search("stagio 330")[0].name == "Formaggio stagionato 330"  # the start of a word


def test_many_names_found_by_any_word_in_name_order() -> None:
    names = [f"Prodotto {i:05d} {'bio' if i % 7 == 0 else 'km0'}" for i in range(3000)]
    index = ProductIndex([Hit(i, f"C{i}", n, 100, False) for i, n in enumerate(names)])
    hits = index.search("bio prodotto", limit=5)
    assert [h.name for h in hits] == [f"Prodotto {i:05d} bio" for i in (0, 7, 14, 21, 28)]
    assert len(index.search("km0", limit=50)) == 50


def test_words_run_together_or_cut_short_are_still_found() -> None:
    names = ["Pomodori ciliegini", "Olio extravergine di oliva 1 l", "Passata di pomodoro 700 g", "Pane casereccio"]
    index = ProductIndex([Hit(i, f"X{i}", n, 100, False) for i, n in enumerate(names)])
    assert index.search("pomodoriciliegini")[0].name == "Pomodori ciliegini"
    assert index.search("passatadipomodoro")[0].name == "Passata di pomodoro 700 g"
    assert index.search("olio evo")[0].name == "Olio extravergine di oliva 1 l"
    assert index.search("zzzqqq") == []
