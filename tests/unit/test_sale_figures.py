"""A sale's figures from its lines' terms: pos.selling.sales.figures, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orto.money import percent_of
from pos.selling.document import LineFigures, LineTerms, figures, sale_figures


def test_markdown_then_line_discount_then_the_sales_share() -> None:
    got = figures(
        [LineTerms(1000, 3000, None, None), LineTerms(500, None, 1000, None), LineTerms(300, None, None, 500)],
        1000,
        None,
    )
    # 1000 - 30 % = 700; 500 - 10 % = 450; 300 less at most its own 300 = 0; 10 % of 1150 = 115 spread
    assert got == [LineFigures(300, 70, 630), LineFigures(0, 95, 405), LineFigures(0, 300, 0)]


def test_a_sale_discount_in_cents_never_goes_below_zero() -> None:
    got = figures([LineTerms(200, None, None, None), LineTerms(100, None, None, None)], None, 1000)
    assert [f.total_cents for f in got] == [0, 0] and sum(f.discount_cents for f in got) == 300


line_terms = st.builds(
    LineTerms,
    st.integers(0, 500_000),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.one_of(st.none(), st.integers(0, 500_000)),
)


@given(
    lines=st.lists(line_terms, max_size=15),
    sale_bp=st.one_of(st.none(), st.integers(0, 10_000)),
    sale_cents=st.one_of(st.none(), st.integers(0, 1_000_000)),
)
def test_every_cent_is_accounted_for(lines: list[LineTerms], sale_bp: int | None, sale_cents: int | None) -> None:
    got = figures(lines, sale_bp, sale_cents)
    assert len(got) == len(lines)
    for terms, fig in zip(lines, got, strict=True):
        assert fig.total_cents >= 0
        assert fig.markdown_cents + fig.discount_cents + fig.total_cents == terms.gross_cents
        if terms.markdown_bp is not None:
            assert fig.markdown_cents == percent_of(terms.gross_cents, terms.markdown_bp)
    before_sale_discount = sum(
        t.gross_cents
        - f.markdown_cents
        - (
            percent_of(t.gross_cents - f.markdown_cents, t.line_discount_bp)
            if t.line_discount_bp
            else min(t.line_discount_cents or 0, t.gross_cents - f.markdown_cents)
        )
        for t, f in zip(lines, got, strict=True)
    )
    whole = percent_of(before_sale_discount, sale_bp) if sale_bp else min(sale_cents or 0, before_sale_discount)
    assert sum(f.total_cents for f in got) == before_sale_discount - whole


rated_terms = st.builds(
    LineTerms,
    st.integers(0, 500_000),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.one_of(st.none(), st.integers(0, 500_000)),
    st.sampled_from((0, 400, 500, 1000, 2200)),
)


@given(
    lines=st.lists(rated_terms, max_size=15),
    sale_bp=st.one_of(st.none(), st.integers(0, 10_000)),
    sale_cents=st.one_of(st.none(), st.integers(0, 1_000_000)),
    cards=st.integers(0, 50_000),
)
def test_the_sale_adds_up(lines: list[LineTerms], sale_bp: int | None, sale_cents: int | None, cards: int) -> None:
    got = sale_figures(lines, sale_bp, sale_cents, cards)
    assert got.lines == tuple(figures(lines, sale_bp, sale_cents))
    # the total is the lines' totals and the gift cards; the discount and markdown are the lines'
    assert got.total_cents == sum(f.total_cents for f in got.lines) + cards
    assert got.discount_cents == sum(f.discount_cents for f in got.lines)
    assert got.markdown_cents == sum(f.markdown_cents for f in got.lines)
    # VAT: per rate, taxable and tax make the rate's gross; the rates' gross make the goods' total
    for share in got.vat:
        assert share.taxable_cents + share.tax_cents == share.gross_cents
        assert share.gross_cents == sum(
            f.total_cents for t, f in zip(lines, got.lines, strict=True) if t.vat_rate_bp == share.rate_bp
        )
    assert sum(s.gross_cents for s in got.vat) == got.total_cents - cards
    assert len({s.rate_bp for s in got.vat}) == len(got.vat)


@given(
    grosses=st.lists(st.integers(0, 500_000), min_size=1, max_size=15),
    sale_cents=st.integers(0, 1_000_000),
)
def test_a_sale_discount_is_spread_to_the_cent(grosses: list[int], sale_cents: int) -> None:
    lines = [LineTerms(g, None, None, None, 1000) for g in grosses]
    got = sale_figures(lines, None, sale_cents)
    whole = min(sale_cents, sum(grosses))  # never more than the goods
    assert got.discount_cents == whole
    assert all(0 <= f.discount_cents <= g for f, g in zip(got.lines, grosses, strict=True))
    assert got.total_cents == sum(grosses) - whole
