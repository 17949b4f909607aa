"""The orders service's answer to "which of these people bought from these shops"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gateway.clients.base import ServiceClient


@dataclass(frozen=True)
class BuyersAtShop:
    """Of the people asked about: who bought from one shop, and their reviews of it."""

    user_ids: list[str] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)


class BuyersClient(ServiceClient):
    service = "orders"

    def buyers_among(
        self, shop_ids: Sequence[str], user_ids: Sequence[str]
    ) -> dict[str, BuyersAtShop]:
        """Per shop id, which of `user_ids` bought from it (POST /buyers-among)."""
        body = self._call(
            "POST", "/buyers-among", json={"shop_ids": list(shop_ids), "user_ids": list(user_ids)}
        )
        shops = body.get("shops") if isinstance(body, dict) else None
        found = {}
        for shop_id, entry in (shops or {}).items():
            entry = entry if isinstance(entry, dict) else {}
            found[str(shop_id)] = BuyersAtShop(
                user_ids=[str(user_id) for user_id in entry.get("user_ids") or []],
                reviews=[
                    review for review in entry.get("reviews") or [] if isinstance(review, dict)
                ],
            )
        return found
