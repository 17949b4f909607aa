"""The notifications service: a person's mail preferences, and one-click unsubscribe."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class NotificationsClient(ServiceClient):
    service = "notifications"

    def preferences(self) -> dict:
        """{"kinds": [{kind, audience, label, enabled}], "address", "refused"}"""
        return self._call("GET", "/preferences")

    def set_preferences(self, kinds: dict[str, bool]) -> dict:
        return self._call("PUT", "/preferences", json={"kinds": kinds})

    # The two calls below carry the signed token from the mail's link, not a person's.
    def describe_unsubscribe(self, token: str) -> dict:
        return self._call("GET", f"/unsubscribe/{quote_id(token)}")

    def unsubscribe(self, token: str) -> dict:
        return self._call("POST", "/unsubscribe", json={"token": token})
