"""Lab batches: the site's open and held batches; a batch with its proposed input lots (rescue
candidates first, marked ★), its critical readings step by step, the finish with the yield and
the labels, and a manager's decision about a held batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from inventory import lab
from inventory.lab import BatchView, FinishedBatch, InputLine, InputProposal, ReadingResult
from inventory.recipes import RecipeSummary, list_recipes, parse_measure
from orto.errors import InvalidInput, OrtoError
from orto.i18n import N_
from orto.i18n import gettext as _
from orto.models import BatchStatus, LocationKind, Unit
from orto.money import format_amount
from pos.tui.dialogs import TextPreview
from pos.tui.kitchen_base import KitchenScreen
from pos.tui.kitchen_data import BatchRecipe, Place, batch_recipe, default_place, places
from pos.tui.parsing import expiry_hint, parse_quantity, parse_whole, show_quantity, show_with_unit, unit_word

STATUS = {
    BatchStatus.OPEN: N_("open"),
    BatchStatus.HELD: N_("ON HOLD: a manager must decide"),
    BatchStatus.REWORKED: N_("reworked: measure again, then release"),
    BatchStatus.RELEASED: N_("released"),
    BatchStatus.COMPLETED: N_("completed"),
    BatchStatus.DISCARDED: N_("discarded"),
}
DECISIONS = (
    (1, lab.RELEASE, N_("Release: it can be sold")),
    (2, lab.REWORK, N_("Rework: measure again")),
    (3, lab.DISCARD, N_("Discard: its stock becomes waste")),
)
# the measure a reading is typed in, for the prompt
MEASURE_WORD = {"temperature_dc": "°C", "ph_c": "pH", "minutes": N_("minutes")}


def decide(screen: KitchenScreen, batch_id: int, code: str, then: Callable[[BatchStatus], None]) -> None:
    """Release, rework or discard a batch: the decision, a note, a manager's PIN."""

    def chosen(key: int) -> None:
        decision = next(d for k, d, _label in DECISIONS if k == key)

        def noted(note: str) -> None:
            if not note:
                screen.notify(_("write down why: the note goes into the HACCP register"), severity="error")
                chosen(key)
                return
            screen.with_manager(
                _("Batch {code}: {decision}").format(
                    code=code, decision=_(dict((d, lbl) for _k, d, lbl in DECISIONS)[decision])
                ),
                lambda manager: screen.call(
                    lab.decide_batch,
                    screen.ctx.db,
                    batch_id,
                    decision=decision,
                    actor=manager,
                    note=note,
                    done=then,
                ),
            )

        screen.ask(_("Note for the HACCP register (why)"), noted)

    screen.pick(
        _("Batch {code}: the manager decides").format(code=code), [(k, _(label)) for k, _d, label in DECISIONS], chosen
    )


class LabScreen(KitchenScreen):
    TITLE_TEXT = N_("Lab batches")
    BINDINGS = [
        Binding("n", "new", _("New batch")),
        Binding("d", "decide", _("Manager decision")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[int, str, str, BatchStatus]] = []

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="k-batches", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-batches", DataTable).add_columns(_("Batch"), _("Recipe"), _("Status"))
        self.refresh_batches()

    def refresh_batches(self, _result: object = None) -> None:
        self.call(lab.open_batches, self.ctx.db, self.site_id, done=self._show)

    def _show(self, batches: list[tuple[int, str, str, BatchStatus]]) -> None:
        self.batches = batches
        table = self.query_one("#k-batches", DataTable)
        table.clear()
        for batch_id, code, recipe, status in batches:
            table.add_row(code, recipe, _(STATUS[status]), key=str(batch_id))
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        self.info(_("n new batch · Enter opens the batch · d manager's decision on a held batch · Esc back"))
        self.query_one("#k-batches", DataTable).focus()

    def _selected(self) -> tuple[int, str, str, BatchStatus] | None:
        table = self.query_one("#k-batches", DataTable)
        if not self.batches or table.cursor_row < 0:
            return None
        return self.batches[min(table.cursor_row, len(self.batches) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "k-batches" and event.row_key.value:
            self.app.push_screen(BatchScreen(int(event.row_key.value)), self.refresh_batches)

    def action_new(self) -> None:
        def recipes(found: list[RecipeSummary]) -> None:
            if not found:
                self.notify(_("No recipes yet."), severity="warning")
                return
            self.pick(
                _("Which recipe?"),
                [(r.id, f"{r.name}  → {r.output}") for r in found],
                self._start,
            )

        self.call(list_recipes, self.ctx.db, done=recipes)

    def _start(self, recipe_id: int) -> None:
        def located(found: list[Place]) -> None:
            place = default_place(found, self.site_id, LocationKind.LAB, LocationKind.KITCHEN)
            if place is None:
                self.notify(_("this site has no lab"), severity="error")
                return
            self.call(
                lab.start_batch,
                self.ctx.db,
                recipe_id=recipe_id,
                location_id=place.id,
                actor=self.actor,
                today=self.today,
                done=self._open_batch,
            )

        self.call(places, self.ctx.db, done=located)

    def _open_batch(self, batch_id: int) -> None:
        self.app.push_screen(BatchScreen(batch_id), self.refresh_batches)

    def action_decide(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        batch_id, code, _recipe, _status = selected
        decide(self, batch_id, code, self._decided)

    def _decided(self, status: BatchStatus) -> None:
        self.notify(_(STATUS[status]))
        self.refresh_batches()


@dataclass
class _Loaded:
    view: BatchView
    recipe: BatchRecipe
    proposals: list[InputProposal]
    measures: dict[int, str] = field(default_factory=dict)  # step id -> measure


class BatchScreen(KitchenScreen):
    TITLE_TEXT = N_("Batch")
    BINDINGS = [
        Binding("r", "reading", _("Reading")),
        Binding("e", "edit", _("Quantity used")),
        Binding("f10", "finish", _("Finish")),
        Binding("d", "decide", _("Manager decision")),
        Binding("escape", "back", _("Back")),
    ]

    def __init__(self, batch_id: int) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.loaded: _Loaded | None = None
        self.rows: list[tuple[int, int, str, Unit, int]] = []  # lot id, location id, lot code, unit, available
        self.takes: dict[tuple[int, int], int] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="k-steps", markup=False)
        yield DataTable(id="k-inputs", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#k-inputs", DataTable).add_columns(
            "★", _("Input"), _("Lot"), _("Where"), _("Expiry"), _("On hand"), _("Use")
        )
        self.reload(first=True)

    def _load(self) -> _Loaded:
        from sqlalchemy import select

        from orto.models import RecipeStep

        view = lab.batch_view(self.ctx.db, self.batch_id)
        recipe = batch_recipe(self.ctx.db, self.batch_id)
        proposals = lab.propose_inputs(
            self.ctx.db, recipe.recipe_id, self.site_id, today=self.today, days=lab.rescue_days(self.ctx.settings)
        )
        with self.ctx.db.read() as session:
            measures = {
                int(i): str(m)
                for i, m in session.execute(
                    select(RecipeStep.id, RecipeStep.measure).where(
                        RecipeStep.recipe_id == recipe.recipe_id, RecipeStep.measure.is_not(None)
                    )
                )
            }
        return _Loaded(view, recipe, proposals, measures)

    def reload(self, _result: object = None, *, first: bool = False) -> None:
        self.call(self._load, done=lambda loaded: self._show(loaded, first))

    def _show(self, loaded: _Loaded, first: bool) -> None:
        self.loaded = loaded
        view = loaded.view
        self.query_one("#k-title").update(  # type: ignore[attr-defined]
            _("Batch {code}: {recipe}").format(code=view.code, recipe=view.recipe)
        )
        steps = []
        to_measure = _("to measure")
        for step_id, name, limit, reading, ok in view.steps:
            if step_id not in loaded.measures:
                steps.append(f"   {name}")
                continue
            mark = "  " if ok is None else ("✓ " if ok else "✗ ")
            steps.append(f" {mark}{name}  [{limit}]  {reading or to_measure}")
        status = _(STATUS[view.status])
        if view.output_lot:
            status += " · " + _("lot {lot}").format(lot=view.output_lot)
        self.query_one("#k-steps", Static).update(status + "\n" + "\n".join(steps))
        table = self.query_one("#k-inputs", DataTable)
        table.clear()
        table.display = not view.output_lot  # once finished, the inputs are in the trace
        self.rows = []
        for proposal in [] if view.output_lot else loaded.proposals:
            for lot in proposal.lots:
                key = (lot.lot_id, lot.location_id)
                if first or key not in self.takes:
                    self.takes[key] = lot.take
                self.rows.append((lot.lot_id, lot.location_id, lot.lot_code, proposal.unit, lot.available))
                table.add_row(
                    "★" if lot.rescue else "",
                    proposal.product[:24],
                    lot.lot_code,
                    lot.location[:14],
                    expiry_hint(lot.expiry),
                    show_with_unit(lot.available, proposal.unit),
                    show_with_unit(self.takes[key], proposal.unit) if self.takes[key] else "-",
                )
            if proposal.short:
                self.notify(
                    _("{product}: {short} missing at this site").format(
                        product=proposal.product, short=show_with_unit(proposal.short, proposal.unit)
                    ),
                    severity="warning",
                )
        self.idle()

    def idle(self) -> None:
        self.stop_asking()
        self.info(
            _("★ rescue (near its date) · r reading · e quantity used of the selected lot · F10 finish · d manager")
        )
        self.query_one("#k-inputs", DataTable).focus()

    # -- readings

    def _unread(self) -> list[tuple[int, str, str]]:
        assert self.loaded is not None
        return [
            (step_id, name, limit)
            for step_id, name, limit, _reading, ok in self.loaded.view.steps
            if step_id in self.loaded.measures and ok is None
        ]

    def action_reading(self) -> None:
        if self.loaded is None:
            return
        unread = self._unread()
        if unread:
            self._ask_reading(*unread[0])
            return
        steps = {s[0]: s for s in self.loaded.view.steps if s[0] in self.loaded.measures}
        self.pick(
            _("Measure which step again?"),
            [(i, f"{s[1]}  [{s[2]}]  {s[3]}") for i, s in steps.items()],
            lambda i: self._ask_reading(i, steps[i][1], steps[i][2]),
        )

    def _ask_reading(self, step_id: int, name: str, limit: str) -> None:
        assert self.loaded is not None
        measure = self.loaded.measures[step_id]
        self.ask(
            _("{step} [{limit}]: reading in {unit}").format(step=name, limit=limit, unit=_(MEASURE_WORD[measure])),
            lambda value: self._record(step_id, value, None),
            parse=lambda text: parse_measure(measure, text),
        )

    def _record(self, step_id: int, value: int, action: str | None) -> None:
        def failed(exc: OrtoError) -> None:
            if isinstance(exc, InvalidInput) and action is None:
                self.ask(str(exc), lambda text: self._record(step_id, value, text) if text else self.idle())
            else:
                self.notify(str(exc), severity="error", timeout=8)
                self.idle()

        self.call(
            lab.record_reading,
            self.ctx.db,
            self.batch_id,
            step_id=step_id,
            value=value,
            actor=self.actor,
            corrective_action=action,
            done=self._recorded,
            failed=failed,
        )

    def _recorded(self, result: ReadingResult) -> None:
        if result.within_limit:
            self.notify(_("Within the limit ({limit}).").format(limit=result.limit))
        else:
            self.notify(
                _("Outside the limit ({limit}): the batch is on hold until a manager decides.").format(
                    limit=result.limit
                ),
                severity="warning",
                timeout=10,
            )

        def next_step(loaded: _Loaded) -> None:
            self._show(loaded, False)
            unread = self._unread()
            if unread:
                self._ask_reading(*unread[0])

        self.call(self._load, done=next_step)

    # -- inputs and finish

    def action_edit(self) -> None:
        table = self.query_one("#k-inputs", DataTable)
        if not self.rows or table.cursor_row < 0:
            return
        lot_id, location_id, code, unit, available = self.rows[min(table.cursor_row, len(self.rows) - 1)]

        def parse(text: str) -> int:
            return 0 if text in ("", "0") else parse_quantity(text, unit)

        def set_take(quantity: int) -> None:
            if quantity > available:
                self.notify(
                    _("only {left} of lot {lot} here").format(left=show_with_unit(available, unit), lot=code),
                    severity="error",
                )
            else:
                self.takes[(lot_id, location_id)] = quantity
            if self.loaded is not None:
                self._show(self.loaded, False)

        self.ask(
            _("Lot {lot}: quantity used in {unit} (0 = not used)").format(lot=code, unit=unit_word(unit)),
            set_take,
            default=show_quantity(self.takes.get((lot_id, location_id), 0), unit),
            parse=parse,
        )

    def action_finish(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        if loaded.view.output_lot:
            self.notify(_("batch {code} is already finished").format(code=loaded.view.code), severity="warning")
            return
        unit = loaded.recipe.output_unit
        self.ask(
            _("Yield of {product} in {unit}").format(product=loaded.recipe.output, unit=unit_word(unit)),
            self._copies,
            default=show_quantity(loaded.recipe.expected_yield, unit),
            parse=lambda text: parse_quantity(text, unit),
        )

    def _copies(self, yield_quantity: int) -> None:
        assert self.loaded is not None
        default = yield_quantity if self.loaded.recipe.output_unit is Unit.PIECE else 1
        self.ask(
            _("Labels to print (Enter = one per piece; 0 = none)"),
            lambda copies: self._finish(yield_quantity, copies),
            default=str(default),
            parse=parse_whole,
        )

    def _finish(self, yield_quantity: int, copies: int) -> None:
        inputs = [InputLine(lot, location, q) for (lot, location), q in self.takes.items() if q > 0]
        self.call(
            lab.finish_batch,
            self.ctx.db,
            self.ctx.settings,
            self.batch_id,
            inputs=inputs,
            yield_quantity=yield_quantity,
            actor=self.actor,
            today=self.today,
            label_copies=copies,
            label_printer=self.label_printer,
            done=self._finished,
            failed=self.fail,
        )

    @property
    def label_printer(self) -> str | None:
        return lab.label_printer_for(self.ctx.settings, self.ctx.counter.code)

    def _finished(self, done: FinishedBatch) -> None:
        from orto.i18n import current_language

        language = current_language()
        allergens = ", ".join(a.label(language) for a in sorted(done.allergens)) or "-"
        lines = [
            _("Lot {lot}, expiry {expiry}").format(lot=done.lot_code, expiry=expiry_hint(done.expiry)),
            _(STATUS[done.status]),
            _("Cost per unit: {cost} €").format(cost=format_amount(done.unit_cost_cents)),
            _("Food rescued: {kg} kg").format(kg=show_quantity(done.rescued_g, Unit.KG)),
            _("Labels queued: {n}").format(n=done.labels_queued)
            + ("" if done.labels_queued or self.label_printer else "  " + _("(no label printer: [lab] label_printer)")),
            _("Ingredients: {list}").format(list=done.ingredients),
            _("Allergens: {list}").format(list=allergens),
        ]
        self.app.push_screen(TextPreview(_("Batch {code} finished").format(code=done.batch_code), "\n".join(lines)))
        self.reload()

    def action_decide(self) -> None:
        if self.loaded is None:
            return
        decide(self, self.batch_id, self.loaded.view.code, self._decided)

    def _decided(self, status: BatchStatus) -> None:
        self.notify(_(STATUS[status]))
        self.reload()
