"""The keys of a screen: the `?` panel (each key and what it does) and a footer that restyles its
keys in place.

Textual's key panel lists the focused widget's bindings first (a table's cursor, scroll and copy
keys), so a newcomer read mostly generic keys. This one lists exactly the keys the screen
declares, in the order declared, with their tooltips, then the two that work anywhere.

Textual's footer rebuilds every key (unmounted, mounted, restyled, laid out again, a frame later)
each time a screen refreshes its bindings: in a review that was twice a card, the largest part of
a keypress (docs/performance.md). `KeyFooter` dims and undims its keys in place instead when only
their state changed.
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey  # the footer's key (Textual 8.2 exports it not)

__all__ = ["KeyFooter", "KeysPanel"]

ANYWHERE = (
    ("ctrl+p", "Commands", "study a deck, sit an exam, change the theme"),
    ("ctrl+q", "Quit", ""),
)
"""The app-wide keys, listed under every screen's own."""


class KeysPanel(VerticalScroll, can_focus=False):
    """Beside the screen, as Textual's panel is; `?` shows and hides it."""

    DEFAULT_CSS = """
    KeysPanel {
        split: right;
        width: 40%;
        min-width: 30;
        max-width: 56;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 30%;
    }
    KeysPanel > Static {
        width: 1fr;
        margin-bottom: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Keys of this screen", "bold underline"))
        yield Static(self._table([*self._own(), ("", "", ""), *ANYWHERE]))

    @staticmethod
    def _table(rows: list[tuple[str, str, str]]) -> Table:
        """Keys on the left; what each does beside them, its tooltip below, wrapping in their
        own column."""
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column(ratio=1)
        for keys, description, tooltip in rows:
            table.add_row(
                keys, Text.assemble(description, ("\n" + tooltip, "dim") if tooltip else "")
            )
        return table

    def _own(self) -> list[tuple[str, str, str]]:
        """(keys, description, tooltip) per description, from the screen classes of srs."""
        grouped: dict[str, tuple[list[str], str]] = {}
        for cls in reversed(type(self.screen).__mro__):
            if not cls.__module__.startswith("srs."):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding)
                if not binding.description:
                    continue
                keys = grouped.setdefault(binding.description, ([], binding.tooltip))[0]
                keys += [
                    self.app.get_key_display(replace(binding, key=key.strip()))
                    for key in binding.key.split(",")
                ]
        return [
            (_key_list(keys), description, tooltip)
            for description, (keys, tooltip) in grouped.items()
        ]


def _key_list(keys: list[str]) -> str:
    """`a–t` for a run of many keys (the option letters), else the keys one after another."""
    return f"{keys[0]}–{keys[-1]}" if len(keys) > 3 else " ".join(keys)


class KeyFooter(Footer):
    """Textual's footer, but a change of which keys are enabled only restyles the keys.

    The same keys are shown when the screen's shown bindings match the keys on the footer one
    for one (action, description, tooltip); then each key is dimmed or not where it stands, in
    the same frame as the change that caused it and with no new layout. Any other change (a key
    appearing or going) rebuilds the footer as Textual's does.
    """

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._restyle_keys():
            return
        super().bindings_changed(screen)

    def _restyle_keys(self) -> bool:
        """Set each key's enabled state in place; False if the keys shown are not the same."""
        active = self.screen.active_bindings
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                shown.setdefault(binding.action, (binding, enabled, tooltip))
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        wanted = [(b.action, b.description, t or None) for b, _, t in shown.values()]
        if not keys or [(k.action, k.description, k.tooltip) for k in keys] != wanted:
            return False
        for key, (_, enabled, _) in zip(keys, shown.values(), strict=True):
            if key._disabled == enabled:  # the state the key was built with, kept by FooterKey
                _dim(key, not enabled)
        return True


def _dim(key: FooterKey, dim: bool) -> None:
    """Dim a footer key as its `-disabled` class does (the class's one rule), without a restyle.

    A class change restyles the key and each of its two component classes through the whole
    stylesheet (~0.8 ms, twice a card in a review); an inline text style is drawn the same and
    costs a repaint. The class is kept in step for any later full restyle (a theme change).
    """
    key._disabled = dim
    key.set_class(dim, "-disabled", update=False)
    key.styles.text_style = "dim" if dim else "none"
