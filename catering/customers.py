"""Customers: who they are for an invoice (codice fiscale, partita IVA, SdI code or PEC) and their cards.

The checks are pure functions (``check_customer``); the services write in one transaction after
``orto.access.authorise(Action.CUSTOMERS)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from orto.access import authorise
from orto.audit import audit
from orto.db import Database
from orto.enums import CustomerKind
from orto.errors import InvalidInput, NotFound
from orto.i18n import gettext as _
from orto.models import Customer, CustomerCard
from orto.policy import Action, Operator

KINDS = tuple(CustomerKind)
_PROVINCE = re.compile(r"^[A-Z]{2}$")
_POSTCODE = re.compile(r"^\d{5}$")
_SDI = re.compile(r"^[A-Z0-9]{6,7}$")
_PEC = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CIG = re.compile(r"^[A-Z0-9]{10}$")
_CUP = re.compile(r"^[A-Z0-9]{15}$")


@dataclass(frozen=True)
class CustomerData:
    """A customer as typed or imported; ``check_customer`` returns it normalised."""

    name: str
    kind: str = "business"
    code: str | None = None
    vat_number: str | None = None
    fiscal_code: str | None = None
    address: str = ""
    postcode: str = ""
    town: str = ""
    province: str = ""
    country: str = "IT"
    sdi_code: str | None = None
    pec: str | None = None
    email: str = ""
    phone: str = ""
    contact: str = ""
    payment_days: int = 30
    account_allowed: bool = False  # may run a bar tab on account
    order_ref: str | None = None  # a public body's order (determina, buono d'ordine): DatiOrdineAcquisto
    cig: str | None = None
    cup: str | None = None


class CustomerInvalid(InvalidInput):
    """One field of a customer is wrong; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


def _blank(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def check_vat_number(text: str) -> str:
    """An Italian partita IVA, 11 digits with its Luhn check digit (stdnum.it.iva)."""
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.it import iva

    number = re.sub(r"[\s.]", "", text).upper().removeprefix("IT")
    try:
        return str(iva.validate(number))
    except InvalidChecksum:
        from stdnum import luhn

        raise CustomerInvalid(
            "partita IVA",
            _("{number}: wrong check digit, {digit} expected").format(
                number=number, digit=luhn.calc_check_digit(number[:10])
            ),
        ) from None
    except ValidationError:
        raise CustomerInvalid(
            "partita IVA", _("{number}: 11 digits expected, with a valid office code").format(number=number)
        ) from None


def check_fiscal_code(text: str) -> str:
    """A codice fiscale: 16 characters for a person (check letter), or 11 digits for a body."""
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.it import codicefiscale

    code = re.sub(r"\s", "", text).upper()
    if code.isdigit():  # companies and associations: their codice fiscale is numeric like a partita IVA
        try:
            return check_vat_number(code)
        except CustomerInvalid as exc:
            raise CustomerInvalid("codice fiscale", str(exc).split(": ", 1)[1]) from None
    try:
        return str(codicefiscale.validate(code))
    except InvalidChecksum:
        raise CustomerInvalid(
            "codice fiscale",
            _("{code}: wrong check character, {char} expected").format(
                code=code, char=codicefiscale.calc_check_digit(code[:15])
            ),
        ) from None
    except ValidationError:
        raise CustomerInvalid(
            "codice fiscale", _("{code}: 16 characters or 11 digits expected").format(code=code)
        ) from None


def check_sdi_code(text: str, kind: str) -> str:
    """The SdI recipient code: 7 characters for businesses (FPR12), 6 for public bodies (FPA12)."""
    code = text.strip().upper()
    expected = 6 if kind == "public" else 7
    if not _SDI.match(code) or len(code) != expected:
        raise CustomerInvalid(
            "codice SdI", _("{code}: {n} letters or digits expected").format(code=code or "''", n=expected)
        )
    return code


def check_customer(data: CustomerData) -> CustomerData:
    """The customer normalised, or ``CustomerInvalid`` naming the first wrong field."""
    name = data.name.strip()
    if not name:
        raise CustomerInvalid("nome", _("a name is needed"))
    if data.kind not in KINDS:
        raise CustomerInvalid(
            "tipo", _("{kind}: one of {kinds} expected").format(kind=data.kind, kinds=", ".join(KINDS))
        )
    vat = _blank(data.vat_number)
    fiscal = _blank(data.fiscal_code)
    country = (data.country or "IT").strip().upper()
    if country == "IT":
        vat = check_vat_number(vat) if vat else None
        fiscal = check_fiscal_code(fiscal) if fiscal else None
    province = data.province.strip().upper()
    if province and not _PROVINCE.match(province):
        raise CustomerInvalid("provincia", _("{p}: two letters expected (MI)").format(p=province))
    postcode = data.postcode.strip()
    if postcode and country == "IT" and not _POSTCODE.match(postcode):
        raise CustomerInvalid("CAP", _("{cap}: five digits expected").format(cap=postcode))
    sdi = _blank(data.sdi_code)
    if sdi:
        sdi = check_sdi_code(sdi, data.kind)
    pec = _blank(data.pec)
    if pec and not _PEC.match(pec):
        raise CustomerInvalid("PEC", _("{pec}: an e-mail address expected").format(pec=pec))
    if data.payment_days < 0:
        raise CustomerInvalid("giorni pagamento", _("cannot be negative"))
    order_ref, cig, cup = check_references(data.order_ref, data.cig, data.cup)
    return replace(
        data,
        name=name,
        code=_blank(data.code),
        vat_number=vat,
        fiscal_code=fiscal,
        address=data.address.strip(),
        postcode=postcode,
        town=data.town.strip(),
        province=province,
        country=country,
        sdi_code=sdi,
        pec=pec,
        email=data.email.strip(),
        phone=data.phone.strip(),
        contact=data.contact.strip(),
        order_ref=order_ref,
        cig=cig,
        cup=cup,
    )


def check_references(order_ref: str | None, cig: str | None, cup: str | None) -> tuple[str | None, ...]:
    """A public body's order reference (up to 20 characters), CIG (10) and CUP (15), normalised.

    CIG and CUP go in the invoice's DatiOrdineAcquisto, whose IdDocumento is the order reference,
    so they need one."""
    ref = _blank(order_ref)
    if ref is not None and len(ref) > 20:
        raise CustomerInvalid("ordine", _("{ref}: at most 20 characters expected").format(ref=ref))
    cig = (_blank(cig) or "").upper() or None
    if cig is not None and not _CIG.match(cig):
        raise CustomerInvalid("CIG", _("{code}: 10 letters or digits expected").format(code=cig))
    cup = (_blank(cup) or "").upper() or None
    if cup is not None and not _CUP.match(cup):
        raise CustomerInvalid("CUP", _("{code}: 15 letters or digits expected").format(code=cup))
    if (cig or cup) and ref is None:
        raise CustomerInvalid("ordine", _("CIG and CUP go with the order reference they belong to"))
    return ref, cig, cup


def invoice_problems(customer: Customer) -> list[str]:
    """What an invoice to this customer lacks (empty: it can be invoiced)."""
    missing = []
    if customer.kind == "person":
        if not customer.fiscal_code:
            missing.append(_("codice fiscale"))
    elif not customer.vat_number and not customer.fiscal_code:
        missing.append(_("partita IVA or codice fiscale"))
    if not customer.address:
        missing.append(_("address"))
    if not customer.postcode:
        missing.append(_("CAP"))
    if not customer.town:
        missing.append(_("town"))
    if customer.country == "IT" and not customer.province:
        missing.append(_("province"))
    if customer.kind == "public" and not (customer.sdi_code and len(customer.sdi_code) == 6):
        # FPA12 goes only to the office's codice univoco (IPA); no PEC, no 0000000
        missing.append(_("codice univoco ufficio (6 characters, from the IPA index)"))
    return missing


def require_invoice_data(customer: Customer) -> None:
    missing = invoice_problems(customer)
    if missing:
        raise InvalidInput(
            _("customer {name} cannot be invoiced, missing: {missing}").format(
                name=customer.name, missing=", ".join(missing)
            )
        )


def apply(customer: Customer, data: CustomerData) -> None:
    for f in fields(CustomerData):
        setattr(customer, f.name, getattr(data, f.name))


def save_customer(db: Database, actor: Operator, data: CustomerData, *, customer_id: int | None = None) -> int:
    """Create (or update ``customer_id``) a customer; returns its id. Checked before anything is written."""
    clean = check_customer(data)
    with db.write() as session:
        user = authorise(session, actor, Action.CUSTOMERS)
        if clean.code:
            other = session.scalar(select(Customer.id).where(Customer.code == clean.code))
            if other is not None and other != customer_id:
                raise CustomerInvalid("codice", _("{code} is already another customer's").format(code=clean.code))
        if customer_id is None:
            customer = Customer()
            session.add(customer)
        else:
            found = session.get(Customer, customer_id, with_for_update=True)
            if found is None:
                raise NotFound(_("no customer {id}").format(id=customer_id))
            customer = found
        apply(customer, clean)
        session.flush()
        audit(session, "customer_saved", actor.id, approver_id=user, entity="customer", entity_id=customer.id)
        return customer.id


def find_customer(session: Session, key: str | int) -> Customer:
    """By id, code, partita IVA or exact name."""
    text = str(key).strip()
    customer = None
    if text.isdigit() and len(text) < 11:
        customer = session.get(Customer, int(text))
    if customer is None:
        customer = session.scalar(
            select(Customer).where((Customer.code == text) | (Customer.vat_number == text) | (Customer.name == text))
        )
    if customer is None:
        raise NotFound(_("no customer {key}").format(key=text))
    return customer


def list_customers(db: Database) -> list[Customer]:
    with db.read() as session:
        rows = list(session.scalars(select(Customer).where(Customer.active.is_(True)).order_by(Customer.name)))
        session.expunge_all()
        return rows


# ---------------------------------------------------------------- the Tessera di quartiere


def add_card(db: Database, actor: Operator, customer_id: int, number: str, valid_until: date) -> int:
    number = number.strip().upper()
    if not number:
        raise InvalidInput(_("card: a number is needed"))
    with db.write() as session:
        authorise(session, actor, Action.CUSTOMERS)
        if session.get(Customer, customer_id) is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        if session.scalar(select(CustomerCard.id).where(CustomerCard.number == number)) is not None:
            raise InvalidInput(_("card {number} is already held by a customer").format(number=number))
        card = CustomerCard(customer_id=customer_id, number=number, valid_until=valid_until, active=True)
        session.add(card)
        session.flush()
        audit(session, "card_issued", actor.id, entity="customer_card", entity_id=card.id, details={"number": number})
        return card.id
