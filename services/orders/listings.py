"""The port through which orders reads listings from the shops service.

The shops service is the authority on price and stock; orders asks it whenever a buyer adds
to the cart or checks out. Production uses the HTTP adapter in `shops_client`; unit tests
may use any object with the same `get` method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.orders.domain.money import Money


@dataclass(frozen=True)
class ListingInfo:
    """What a shop offers right now for one listing."""

    id: str
    shop_id: str
    shop_name: str
    title: str
    price: Money
    quantity: int


class ShopsUnavailable(Exception):
    """The shops service could not answer; the buyer should simply try again."""

    message = "the shop service is unavailable, try again"


class ListingDirectory(Protocol):
    def get(self, listing_id: str) -> ListingInfo | None:
        """The listing as the shop offers it now, None if it does not exist (any more).

        Raises ShopsUnavailable when the answer cannot be known.
        """
        ...
