"""Rules the domain refuses to break. Each message is written for the buyer to read."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; the message says what to do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MixedCurrencies(DomainError):
    pass


class EmptyCart(DomainError):
    pass


class IllegalTransition(DomainError):
    """A status change the part's current status does not allow."""
