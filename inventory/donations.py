"""Donations of unsold food to charities (Law 166/2016), and their transfer document.

A donation is one transaction: the donation record (number DON-SITE-YYYY-NNNN, the receiving
organisation with address and tax code), one waste record per lot with reason "donated" valued at
cost (donated food leaves our stock like waste does, and the reports count it apart), and the
WASTE movements. Law 166/2016 lets food past its best-before date be donated, never food past a
use-by date; a recalled or held lot cannot be donated either.

The transfer document (art. 16: the donor's document that goes with the goods) is a PDF built
from the records, so it can be printed again at any time and always says the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from inventory.ledger import require_on_hand
from inventory.lot_blocks import block_reason
from inventory.waste import book_waste
from orto import limits
from orto.access import authorise
from orto.config import Settings
from orto.db import Database
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import current_language, format_date
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import (
    AuditEntry,
    Donation,
    Location,
    Lot,
    Product,
    Site,
    Unit,
    WasteReason,
    WasteRecord,
)
from orto.money import format_amount, format_quantity
from orto.policy import Action, Operator


@dataclass(frozen=True)
class DonationItem:
    lot_id: int
    location_id: int
    quantity: int  # base units


@dataclass(frozen=True)
class DonationResult:
    id: int
    number: str
    value_cents: int
    weight_g: int  # goods sold by weight; pieces are listed by count


def donate(
    db: Database,
    *,
    site_id: int,
    organisation: str,
    items: Sequence[DonationItem],
    actor: Operator,
    address: str = "",
    tax_code: str = "",
    today: date,
) -> DonationResult:
    for value, field, column in (
        (organisation, _("organisation"), Donation.organisation),
        (address, _("address"), Donation.organisation_address),
        (tax_code, _("tax code"), Donation.organisation_tax_code),
    ):
        limits.text(value, field, limits.column_length(column))
    for number, item in enumerate(items, start=1):
        limits.stock_quantity(item.quantity, _("line {n}: quantity").format(n=number), minimum=-limits.MAX_INT)
    if not organisation.strip():
        raise InvalidInput(_("name the organisation that receives the donation"))
    if not items or any(i.quantity <= 0 for i in items):
        raise InvalidInput(_("a donation needs at least one line, each with a quantity"))
    with db.write() as session:
        authorise(session, actor, Action.STOCK)
        site = session.get(Site, site_id, with_for_update=True)
        if site is None:
            raise NotFound(_("no such site"))
        prefix = f"DON-{site.code}-{today:%Y}-"
        used = session.scalar(select(func.count()).select_from(Donation).where(Donation.number.like(prefix + "%")))
        donation = Donation(
            number=f"{prefix}{(used or 0) + 1:04d}",
            site_id=site.id,
            organisation=organisation.strip(),
            organisation_address=address.strip(),
            organisation_tax_code=tax_code.strip(),
            user_id=actor.id,
        )
        session.add(donation)
        session.flush()
        total = weight = 0
        for item in items:
            lot = session.get(Lot, item.lot_id)
            location = session.get(Location, item.location_id)
            if lot is None or location is None:
                raise NotFound(_("no such lot or location"))
            if location.site_id != site.id:
                raise InvalidInput(_("lot {lot} must be given from a location of this site").format(lot=lot.code))
            reason = block_reason(session, lot, today)
            if reason is not None:
                raise NotAllowed(reason)
            require_on_hand(session, lot, location, item.quantity)
            product = session.get(Product, lot.product_id)
            assert product is not None
            record, _left = book_waste(
                session,
                lot=lot,
                location=location,
                quantity=item.quantity,
                reason=WasteReason.DONATED,
                user_id=actor.id,
                note=donation.organisation,
                donation_id=donation.id,
            )
            total += record.value_cents
            if product.unit is Unit.KG:
                weight += item.quantity
        session.add(
            AuditEntry(
                action="donation",
                user_id=actor.id,
                site_id=site.id,
                entity="donation",
                entity_id=donation.id,
                details={"number": donation.number, "organisation": donation.organisation, "value_cents": total},
            )
        )
        return DonationResult(donation.id, donation.number, total, weight)


def donation_document(db: Database, settings: Settings, donation_id: int, target: Path | BytesIO) -> None:
    """The transfer document of a donation as a PDF (Law 166/2016, art. 16)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from orto.pdf import build_pdf, styles, table

    with db.read() as session:
        donation = session.get(Donation, donation_id)
        if donation is None:
            raise NotFound(_("no donation number {number}").format(number=donation_id))
        site = session.get(Site, donation.site_id)
        assert site is not None
        rows = session.execute(
            select(
                Product.name,
                Product.unit,
                Lot.code,
                Lot.expiry,
                Lot.date_type,
                WasteRecord.quantity,
                WasteRecord.value_cents,
            )
            .join(Product, Product.id == WasteRecord.product_id)
            .join(Lot, Lot.id == WasteRecord.lot_id)
            .where(WasteRecord.donation_id == donation.id)
            .order_by(WasteRecord.id)
        ).all()
        number, organisation = donation.number, donation.organisation
        address, tax_code, day = donation.organisation_address, donation.organisation_tax_code, local_day(donation.at)
        site_label = f"{site.name}, {site.address}"
    company = settings.company
    donor = str(company.get("name", "Fuori e Dentro"))
    s = styles()
    body = [
        [_("Product"), _("Lot"), _("Date on the pack"), _("Quantity"), _("Value (€)")],
    ]
    weight = total = 0
    for name, unit, code, expiry, date_type, quantity, value in rows:
        phrase = ""
        if expiry is not None:
            phrase = format_date(expiry) + (" (" + _(date_type.value) + ")" if date_type else "")
        body.append(
            [
                Paragraph(name, s["cell"]),
                code,
                Paragraph(phrase, s["cell"]),
                format_quantity(quantity, unit.value),
                format_amount(value, current_language()),
            ]
        )
        total += value
        weight += quantity if unit is Unit.KG else 0
    body.append(
        [_("Total"), "", "", format_quantity(weight, "kg") if weight else "", format_amount(total, current_language())]
    )
    story = [
        Paragraph(_("Donation transfer document {number}").format(number=number), s["title"]),
        Paragraph(_("Free transfer of food products under Law 166/2016, art. 16"), s["body"]),
        Spacer(1, 8),
        table(
            [
                [_("Donor"), _("Recipient")],
                [
                    Paragraph(
                        "<br/>".join(
                            x
                            for x in (
                                donor,
                                site_label,
                                _("VAT number {vat}").format(vat=company.get("vat_number", "")),
                            )
                            if x
                        ),
                        s["cell"],
                    ),
                    Paragraph(
                        "<br/>".join(
                            x
                            for x in (organisation, address, tax_code and _("Tax code {code}").format(code=tax_code))
                            if x
                        ),
                        s["cell"],
                    ),
                ],
            ],
            [90 * mm, 90 * mm],
        ),
        Spacer(1, 6),
        Paragraph(_("Date of transfer: {day}").format(day=format_date(day)), s["body"]),
        Spacer(1, 6),
        table(body, [52 * mm, 30 * mm, 48 * mm, 24 * mm, 26 * mm], numeric_cols=(3, 4), total_row=True),
        Spacer(1, 10),
        Paragraph(
            _(
                "The goods are given free of charge to be used for people in need. Food past its best-before "
                "date is given only if its packaging is intact and it has been stored properly; no food past "
                "a use-by date is given."
            ),
            s["small"],
        ),
        Spacer(1, 24),
        table(
            [[_("For the donor"), _("For the recipient")], ["\n\n", "\n\n"]],
            [90 * mm, 90 * mm],
        ),
    ]
    build_pdf(
        target,
        title=_("Donation {number}").format(number=number),
        site_label=site.code,
        story=story,
        company_name=donor,
    )
