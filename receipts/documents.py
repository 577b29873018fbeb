"""The documents Orto prints, laid out from snapshots (no database, no printer).

Every slip is titled "DOCUMENTO NON FISCALE": a plain thermal printer cannot issue the
documento commerciale (only a registratore telematico can), so our slips never call themselves
scontrino, ricevuta fiscale or documento commerciale. The title stays in Italian in every
interface language, because it is what it legally is; in English a translation follows it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from orto.allergens import Allergen
from orto.i18n import current_language, format_date, format_datetime
from orto.i18n import gettext as _
from orto.money import format_amount, format_kg, format_percent_bp
from receipts.food_label import emphasise, named_allergens
from receipts.layout import Barcode, Columns, Element, Feed, Layout, QRCode, Rule, Spans, Text

NON_FISCAL = "DOCUMENTO NON FISCALE"
FULL_DATE = "dd/MM/yyyy"  # labels carry the full year
WIDTHS = (32, 42, 48, 64)  # columns: 58 mm in font A / B, 80 mm in font A / B


def _money(cents: int) -> str:
    return format_amount(cents, current_language())


def _when(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def _header(company: dict[str, Any]) -> list[Element]:
    elements: list[Element] = [Text(company["name"], "center", bold=True)]
    if company.get("address"):
        elements.append(Text(company["address"], "center"))
    if company.get("vat_number"):
        elements.append(Text(_("VAT no. {number}").format(number=company["vat_number"]), "center"))
    if company.get("site_name"):
        elements.append(Text(f"{company['site_name']} - {company['site_address']}", "center"))
    return elements


def _vat_table(shares: list[dict[str, Any]], width: int) -> list[Element]:
    """Rate, taxable, tax, total: one row per rate, columns right-aligned under their heading."""
    headings = (_("VAT"), _("taxable"), _("tax"), _("total"))
    # 40 characters from 42 columns up; 32 on a 58 mm head in font A (amounts up to 99.999,99)
    a, b, c, d = (6, 14, 10, 10) if width >= 40 else (4, 10, 9, 9)
    rows = [f"{headings[0]:<{a}}{headings[1]:>{b}}{headings[2]:>{c}}{headings[3]:>{d}}"]
    for vat in shares:
        rate = format_percent_bp(vat["rate_bp"], current_language())
        taxable, tax, gross = (_money(vat[k]) for k in ("taxable_cents", "tax_cents", "gross_cents"))
        rows.append(f"{rate:<{a}}{taxable:>{b}}{tax:>{c}}{gross:>{d}}")
    return [Text(row) for row in rows]


def _title(text: str) -> list[Element]:
    elements: list[Element] = [Rule(), Text(text, "center", bold=True)]
    if current_language() != "it":
        elements.append(Text(_("(non-fiscal document)"), "center"))
    elements.append(Rule())
    return elements


def customer_slip(doc: dict[str, Any], width: int = 48) -> Layout:
    """The slip handed to the customer (or the refund slip, for ``kind == "refund"``)."""
    refund = doc["kind"] == "refund"
    elements = _header(doc["company"])
    elements += _title(_("REFUND") + " - " + NON_FISCAL if refund else NON_FISCAL)
    if refund and doc.get("original_number"):
        elements.append(Text(_("Refund of sale no. {number}").format(number=doc["original_number"])))
    fiscal = doc.get("fiscal")
    if fiscal:  # a copy of a sale the RT certified: its reference, so the copy points to the real one
        elements.append(
            Text(
                _("Documento commerciale {z}-{number} of {date}, RT {serial}").format(
                    z=f"{fiscal['z_number']:04d}",
                    number=f"{fiscal['doc_number']:04d}",
                    date=fiscal["date"],
                    serial=fiscal["serial"],
                )
            )
        )
    any_km0 = False
    for line in doc["lines"]:
        mark = " *km0" if line.get("km0") else ""
        any_km0 = any_km0 or bool(line.get("km0"))
        elements.append(
            Columns(
                line["description"] + mark,
                _money(line["total_cents"] + line["discount_cents"] + line["markdown_cents"]),
            )
        )
        if line["weighed"]:
            detail = _("{kg} kg x {price} €/kg").format(
                kg=format_kg(line["quantity"], current_language()), price=_money(line["unit_price_cents"])
            )
            elements.append(Text("  " + detail))
        elif line["quantity"] != 1:
            elements.append(Text(f"  {line['quantity']} x {_money(line['unit_price_cents'])}"))
        if line.get("take_away"):  # at the bar: sold at the shelf VAT rate (orto.vat_choice)
            elements.append(Text("  " + _("take-away")))
        # a sale's reductions are positive and printed taken off; a refund's are the sale's negated
        # (the refund gives back the price paid, less what was taken off then)
        if line["markdown_cents"]:
            elements.append(Columns("  " + _("near-expiry markdown"), _money(-line["markdown_cents"])))
        if line["discount_cents"]:
            elements.append(Columns("  " + _("discount"), _money(-line["discount_cents"])))
    for card in doc.get("gift_cards") or ():  # sold outside VAT: after the goods, never in the VAT table
        label = _("Gift card {code}") if card["kind"] == "new" else _("Gift card top-up {code}")
        elements.append(Columns(label.format(code=card["code"]), _money(card["amount_cents"])))
        elements.append(Text("  " + _("outside VAT (multi-purpose voucher)")))
        if card.get("balance_cents") is not None:
            elements.append(Columns("  " + _("new balance"), _money(card["balance_cents"])))
        if card.get("expires_on"):
            elements.append(
                Text("  " + _("valid until {day}").format(day=format_date(date.fromisoformat(card["expires_on"]))))
            )
    elements.append(Rule())
    elements.append(Columns(_("TOTAL EUR"), _money(doc["total_cents"]), bold=True, double=True))
    elements.append(Rule())
    elements += _vat_table(doc["vat"], width)
    elements.append(Rule())
    for payment in doc["payments"]:
        label = _(payment["method"])
        tendered = payment.get("tendered_cents")
        shown = tendered if payment["method"] == "cash" and tendered else payment["amount_cents"]
        elements.append(Columns(label, _money(shown)))
        if payment.get("card"):  # a gift card that paid: what it still holds
            elements.append(
                Columns(
                    "  " + _("card {code}, balance").format(code=payment["card"]),
                    _money(payment["card_balance_cents"]),
                )
            )
    if doc.get("change_cents"):
        elements.append(Columns(_("Change"), _money(doc["change_cents"]), bold=True))
    elements.append(Rule())
    if doc.get("customer_card"):
        elements.append(Text(_("Neighbourhood card: {card}").format(card=doc["customer_card"])))
    if any_km0:
        elements.append(Text(_("*km0: from a farm near this shop")))
    elements.append(Text(_("{counter} - operator {operator}").format(counter=doc["counter"], operator=doc["operator"])))
    elements.append(Columns(_when(doc["at"]), _("No. {number}").format(number=doc["number"])))
    elements.append(Barcode(doc["number"]))
    if doc["company"].get("footer"):
        elements.append(Text(doc["company"]["footer"], "center"))
    return Layout(tuple(elements), width)


def gift_card_slip(doc: dict[str, Any], width: int = 48) -> Layout:
    """A gift card's own slip (its code made by Orto): the gift, with the full code and its barcode."""
    elements = _header(doc["company"])
    elements += _title(NON_FISCAL)
    elements.append(Text(_("GIFT CARD"), "center", bold=True, double=True))
    elements.append(Text(_money(doc["amount_cents"]) + " EUR", "center", bold=True, double=True))
    code = doc["code"]  # GC and 12 digits in groups of four, to read and type (pos.selling.gift_cards)
    shown = f"{code[:2]} {code[2:6]} {code[6:10]} {code[10:]}" if len(code) == 14 and code[2:].isdigit() else code
    elements.append(Text(shown, "center", bold=True))
    elements.append(Barcode(doc["code"]))
    if doc.get("expires_on"):
        elements.append(
            Text(_("valid until {day}").format(day=format_date(date.fromisoformat(doc["expires_on"]))), "center")
        )
    elements.append(Text(_("Spend it at our shops: keep this slip, its code is the card."), "center"))
    elements.append(Columns(_when(doc["at"]), _("No. {number}").format(number=doc["number"])))
    return Layout(tuple(elements), width)


def kitchen_ticket(doc: dict[str, Any], width: int = 48) -> Layout:
    """The order ticket for the kitchen or the bar (comanda): large type, notes under the items."""
    elements: list[Element] = [
        Text(_("ORDER"), "center", bold=True, double=True),
        Text(doc["label"], "center", bold=True, double=True),
        Text(f"{doc['counter']} - {_when(doc['at'])}", "center"),
        Rule(),
    ]
    for line in doc["lines"]:
        elements.append(Text(f"{line['quantity']} x {line['description']}", bold=True, double=True))
        if line.get("note"):
            elements.append(Text("   >> " + line["note"], bold=True))
    elements.append(Rule())
    return Layout(tuple(elements), width)


def shift_report(doc: dict[str, Any], width: int = 48) -> Layout:
    """X (day so far) or Z (closed day) report of a counter, from its totals."""
    totals = doc["totals"]
    title = (
        _("Z REPORT no. {number}").format(number=doc["number"])
        if doc["kind"] == "z_report"
        else _("X REPORT (day so far)")
    )
    elements: list[Element] = [
        Text(title, "center", bold=True, double=True),
        Text(NON_FISCAL, "center"),
        Text(f"{doc['counter']} - {format_date(date.fromisoformat(totals['business_date']))}", "center"),
        Rule(),
    ]
    rows = [
        (_("Sales ({count})").format(count=totals["sales_count"]), totals["sales_cents"]),
        (_("Refunds ({count})").format(count=totals["refunds_count"]), -totals["refunds_cents"]),
        (_("Net total"), totals["net_cents"]),
    ]
    elements += [Columns(label, _money(cents)) for label, cents in rows]
    elements += [Rule(), *_vat_table(totals["vat"], width)]
    if totals.get("gift_cards_cents"):  # Z reports stored before 0011 have none
        elements.append(
            Columns(
                _("Gift cards ({count}), outside VAT").format(count=totals.get("gift_cards_count", 0)),
                _money(totals["gift_cards_cents"]),
            )
        )
    elements.append(Rule())
    elements += [Columns(_(method), _money(cents)) for method, cents in totals["payments"].items()]
    elements.append(Rule())
    elements += [Columns(category, _money(cents)) for category, cents in totals["categories"].items()]
    elements.append(Rule())
    elements += [
        Columns(_("Discounts"), _money(totals["discounts_cents"])),
        Columns(_("Near-expiry markdowns"), _money(totals["markdowns_cents"])),
        Columns(_("Cancelled sales"), str(totals["cancelled_count"])),
        Columns(
            _("Neighbourhood card sales ({count})").format(count=totals["social_tariff_count"]),
            _money(totals["social_tariff_cents"]),
        ),
        Columns(_("Spesa sospesa redeemed"), _money(totals["solidarity_redeemed_cents"])),
        Columns(_("Spesa sospesa donated"), _money(totals["solidarity_donated_cents"])),
        Columns(_("Cash in"), _money(totals["cash_in_cents"])),
        Columns(_("Cash out"), _money(totals["cash_out_cents"])),
    ]
    for shift in totals.get("shifts", []):
        if shift.get("counted_cash_cents") is not None:
            elements.append(
                Columns(
                    _("Shift {id}: counted / difference").format(id=shift["id"]),
                    f"{_money(shift['counted_cash_cents'])} / {_money(shift['difference_cents'])}",
                )
            )
    operators = totals.get("operators", [])  # Z reports stored before 0010 have none
    if operators:
        elements += [Rule(), Text(_("By operator"), bold=True)]
    for person in operators:
        elements.append(
            Columns(
                _("{name}: sales ({count})").format(name=person["name"], count=person["sales_count"]),
                _money(person["sales_cents"]),
            )
        )
        if person["refunds_cents"]:
            elements.append(Columns("  " + _("refunds"), _money(-person["refunds_cents"])))
        elements.append(Columns("  " + _("cash taken (net)"), _money(person["cash_cents"])))
        if person["cash_moved_cents"]:
            elements.append(Columns("  " + _("cash in / out"), _money(person["cash_moved_cents"])))
    return Layout(tuple(elements), width)


def emphasise_allergens(text: str) -> list[tuple[str, bool]]:
    """Split ingredient text into (part, is_allergen) so allergens can be printed in bold."""
    return emphasise(text)


USE_BY = "Da consumarsi entro il"
BEST_BEFORE = "Da consumarsi preferibilmente entro il"


def lot_label(doc: dict[str, Any], width: int = 48) -> Layout:
    """The label of a lab product's jar (Reg. EU 1169/2011), in Italian in every interface language.

    Allergens are bold inside the ingredient list (capitals in the plain-text preview); a product
    allergen no ingredient names follows the list as "Contiene"; cross-contact as "Può contenere".
    """
    elements: list[Element] = [Text(doc["name"], "center", bold=True, double=True)]
    parts = [(str(t), bool(b)) for t, b in doc.get("ingredient_parts") or emphasise(doc.get("ingredients") or "")]
    if parts:
        elements.append(Spans((("Ingredienti: ", False), *parts)))
    named = {a.value for a in named_allergens("".join(t for t, _b in parts))}
    contains = doc["contains"] if "contains" in doc else [a for a in doc.get("allergens", []) if a not in named]
    if contains:
        names = ", ".join(Allergen(a).italian for a in contains)
        elements.append(Spans((("Contiene: ", False), (names, True))))
    if doc.get("may_contain"):
        names = ", ".join(Allergen(a).italian for a in doc["may_contain"])
        elements.append(Spans((("Può contenere: ", False), (names, True))))
    if doc.get("net_quantity"):
        elements.append(Text(f"Quantità netta: {doc['net_quantity']}", bold=True))
    if doc.get("expiry"):
        phrase = USE_BY if doc["date_type"] == "use_by" else BEST_BEFORE
        elements.append(Text(f"{phrase} {format_date(date.fromisoformat(doc['expiry']), 'it', FULL_DATE)}", bold=True))
    elements.append(Text(f"Lotto: {doc['lot_code']}", bold=True))
    elements.append(Text(f"Prodotto il {format_date(date.fromisoformat(doc['produced_on']), 'it', FULL_DATE)}"))
    if doc.get("storage_note"):
        elements.append(Text(doc["storage_note"]))
    elements.append(Text(f"Prodotto da {doc['producer']}, {doc['producer_address']}"))
    elements.append(Barcode(doc["lot_code"]))
    return Layout(tuple(elements), width)


def test_page(printer_name: str, width: int = 48) -> Layout:
    return Layout(
        (
            Text(_("ORTO - PRINTER TEST"), "center", bold=True, double=True),
            Text(printer_name, "center"),
            Rule(),
            Text("àèéìòù ÀÈÉÌÒÙ € ç ñ ß"),
            Text(_("Euro sign: €  Total 12,34 €")),
            Text(_("Bold line"), bold=True),
            Columns(_("Left"), _("Right")),
            Rule("="),
            Barcode("ORTO-TEST-01"),
            QRCode("https://orto.example/test"),
            Feed(1),
            Text(_("If all of the above is readable, the printer is ready."), "center"),
        ),
        width,
    )


def layout_for(document: dict[str, Any], width: int = 48) -> Layout:
    """The layout of a print job's document, by its kind."""
    kind = document.get("kind")
    if kind in ("sale", "refund"):
        return customer_slip(document, width)
    if kind == "kitchen":
        return kitchen_ticket(document, width)
    if kind == "gift_card":
        return gift_card_slip(document, width)
    if kind in ("z_report", "x_report"):
        return shift_report(document, width)
    if kind == "label":
        return lot_label(document, width)
    if kind == "test":
        return test_page(document.get("printer", ""), width)
    raise ValueError(f"unknown document kind {kind!r}")
