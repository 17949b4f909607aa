"""What the shop's rules answer when a request breaks one of them."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the shop was broken; the message is written for the person who asked."""


class InvalidInput(DomainError):
    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        summary = "; ".join(f"{name}: {why}" for name, why in fields.items())
        super().__init__(f"please fix: {summary}")


class IllegalTransition(DomainError):
    """A shop order cannot move from its current status to the one asked for."""


class NotFound(DomainError):
    """Unknown, or not the asker's: both read the same, so nobody learns what exists."""


class Conflict(DomainError):
    """The request clashes with what the shop already has (a SKU in use, say)."""


class OwnerOnly(DomainError):
    """A staff member asked for something only the shop's owner may do."""
