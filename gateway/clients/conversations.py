"""The orders service's conversations between shoppers and shops (docs/api.md,
"conversations"): one method per call, for the shopper's side and the shop's."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class ConversationsClient(ServiceClient):
    service = "orders"

    # The shopper's side.

    def mine(self, *, page: int = 1, per_page: int = 20, unread: bool = False) -> dict:
        params = {"page": page, "per_page": per_page, "unread": str(unread).lower()}
        return self._call("GET", "/conversations", params=params)

    def unread_totals(self) -> dict:
        """{"shopper": n, "shops": {shop_id: n}}."""
        return self._call("GET", "/conversations/unread")

    def conversation(self, conversation_id: str) -> dict:
        """The thread, which the service then counts as read by the shopper."""
        return self._call("GET", f"/conversations/{quote_id(conversation_id)}")

    def reply(self, conversation_id: str, text: str) -> dict:
        return self._call(
            "POST", f"/conversations/{quote_id(conversation_id)}/messages", json={"text": text}
        )

    def ask(self, listing_id: str, text: str) -> dict:
        return self._call(
            "POST", f"/listings/{quote_id(listing_id)}/questions", json={"text": text}
        )

    def part_thread(self, order_id: str, part_id: str) -> dict:
        return self._call("GET", self._part(order_id, part_id))

    def order_threads(self, order_id: str) -> dict:
        """{"order_id", "parts": [{"shop_order_id", "conversation"}]}: every part's thread."""
        return self._call("GET", f"/orders/{quote_id(order_id)}/conversations")

    def write_about_part(self, order_id: str, part_id: str, text: str) -> dict:
        return self._call("POST", self._part(order_id, part_id) + "/messages", json={"text": text})

    # The shop's side.

    def shop_conversations(
        self,
        shop_id: str,
        *,
        page: int = 1,
        per_page: int = 20,
        unread: bool = False,
        unread_first: bool = False,
    ) -> dict:
        params = {
            "page": page,
            "per_page": per_page,
            "unread": str(unread).lower(),
            "sort": "unread" if unread_first else "newest",
        }
        return self._call("GET", f"/shops/{quote_id(shop_id)}/conversations", params=params)

    def shop_conversation(self, shop_id: str, conversation_id: str) -> dict:
        return self._call(
            "GET", f"/shops/{quote_id(shop_id)}/conversations/{quote_id(conversation_id)}"
        )

    def shop_reply(self, shop_id: str, conversation_id: str, text: str) -> dict:
        path = f"/shops/{quote_id(shop_id)}/conversations/{quote_id(conversation_id)}/messages"
        return self._call("POST", path, json={"text": text})

    def shop_part_thread(self, shop_id: str, shop_order_id: str) -> dict:
        return self._call("GET", self._shop_part(shop_id, shop_order_id))

    def shop_write_about_part(self, shop_id: str, shop_order_id: str, text: str) -> dict:
        return self._call(
            "POST", self._shop_part(shop_id, shop_order_id) + "/messages", json={"text": text}
        )

    @staticmethod
    def _part(order_id: str, part_id: str) -> str:
        return f"/orders/{quote_id(order_id)}/parts/{quote_id(part_id)}/conversation"

    @staticmethod
    def _shop_part(shop_id: str, shop_order_id: str) -> str:
        return f"/shops/{quote_id(shop_id)}/orders/{quote_id(shop_order_id)}/conversation"
