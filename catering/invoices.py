"""Invoices: numbered per year, FatturaPA XML validated before it is stored, and their SdI state.

* TD02 — a deposit of a business, issued with the payment (catering.money.take_payment);
* TD01 — the order once delivered, with every deposit invoiced before deducted line by line;
* TD04 — a credit note for a refund, linked to the invoice it corrects.

Sending goes through the cooperative's intermediary, outside Orto: the file is exported and its
state recorded by hand or from the SdI's notification (``import_receipt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catering.customers import check_vat_number, require_invoice_data
from catering.fatturapa import InvoiceDoc, Party, PurchaseOrder, build, file_name, progressive_code
from catering.orders import locked_order
from catering.vat import Figures, Line, RateSummary, figures, split_by_rate
from orto.access import authorise
from orto.audit import audit
from orto.config import Settings
from orto.db import Database
from orto.enums import OrderStatus
from orto.errors import InvalidInput, NotAllowed, NotFound
from orto.i18n import gettext as _
from orto.localtime import local_day
from orto.models import CateringOrder, CateringPayment, Customer, Invoice
from orto.models.base import utcnow
from orto.policy import Action, Operator

STATES = ("to_send", "sent", "delivered", "accepted", "rejected")


def seller(settings: Settings | None) -> Party:
    """The cooperative as it invoices: ``[company]`` of orto.toml (name, vat_number, address, …)."""
    company = settings.company if settings is not None else {}
    missing = [k for k in ("name", "vat_number", "address", "postcode", "town", "province") if not company.get(k)]
    if missing:
        raise InvalidInput(
            _("[company] in orto.toml lacks {keys}: an invoice needs them").format(keys=", ".join(missing))
        )
    return Party(
        name=str(company["name"]),
        vat_number=check_vat_number(str(company["vat_number"])),
        fiscal_code=str(company.get("fiscal_code") or "") or None,
        address=str(company["address"]),
        postcode=str(company["postcode"]),
        town=str(company["town"]),
        province=str(company["province"]).upper(),
    )


def buyer(customer: Customer) -> Party:
    require_invoice_data(customer)
    return Party(
        name=customer.name,
        vat_number=customer.vat_number,
        fiscal_code=customer.fiscal_code if not customer.vat_number or customer.kind == "person" else None,
        address=customer.address,
        postcode=customer.postcode,
        town=customer.town,
        province=customer.province,
        country=customer.country,
        sdi_code=customer.sdi_code,
        pec=customer.pec if customer.kind != "public" else None,
        public=customer.kind == "public",
    )


def split_payment(customer: Customer) -> bool:
    """Public bodies pay the VAT of their invoices to the Treasury (art. 17-ter DPR 633/72):
    the invoice shows it, EsigibilitaIVA S, and what they owe the cooperative is the taxable."""
    return customer.kind == "public"


def purchase_order(customer: Customer, order: CateringOrder | None) -> PurchaseOrder | None:
    """The order's own reference, CIG and CUP if it has one, else the customer's standing ones."""
    source: CateringOrder | Customer | None = order if order is not None and order.order_ref else None
    if source is None and customer.order_ref:
        source = customer
    if source is None or not source.order_ref:
        return None
    return PurchaseOrder(source.order_ref, source.cig, source.cup)


def invoice_number(invoice: Invoice) -> str:
    return f"{invoice.year}/{invoice.number:04d}"


def _issue(
    session: Session,
    settings: Settings | None,
    actor: Operator,
    *,
    doc_type: str,
    customer: Customer,
    order: CateringOrder | None,
    figures_: Figures,
    today: date,
    related: tuple[Invoice, ...] = (),
    causale: str = "",
    due_cents: int | None = None,
    deducted_cents: int = 0,
) -> Invoice:
    party = seller(settings)
    year = today.year
    number = int(session.scalar(select(func.max(Invoice.number)).where(Invoice.year == year)) or 0) + 1
    sequence = int(session.scalar(select(func.count()).select_from(Invoice)) or 0) + 1
    progressive = progressive_code(sequence)
    doc = InvoiceDoc(
        doc_type=doc_type,
        number=f"{year}/{number:04d}",
        issued_on=today,
        progressive=progressive,
        seller=party,
        buyer=buyer(customer),
        figures=figures_,
        related=tuple((invoice_number(r), r.issued_on) for r in related),
        causale=causale,
        due_cents=due_cents,
        split_payment=split_payment(customer),
        purchase_order=purchase_order(customer, order),
    )
    xml = build(doc)  # validated against the schema: nothing is written if it does not
    invoice = Invoice(
        year=year,
        number=number,
        doc_type=doc_type,
        customer_id=customer.id,
        order_id=order.id if order else None,
        related_id=related[0].id if related and doc_type == "TD04" else None,
        issued_on=today,
        taxable_cents=figures_.taxable_cents,
        vat_cents=figures_.vat_cents,
        total_cents=figures_.total_cents,
        deducted_cents=deducted_cents,
        file_name=file_name(party.vat_number or "", progressive),
        xml=xml.decode("utf-8"),
        state="to_send",
        user_id=actor.id,
    )
    session.add(invoice)
    session.flush()
    audit(
        session,
        "invoice_issued",
        actor.id,
        entity="invoice",
        entity_id=invoice.id,
        details={"type": doc_type, "number": doc.number, "total_cents": invoice.total_cents},
    )
    return invoice


def _gross_by_rate(order: CateringOrder) -> dict[int, int]:
    out: dict[int, int] = {}
    for line in order.lines:
        out[line.vat_rate_bp] = out.get(line.vat_rate_bp, 0) + line.total_cents
    return out


def issue_deposit(
    session: Session,
    settings: Settings | None,
    actor: Operator,
    order: CateringOrder,
    customer: Customer,
    amount_cents: int,
    *,
    today: date | None = None,
) -> Invoice:
    """TD02 for a deposit, inside the payment's transaction; shared on the order's rates."""
    day = today or local_day(utcnow())
    text = _("Deposit on order {number}, event of {day}").format(number=order.number, day=local_day(order.event_at))
    lines = [
        Line(text, 1, part.taxable_cents + part.vat_cents, part.rate_bp)
        for part in split_by_rate(amount_cents, _gross_by_rate(order))
    ]
    return _issue(
        session,
        settings,
        actor,
        doc_type="TD02",
        customer=customer,
        order=order,
        figures_=figures(lines),
        today=day,
        causale=_("Deposit"),
        due_cents=0,
    )


def _deposit_rates(order: CateringOrder, deposits: list[Invoice]) -> list[RateSummary]:
    """The very taxable and VAT of each TD02 (recomputed the way they were issued), summed by rate."""
    total: dict[int, list[int]] = {}
    for invoice in deposits:
        for part in split_by_rate(invoice.total_cents, _gross_by_rate(order)):
            acc = total.setdefault(part.rate_bp, [0, 0])
            acc[0] += part.taxable_cents
            acc[1] += part.vat_cents
    return [RateSummary(rate, t, v) for rate, (t, v) in sorted(total.items())]


def invoice_order(
    db: Database, settings: Settings | None, actor: Operator, order_id: int, *, today: date | None = None
) -> int:
    """TD01 of a delivered order, deposits deducted; refuses a second one. Returns the invoice id."""
    day = today or local_day(utcnow())
    with db.write() as session:
        authorise(session, actor, Action.INVOICES)
        order = locked_order(session, order_id)
        existing = session.scalar(
            select(Invoice).where(Invoice.order_id == order.id, Invoice.doc_type == "TD01", Invoice.state != "rejected")
        )
        if existing is not None:
            raise NotAllowed(
                _("order {number} is already invoiced ({invoice})").format(
                    number=order.number, invoice=invoice_number(existing)
                )
            )
        if order.status not in ("delivered",):
            raise NotAllowed(
                _("order {number} is {state}: an order is invoiced once delivered").format(
                    number=order.number, state=_(order.status)
                )
            )
        customer = session.get(Customer, order.customer_id)
        assert customer is not None
        counter = session.scalar(
            select(func.count())
            .select_from(CateringPayment)
            .where(CateringPayment.order_id == order.id, CateringPayment.sale_id.is_not(None))
        )
        if counter:
            raise NotAllowed(
                _("order {number} was paid at the till: its documento commerciale documents it").format(
                    number=order.number
                )
            )
        deposits = list(
            session.scalars(
                select(Invoice)
                .where(Invoice.order_id == order.id, Invoice.doc_type == "TD02", Invoice.state != "rejected")
                .order_by(Invoice.id)
            )
        )
        lines = [
            Line(
                f"{ln.description} ({order.guests} × {ln.quantity})" if ln.per_person else ln.description,
                ln.quantity * order.guests if ln.per_person else ln.quantity,
                ln.total_cents,
                ln.vat_rate_bp,
            )
            for ln in order.lines
        ]
        deducted = _deposit_rates(order, deposits)
        text = _("Deposit deducted, invoice {numbers}").format(numbers=", ".join(invoice_number(d) for d in deposits))
        numbers = figures(lines, deducted, text)
        balance_paid = sum(
            int(x)
            for x in session.scalars(
                select(CateringPayment.amount_cents).where(
                    CateringPayment.order_id == order.id, CateringPayment.kind == "balance"
                )
            )
        )
        invoice = _issue(
            session,
            settings,
            actor,
            doc_type="TD01",
            customer=customer,
            order=order,
            figures_=numbers,
            today=day,
            related=tuple(deposits),
            causale=_("Catering {number}, event of {day}, {guests} guests").format(
                number=order.number, day=local_day(order.event_at), guests=order.guests
            ),
            due_cents=max(
                0, (numbers.taxable_cents if split_payment(customer) else numbers.total_cents) - balance_paid
            ),
            deducted_cents=sum(d.total_cents for d in deposits),
        )
        order.status = OrderStatus.INVOICED
        return invoice.id


def credit_note(
    db: Database,
    settings: Settings | None,
    actor: Operator,
    invoice_id: int,
    reason: str,
    *,
    amount_cents: int | None = None,
    today: date | None = None,
) -> int:
    """TD04 for a refund: the whole invoice or ``amount_cents`` of it, on its rates."""
    if not reason.strip():
        raise InvalidInput(_("credit note: a reason is expected"))
    day = today or local_day(utcnow())
    with db.write() as session:
        authorise(session, actor, Action.INVOICES)
        original = session.get(Invoice, invoice_id, with_for_update=True)
        if original is None:
            raise NotFound(_("no invoice {id}").format(id=invoice_id))
        if original.doc_type == "TD04":
            raise NotAllowed(_("a credit note is not credited again"))
        credited = sum(
            int(x)
            for x in session.scalars(
                select(Invoice.total_cents).where(Invoice.related_id == original.id, Invoice.doc_type == "TD04")
            )
        )
        left = original.total_cents - credited
        amount = left if amount_cents is None else amount_cents
        if amount <= 0 or amount > left:
            raise InvalidInput(_("credit note: between 0,01 and {left} expected").format(left=f"{left / 100:.2f}"))
        rates = read_rates(original.xml)
        gross = {r.rate_bp: r.taxable_cents + r.vat_cents for r in rates}
        lines = [
            Line(
                _("Credit on invoice {n}: {reason}").format(n=invoice_number(original), reason=reason.strip()),
                1,
                part.taxable_cents + part.vat_cents,
                part.rate_bp,
            )
            for part in split_by_rate(amount, gross)
        ]
        customer = session.get(Customer, original.customer_id)
        assert customer is not None
        order = session.get(CateringOrder, original.order_id) if original.order_id else None
        note = _issue(
            session,
            settings,
            actor,
            doc_type="TD04",
            customer=customer,
            order=order,
            figures_=figures(lines),
            today=day,
            related=(original,),
            causale=reason.strip(),
        )
        return note.id


def read_rates(xml: str) -> list[RateSummary]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    out = []
    for summary in root.iterfind(".//DatiRiepilogo"):
        out.append(
            RateSummary(
                _cents(summary.findtext("AliquotaIVA")),
                _cents(summary.findtext("ImponibileImporto")),
                _cents(summary.findtext("Imposta")),
            )
        )
    return out


def _cents(text: str | None) -> int:
    from decimal import Decimal

    return int(Decimal(text or "0").scaleb(2))


# ---------------------------------------------------------------- state at the SdI


def set_invoice_state(db: Database, actor: Operator, invoice_id: int, state: str, reason: str = "") -> None:
    if state not in STATES:
        raise InvalidInput(_("state {state}: one of {states} expected").format(state=state, states=", ".join(STATES)))
    if state == "rejected" and not reason.strip():
        raise InvalidInput(_("a rejected invoice needs the SdI's reason"))
    with db.write() as session:
        authorise(session, actor, Action.INVOICES)
        invoice = session.get(Invoice, invoice_id, with_for_update=True)
        if invoice is None:
            raise NotFound(_("no invoice {id}").format(id=invoice_id))
        _record_state(session, invoice, state, reason, actor.id)


def _record_state(session: Session, invoice: Invoice, state: str, reason: str, user_id: int | None) -> None:
    before = invoice.state
    invoice.state, invoice.state_reason, invoice.state_at = state, reason.strip() or None, datetime.now(UTC)
    if state == "rejected" and invoice.doc_type == "TD01" and invoice.order_id:
        order = session.get(CateringOrder, invoice.order_id)
        if order is not None and order.status == "invoiced":
            order.status = OrderStatus.DELIVERED  # a rejected file is no invoice: it is corrected and issued again
    audit(
        session,
        "invoice_state",
        user_id,
        entity="invoice",
        entity_id=invoice.id,
        details={"from": before, "to": state, "reason": reason.strip() or None},
    )


@dataclass(frozen=True)
class ReceiptResult:
    invoice_id: int
    file_name: str
    kind: str
    state: str
    reason: str


# SdI notifications: RC delivered, MC not delivered but valid (in the fiscal drawer), NS rejected,
# NE the recipient's outcome (EC01 accepted, EC02 refused), DT deadline passed (accepted).
def import_receipt(db: Database, path: Path, *, actor: Operator | None = None) -> ReceiptResult:
    """Record the state an SdI notification file says, for the invoice it names (NomeFile)."""
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InvalidInput(_("{path}: not a readable SdI notification ({error})").format(path=path, error=exc)) from exc
    tag = etree.QName(root).localname

    def text(name: str) -> str:
        found = root.xpath(f"string(//*[local-name()='{name}'])")
        return str(found).strip()

    kinds = {
        "RicevutaConsegna": "RC",
        "NotificaMancataConsegna": "MC",
        "RicevutaScarto": "NS",
        "NotificaScarto": "NS",
        "NotificaEsito": "NE",
        "NotificaEsitoCommittente": "NE",
        "NotificaDecorrenzaTermini": "DT",
        "AttestazioneTrasmissioneFattura": "AT",
    }
    kind = kinds.get(tag)
    name = text("NomeFile")
    if kind is None or not name:
        raise InvalidInput(
            _("{path}: {tag} is not an SdI notification Orto knows (RC, MC, NS, NE, DT, AT)").format(path=path, tag=tag)
        )
    reason = ""
    if kind == "RC":
        state = "delivered"
    elif kind in ("MC", "AT"):
        state, reason = "accepted", _("not delivered: available in the recipient's fiscal drawer")
    elif kind == "NS":
        errors = root.xpath("//*[local-name()='Errore']")
        reason = "; ".join(
            " ".join(str(e.xpath(f"string(*[local-name()='{part}'])")).strip() for part in ("Codice", "Descrizione"))
            for e in errors
        ) or _("rejected by the SdI")
        state = "rejected"
    elif kind == "NE":
        outcome = text("Esito")
        state = "accepted" if outcome == "EC01" else "rejected"
        reason = text("Descrizione") if outcome != "EC01" else ""
    else:
        state = "accepted"
    with db.write() as session:
        invoice = session.scalar(select(Invoice).where(Invoice.file_name == name))
        if invoice is None:
            raise NotFound(_("{path}: no invoice {name} was issued here").format(path=path, name=name))
        if actor is not None:
            authorise(session, actor, Action.INVOICES)
        _record_state(session, invoice, state, reason, actor.id if actor else None)
        return ReceiptResult(invoice.id, name, kind, state, reason)


def export_xml(db: Database, invoice_id: int, folder: Path) -> Path:
    """The invoice's file as stored (it was validated when issued), named as the SdI expects."""
    with db.read() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound(_("no invoice {id}").format(id=invoice_id))
        target = folder / invoice.file_name
        target.write_text(invoice.xml, encoding="utf-8")
        return target


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    year: int
    number: int
    doc_type: str
    issued_on: date
    customer: str
    total_cents: int
    file_name: str
    state: str
    state_reason: str | None


def invoices_of(db: Database, actor: Operator, year: int | None = None) -> list[InvoiceRow]:
    """The invoices (of a year) with their state at the SdI, by number: a manager's (``Action.INVOICES``)."""
    with db.read() as session:
        authorise(session, actor, Action.INVOICES)
        stmt = select(Invoice, Customer.name).join(Customer, Customer.id == Invoice.customer_id)
        if year:
            stmt = stmt.where(Invoice.year == year)
        return [
            InvoiceRow(
                inv.id,
                inv.year,
                inv.number,
                inv.doc_type,
                inv.issued_on,
                name,
                inv.total_cents,
                inv.file_name,
                inv.state,
                inv.state_reason,
            )
            for inv, name in session.execute(stmt.order_by(Invoice.year, Invoice.number))
        ]
