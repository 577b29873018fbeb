"""The A4 documents of catering: the quote with the allergen matrix of every dish (Reg. 1169/2011
art. 44 applies to food served), the delivery note (DDT) with lots and allergens, and the invoice's
courtesy copy — read from the very XML that was validated, so it can show nothing else."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from catering.delivery import dish_allergens
from catering.orders import portions
from orto.allergens import Allergen
from orto.config import Settings
from orto.db import Database
from orto.errors import NotFound
from orto.i18n import current_language, format_date, format_datetime
from orto.i18n import gettext as _
from orto.models import CateringOrder, Customer, DeliveryNote, Invoice, Lot, Product, Site
from orto.money import format_amount, format_percent_bp, format_quantity

Target = Path | BytesIO


def _company(settings: Settings | None) -> str:
    return str((settings.company if settings else {}).get("name", "Fuori e Dentro"))


def _address(customer: Customer) -> list[str]:
    town = " ".join(
        x for x in (customer.postcode, customer.town, f"({customer.province})" if customer.province else "") if x
    )
    ids = []
    if customer.vat_number:
        ids.append(_("VAT number {vat}").format(vat=customer.vat_number))
    if customer.fiscal_code:
        ids.append(_("Tax code {code}").format(code=customer.fiscal_code))
    return [customer.name, customer.address, town, *ids]


def _para(lines: list[str], style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph("<br/>".join(x for x in lines if x), style)


def _matrix(rows: list[tuple[str, frozenset[Allergen]]]) -> Any:
    """One row per dish, one column per allergen (numbered as in Annex II, legend below)."""
    from reportlab.lib.units import mm

    from orto.pdf import table

    header = [_("Dish")] + [str(int(a)) for a in Allergen]
    body = [header] + [[name] + ["●" if a in found else "" for a in Allergen] for name, found in rows]
    return table(body, [54 * mm] + [9 * mm] * len(Allergen))


def _legend(style: Any) -> Any:
    from reportlab.platypus import Paragraph

    language = current_language()
    return Paragraph(" · ".join(f"{int(a)} {a.label(language)}" for a in Allergen), style)


def quote_pdf(db: Database, settings: Settings | None, order_id: int, target: Target) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.pdf import build_pdf, styles, table

    language = current_language()
    with db.read() as session:
        order = session.get(CateringOrder, order_id)
        if order is None:
            raise NotFound(_("no catering order {id}").format(id=order_id))
        customer = session.get(Customer, order.customer_id)
        site = session.get(Site, order.site_id)
        assert customer is not None and site is not None
        s = styles()
        lines = [[_("Dish"), _("Portions"), _("Price (€)"), _("VAT"), _("Amount (€)")]]
        allergens = []
        for line in order.lines:
            n = portions(line, order.guests)
            per = _("{q} per guest").format(q=line.quantity) if line.per_person else _("in total")
            lines.append(
                [
                    Paragraph(f"{line.description} ({per})", s["cell"]),
                    str(n),
                    format_amount(line.unit_price_cents, language),
                    format_percent_bp(line.vat_rate_bp, language),
                    format_amount(line.total_cents, language),
                ]
            )
            allergens.append((line.description, dish_allergens(session, line.product_id, line.recipe_id)))
        lines.append([_("Total, VAT included"), "", "", "", format_amount(order.total_cents, language)])
        title = (_("Quote {number}") if order.status == "quote" else _("Order {number}")).format(number=order.number)
        story = [
            Paragraph(title, s["title"]),
            table(
                [
                    [_("Customer"), _("Event")],
                    [
                        _para(_address(customer), s["cell"]),
                        _para(
                            [
                                format_datetime(order.event_at, fmt="medium"),
                                order.place,
                                _("{n} guests").format(n=order.guests),
                            ],
                            s["cell"],
                        ),
                    ],
                ],
                [90 * mm, 90 * mm],
            ),
            Spacer(1, 6),
            table(lines, [86 * mm, 20 * mm, 24 * mm, 16 * mm, 30 * mm], numeric_cols=(1, 2, 4), total_row=True),
            Spacer(1, 6),
        ]
        if order.dietary:
            story.append(Paragraph(_("Dietary requirements: {text}").format(text=order.dietary), s["body"]))
        story += [
            Paragraph(_("Allergens in each dish (Reg. EU 1169/2011, Annex II)"), s["h2"]),
            _matrix(allergens),
            Spacer(1, 4),
            _legend(s["small"]),
        ]
        build_pdf(
            target, title=title, site_label=f"{site.name}, {site.address}", story=story, company_name=_company(settings)
        )


def ddt_pdf(db: Database, settings: Settings | None, note_id: int, target: Target) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.pdf import build_pdf, styles, table

    language = current_language()
    with db.read() as session:
        note = session.get(DeliveryNote, note_id)
        if note is None:
            raise NotFound(_("no delivery note {id}").format(id=note_id))
        order = session.get(CateringOrder, note.order_id)
        assert order is not None
        customer = session.get(Customer, order.customer_id)
        site = session.get(Site, order.site_id)
        assert customer is not None and site is not None
        s = styles()
        rows = [[_("Item"), _("Lot"), _("Date on the pack"), _("Quantity"), _("Allergens")]]
        for item in note.items:
            lot = session.get(Lot, item.lot_id)
            product = session.get(Product, item.product_id)
            assert lot is not None and product is not None
            found = product.allergens | lot.allergens
            names = ", ".join(a.label(language) for a in sorted(found)) or _("none")
            rows.append(
                [
                    Paragraph(item.description, s["cell"]),
                    lot.code,
                    format_date(lot.expiry) if lot.expiry else "-",
                    format_quantity(item.quantity, product.unit.value, language),
                    Paragraph(names, s["cell"]),
                ]
            )
        number = f"{note.year}/{note.number:04d}"
        title = _("Delivery note {number}").format(number=number)
        company = settings.company if settings else {}
        story = [
            Paragraph(title, s["title"]),
            Paragraph(
                _("Documento di trasporto, order {order}, {when}").format(
                    order=order.number, when=format_datetime(note.at, fmt="medium")
                ),
                s["body"],
            ),
            Spacer(1, 4),
            table(
                [
                    [_("Sender"), _("Customer"), _("Destination")],
                    [
                        _para(
                            [
                                _company(settings),
                                f"{site.name}, {site.address}",
                                _("VAT number {vat}").format(vat=company.get("vat_number", "")),
                            ],
                            s["cell"],
                        ),
                        _para(_address(customer), s["cell"]),
                        _para([note.destination, format_datetime(order.event_at, fmt="medium")], s["cell"]),
                    ],
                ],
                [60 * mm, 60 * mm, 60 * mm],
            ),
            Spacer(1, 6),
            table(rows, [50 * mm, 34 * mm, 26 * mm, 22 * mm, 48 * mm], numeric_cols=(3,)),
            Spacer(1, 6),
            Paragraph(_("Reason for transport: sale (catering service). Carriage by the sender."), s["small"]),
            Spacer(1, 24),
            table([[_("Driver"), _("Received by")], ["\n\n", "\n\n"]], [90 * mm, 90 * mm]),
        ]
        build_pdf(
            target, title=title, site_label=f"{site.name}, {site.address}", story=story, company_name=_company(settings)
        )


def invoice_pdf(db: Database, settings: Settings | None, invoice_id: int, target: Target) -> None:
    """The courtesy copy, every figure read from the stored XML."""
    from lxml import etree

    with db.read() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound(_("no invoice {id}").format(id=invoice_id))
        xml, name = invoice.xml, invoice.file_name
    render_invoice(etree.fromstring(xml.encode("utf-8")), name, settings, target)


KINDS = {"TD01": "Invoice", "TD02": "Deposit invoice", "TD04": "Credit note"}


def render_invoice(root: Any, name: str, settings: Settings | None, target: Target) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.pdf import build_pdf, styles, table

    s = styles()

    def t(element: Any, path: str) -> str:
        return str(element.findtext(path) or "")

    def money(text: str) -> str:
        return text.replace(".", ",") if current_language() == "it" else text

    general = root.find(".//DatiGeneraliDocumento")
    kind = t(general, "TipoDocumento")
    title = _("{kind} {number} of {day}").format(
        kind=_(KINDS.get(kind, kind)), number=t(general, "Numero"), day=t(general, "Data")
    )

    def party(path: str) -> list[str]:
        p = root.find(path)
        return [
            t(p, ".//Denominazione"),
            t(p, "Sede/Indirizzo"),
            f"{t(p, 'Sede/CAP')} {t(p, 'Sede/Comune')} {t(p, 'Sede/Provincia')}",
            _("VAT number {vat}").format(vat=t(p, ".//IdFiscaleIVA/IdCodice"))
            if p.find(".//IdFiscaleIVA") is not None
            else "",
            _("Tax code {code}").format(code=t(p, ".//CodiceFiscale"))
            if p.find(".//CodiceFiscale") is not None
            else "",
        ]

    rows = [[_("#"), _("Description"), _("Quantity"), _("Unit price (€)"), _("VAT"), _("Amount (€)")]]
    for line in root.iterfind(".//DettaglioLinee"):
        rows.append(
            [
                t(line, "NumeroLinea"),
                Paragraph(t(line, "Descrizione"), s["cell"]),
                money(t(line, "Quantita")),
                money(t(line, "PrezzoUnitario")),
                money(t(line, "AliquotaIVA")) + "%",
                money(t(line, "PrezzoTotale")),
            ]
        )
    summary = [[_("VAT"), _("Taxable (€)"), _("VAT (€)")]]
    for r in root.iterfind(".//DatiRiepilogo"):
        summary.append([money(t(r, "AliquotaIVA")) + "%", money(t(r, "ImponibileImporto")), money(t(r, "Imposta"))])
    summary.append([_("Total"), "", money(t(general, "ImportoTotaleDocumento"))])
    story = [
        Paragraph(title, s["title"]),
        Paragraph(
            _("Courtesy copy: the invoice is the XML file {name} sent through the SdI").format(name=name), s["small"]
        ),
        Spacer(1, 4),
        table(
            [
                [_("Seller"), _("Customer")],
                [_para(party(".//CedentePrestatore"), s["cell"]), _para(party(".//CessionarioCommittente"), s["cell"])],
            ],
            [90 * mm, 90 * mm],
        ),
        Spacer(1, 6),
        table(rows, [8 * mm, 80 * mm, 18 * mm, 28 * mm, 14 * mm, 32 * mm], numeric_cols=(2, 3, 5)),
        Spacer(1, 6),
        table(summary, [30 * mm, 40 * mm, 40 * mm], numeric_cols=(1, 2), total_row=True),
    ]
    for linked in root.iterfind(".//DatiFattureCollegate"):
        story.append(
            Paragraph(
                _("Linked invoice {n} of {day}").format(n=t(linked, "IdDocumento"), day=t(linked, "Data")), s["body"]
            )
        )
    due = root.findtext(".//ImportoPagamento")
    if due:
        story.append(Paragraph(_("To pay: {amount} €").format(amount=money(due)), s["h2"]))
    build_pdf(target, title=title, site_label=name, story=story, company_name=_company(settings))
