"""Reviews and reputation (the orders service), and a shop's public face (the catalog)."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class ReviewsClient(ServiceClient):
    service = "orders"

    def post_review(self, order_id: str, part_id: str, *, rating: int, text: str) -> dict:
        path = f"/orders/{quote_id(order_id)}/parts/{quote_id(part_id)}/review"
        return self._call("POST", path, json={"rating": rating, "text": text})

    def order_reviews(self, order_id: str) -> list[dict]:
        """The signed-in buyer's reviews of the parts of one of their orders."""
        return self._call("GET", f"/orders/{quote_id(order_id)}/reviews").get("reviews", [])

    def shop_reviews(
        self, shop_id: str, *, page: int = 1, per_page: int = 10, unanswered: bool = False
    ) -> dict:
        """`{reviews, total, page, per_page, reputation}`, newest first; public."""
        params: dict[str, object] = {"page": page, "per_page": per_page}
        if unanswered:
            params["unanswered"] = "true"
        return self._call("GET", f"/shops/{quote_id(shop_id)}/reviews", params=params)

    def reputation(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/reputation")

    def answer(self, shop_id: str, review_id: str, *, text: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/reviews/{quote_id(review_id)}/answer"
        return self._call("POST", path, json={"text": text})


class ShopPagesClient(ServiceClient):
    service = "catalog"

    def shop(self, key: str) -> dict:
        """A shop by its slug or id: name, country, about and reputation as search knows it."""
        return self._call("GET", f"/shops/{quote_id(key)}")
