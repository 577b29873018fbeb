"""The manager's "Persone" (People) menu entry: everyone, and what a manager may change about
them (pos.selling.users: the service checks the role again)."""

from __future__ import annotations

from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import Role
from pos import selling
from pos.tui.menu import MANAGERS, MenuEntry, register
from pos.tui.screens.dialogs import PinPrompt, TextPrompt
from pos.tui.screens.manager_actions import Choice, _user
from pos.tui.screens.sale import SaleScreen

ADD = -1
_ROLES = {1: Role.CASHIER, 2: Role.KITCHEN, 3: Role.MANAGER}
_ACTIONS = {1: N_("Change role"), 2: N_("Deactivate"), 3: N_("Activate"), 4: N_("New PIN"), 5: N_("Unlock")}


def _line(person: selling.Person) -> str:
    flags = [] if person.active else [_("deactivated")]
    if person.locked:
        flags.append(_("locked"))
    return f"{person.name}  ({_(person.role.value)})" + (f"  {', '.join(flags)}" if flags else "")


def people(screen: SaleScreen) -> None:
    def show(everyone: list[selling.Person]) -> None:
        options = [(ADD, _("+ Add a person")), *[(p.id, _line(p)) for p in everyone]]
        by_id = {p.id: p for p in everyone}

        def chosen(key: int | None) -> None:
            if key == ADD:
                _add(screen)
            elif key is not None and key in by_id:
                _act(screen, by_id[key])

        screen.app.push_screen(Choice(_("People"), options), chosen)

    screen.call(selling.people, screen.ctx.db, _user(screen), done=show)


def _role_then(screen: SaleScreen, then: object) -> None:
    options = [(k, _(r.value)) for k, r in _ROLES.items()]
    screen.app.push_screen(Choice(_("Role"), options), lambda k: then(_ROLES[k]) if k else None)  # type: ignore[operator]


def _done(screen: SaleScreen, message: str) -> None:
    screen.notify(message)


def _add(screen: SaleScreen) -> None:
    def named(name: str | None) -> None:
        if not name:
            return

        def with_role(role: Role) -> None:
            def with_pin(pin: str | None) -> None:
                if pin:
                    screen.call(
                        selling.add_user,
                        screen.ctx.db,
                        _user(screen),
                        name,
                        role,
                        pin,
                        done=lambda p: _done(
                            screen, _("added: {name} ({role})").format(name=p.name, role=_(p.role.value))
                        ),
                    )

            screen.app.push_screen(PinPrompt(_("First PIN of {name} (4-8 digits)").format(name=name)), with_pin)

        _role_then(screen, with_role)

    screen.app.push_screen(TextPrompt(_("Name of the new person")), named)


def _act(screen: SaleScreen, person: selling.Person) -> None:
    db, actor = screen.ctx.db, _user(screen)

    def chosen(key: int | None) -> None:
        if key == 1:
            _role_then(
                screen,
                lambda role: screen.call(
                    selling.set_role, db, actor, person.id, role, done=lambda p: _done(screen, _line(p))
                ),
            )
        elif key in (2, 3):
            screen.call(selling.set_active, db, actor, person.id, key == 3, done=lambda p: _done(screen, _line(p)))
        elif key == 4:

            def with_pin(pin: str | None) -> None:
                if pin:
                    screen.call(
                        selling.reset_pin,
                        db,
                        actor,
                        person.id,
                        pin,
                        done=lambda p: _done(screen, _("new PIN set for {name}").format(name=p.name)),
                    )

            screen.app.push_screen(PinPrompt(_("New PIN of {name} (4-8 digits)").format(name=person.name)), with_pin)
        elif key == 5:
            screen.call(
                selling.unlock,
                db,
                actor,
                person.id,
                done=lambda p: _done(screen, _("unlocked: {name}").format(name=p.name)),
            )

    screen.app.push_screen(Choice(person.name, [(k, _(label)) for k, label in _ACTIONS.items()]), chosen)


register(MenuEntry("people", N_("People"), people, roles=MANAGERS))
