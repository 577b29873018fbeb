"""Small modal prompts shared by the screens: a manager's PIN, a line of text, a text preview, a
yes/no question, a choice from a list. They are no screens of their own: any screen opens them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orto.i18n import gettext as _
from pos.tui.keys import KeyBar


class PinPrompt(ModalScreen[str | None]):
    """Over the current screen: a manager types their PIN to approve (Esc to give up)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Manager approval"), classes="dialog-title")
            yield Label(self.reason)
            yield Input(placeholder=_("manager PIN"), password=True, id="pin")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """A line of text; Esc gives None. An empty Enter gives None too, unless ``empty_is_an_answer``
    (the refund's "Enter = everything"), when it gives ""."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, title: str, placeholder: str = "", value: str = "", *, empty_is_an_answer: bool = False) -> None:
        super().__init__()
        self.prompt_title = title
        self.placeholder = placeholder
        self.value = value
        self.empty_is_an_answer = empty_is_an_answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # a long question (a refund's list of lines) scrolls: the answer stays in sight below it
            with VerticalScroll(classes="prompt-text"):
                yield Label(self.prompt_title, classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="answer")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()  # not the question, even when it scrolls

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        self.dismiss(answer if answer or self.empty_is_an_answer else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPreview(ModalScreen[None]):
    """A document as it will print (X/Z reports, a slip), scrollable; Esc or Enter closes."""

    BINDINGS = [Binding("escape,enter", "close", _("Close"))]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.preview_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.preview_title, classes="dialog-title")
            with VerticalScroll():
                yield Static(self.text, classes="preview", markup=False)
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question whose safe answer is the default: Enter and Esc say no, only `s`/`y` yes."""

    BINDINGS = [
        Binding("s,y", "answer(True)", _("Yes")),
        Binding("escape,enter,n", "answer(False)", _("No")),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="prompt-text", markup=False)
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Choice(ModalScreen[int | None]):
    """Pick one of a list (parked sales, tabs); Esc to give up."""

    BINDINGS = [Binding("escape", "cancel", _("Back"))]

    def __init__(self, title: str, options: list[tuple[int, str]]) -> None:
        super().__init__()
        self.choice_title = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.choice_title, classes="dialog-title")
            yield OptionList(*[Option(text, id=str(key)) for key, text in self.options], id="choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
