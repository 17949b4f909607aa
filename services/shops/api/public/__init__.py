"""The public API (`/api/v1/`): a shop's own software, with a personal access token.

It is served by the shops service itself, beside the private API the gateway calls: the
token is checked where the shop's data lives, as the web tokens are, and no hop through
the gateway stands between a shop's inventory system and its inventory.
"""

from services.shops.api.public import listings, orders
from services.shops.api.public.base import blueprint, configure_public_api

__all__ = ["blueprint", "configure_public_api", "listings", "orders"]
