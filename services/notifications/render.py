"""Mails as people read them: Jinja templates inside the service, plain text and HTML.

Each kind has `<kind>.txt` and `<kind>.html`; both extend a layout that says who the mail
is for, links to the page it is about and, for every mail but the account ones, how to
stop that kind of mail in one click.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str


def format_money(amount: int, currency: str) -> str:
    """Minor units as people read them: 1250 EUR -> "12.50 EUR"."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}"


def _money(value: Any) -> str:
    if isinstance(value, dict):
        return format_money(int(value["amount"]), str(value["currency"]))
    return format_money(value.amount, value.currency)


def _when(value: Any) -> str:
    # "2026-12-08 14:05 UTC": a deadline must be read the same by everyone.
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


class Renderer:
    def __init__(self) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates ship with the code: no need to look at their files for every mail.
            auto_reload=False,
        )
        self.environment.filters["money"] = _money
        self.environment.filters["when"] = _when

    def render(self, template: str, **context: Any) -> Rendered:
        text = self.environment.get_template(f"{template}.txt").render(**context)
        html = self.environment.get_template(f"{template}.html").render(**context)
        return Rendered(text=text, html=html)
