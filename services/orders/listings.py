"""The port through which orders reads listings from the shops service.

The shops service is the authority on price and stock; orders asks it whenever a buyer adds
to the cart or checks out. Production uses the HTTP adapter in `shops_client`; unit tests
may use any object with the same `get` method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.orders.domain.money import Money
from services.orders.domain.shipping import ShippingRates


@dataclass(frozen=True)
class ListingInfo:
    """What a shop offers right now for one listing."""

    id: str
    shop_id: str
    shop_name: str
    title: str
    price: Money
    quantity: int
    shop_country: str | None = None
    shipping: ShippingRates | None = None
    on_vacation: bool = False
    # False when the shop says the listing cannot be ordered now (e.g. the shop is closed).
    purchasable: bool = True


class ShopsUnavailable(Exception):
    """The shops service could not answer; the buyer should simply try again."""

    message = "the shop service is unavailable, try again"


class ListingDirectory(Protocol):
    def get(self, listing_id: str) -> ListingInfo | None:
        """The listing as the shop offers it now, None if it does not exist (any more).

        Raises ShopsUnavailable when the answer cannot be known.
        """
        ...
