"""Which VAT rate a sale line carries: the shelf rate, or the on-site rate where it is served.

One pure rule, used wherever a line's rate is chosen (the scan path, a tab put on a sale, the
generated history): a product may have an on-site rate (``onsite_vat_rate_bp``: the bottle of
water is 22% on the shelf, 10% served at the bar). A line takes it only when the sale is served on
site (a bar counter's sale) and the line is not taken away; otherwise the shelf rate applies.
See docs/selling.md, "VAT".
"""

from __future__ import annotations


def line_rate(shelf_bp: int, onsite_bp: int | None, onsite_sale: bool, take_away_line: bool) -> int:
    """The line's VAT rate in basis points.

    >>> line_rate(2200, 1000, True, False)  # water served at the bar
    1000
    >>> line_rate(2200, 1000, True, True)  # the same bottle taken away
    2200
    >>> line_rate(2200, None, True, False)  # no on-site rate: always the shelf rate
    2200
    """
    if onsite_sale and not take_away_line and onsite_bp:  # 0 or None: the product has none
        return onsite_bp
    return shelf_bp


def take_away_matters(onsite_bp: int | None, onsite_sale: bool) -> bool:
    """Whether take-away changes this line's rate: a product with an on-site rate, sold on site."""
    return onsite_sale and bool(onsite_bp)


__all__ = ["line_rate", "take_away_matters"]
