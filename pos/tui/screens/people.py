"""The manager's "Persone" (People) menu entry: everyone, and what a manager may change about
them (pos.selling.users: the service checks the role again)."""

from __future__ import annotations

from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import Role
from pos import selling
from pos.tui.dialogs import Choice, PinPrompt, TextPrompt
from pos.tui.routes import SaleHost

ADD = -1
_ROLES = {1: Role.CASHIER, 2: Role.KITCHEN, 3: Role.MANAGER}
_ACTIONS = {1: N_("Change role"), 2: N_("Deactivate"), 3: N_("Activate"), 4: N_("New PIN"), 5: N_("Unlock")}


def _line(person: selling.Person) -> str:
    flags = [] if person.active else [_("deactivated")]
    if person.locked:
        flags.append(_("locked"))
    return f"{person.name}  ({_(person.role.value)})" + (f"  {', '.join(flags)}" if flags else "")


def people(screen: SaleHost) -> None:
    screen.till.flow(_people(screen))


async def _people(screen: SaleHost) -> None:
    till = screen.till
    everyone = await till.run(selling.people, till.db, till.operator)
    options = [(ADD, _("+ Add a person")), *[(p.id, _line(p)) for p in everyone]]
    by_id = {p.id: p for p in everyone}
    key = await till.ask(Choice(_("People"), options))
    if key == ADD:
        await _add(screen)
    elif key is not None and key in by_id:
        await _act(screen, by_id[key])


async def _role(screen: SaleHost) -> Role | None:
    key = await screen.till.ask(Choice(_("Role"), [(k, _(r.value)) for k, r in _ROLES.items()]))
    return _ROLES[key] if key else None


async def _add(screen: SaleHost) -> None:
    till = screen.till
    name = await till.ask(TextPrompt(_("Name of the new person")))
    if not name:
        return
    role = await _role(screen)
    if role is None:
        return
    pin = await till.ask(PinPrompt(_("First PIN of {name} (4-8 digits)").format(name=name)))
    if pin:
        person = await till.run(selling.add_user, till.db, till.operator, name, role, pin)
        screen.notify(_("added: {name} ({role})").format(name=person.name, role=_(person.role.value)))


async def _act(screen: SaleHost, person: selling.Person) -> None:
    till = screen.till
    db, actor = till.db, till.operator
    key = await till.ask(Choice(person.name, [(k, _(label)) for k, label in _ACTIONS.items()]))
    if key == 1:
        role = await _role(screen)
        if role is not None:
            screen.notify(_line(await till.run(selling.set_role, db, actor, person.id, role)))
    elif key in (2, 3):
        screen.notify(_line(await till.run(selling.set_active, db, actor, person.id, key == 3)))
    elif key == 4:
        pin = await till.ask(PinPrompt(_("New PIN of {name} (4-8 digits)").format(name=person.name)))
        if pin:
            changed = await till.run(selling.reset_pin, db, actor, person.id, pin)
            screen.notify(_("new PIN set for {name}").format(name=changed.name))
    elif key == 5:
        unlocked = await till.run(selling.unlock, db, actor, person.id)
        screen.notify(_("unlocked: {name}").format(name=unlocked.name))
