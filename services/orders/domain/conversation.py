"""Conversations between a shopper and a shop, and the rules of their messages.

A conversation is about one shop's part of an order (its buyer and that shop), or a
question a shopper asks a shop about a listing before buying. Only the shopper starts a
question; either side may write first about an order part. Each side keeps its own count
of messages it has not read yet.
"""

from __future__ import annotations

from enum import StrEnum

from services.common.inputs import BadText, check_text
from services.orders.domain.errors import DomainError

MAX_MESSAGE = 2000


class Side(StrEnum):
    SHOPPER = "shopper"
    SHOP = "shop"

    @property
    def other(self) -> Side:
        return Side.SHOP if self is Side.SHOPPER else Side.SHOPPER


class Topic(StrEnum):
    ORDER = "order"
    LISTING = "listing"


class InvalidMessage(DomainError):
    """Input the rules refuse; `fields` names each bad field with what to change."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(
            "invalid message: " + "; ".join(f"{name}: {reason}" for name, reason in fields.items())
        )
        self.fields = fields


class ConversationNotFound(DomainError):
    pass


class OwnShop(DomainError):
    """A member of a shop asked their own shop a question."""


def checked_message(text: object, *, field: str = "text") -> str:
    """The message trimmed, or InvalidMessage naming `field` when it cannot be sent."""
    if not isinstance(text, str):
        raise InvalidMessage({field: "write your message as text"})
    trimmed = text.strip()
    if not trimmed:
        raise InvalidMessage({field: "write a few words: a message cannot be empty"})
    if len(trimmed) > MAX_MESSAGE:
        raise InvalidMessage(
            {field: f"keep it to {MAX_MESSAGE} characters (it has {len(trimmed)})"}
        )
    try:
        check_text(trimmed)
    except BadText as error:
        raise InvalidMessage({field: f"your message {error}"}) from error
    return trimmed


def display_name(name: str, *, fallback: str) -> str:
    """The name shown beside a message: the person's, or `fallback` when they gave none."""
    return (name.strip() or fallback)[:200]


def ensure_not_own_shop(*, shop_id: str, member_of: frozenset[str]) -> None:
    if shop_id in member_of:
        raise OwnShop("this listing is your own shop's: shoppers ask you questions here")
