"""The operator routes of the orders and shops services; each checks the operator's token."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


class OperatorOrdersClient(ServiceClient):
    service = "orders"

    def disputes(self) -> dict:
        return self._call("GET", "/operator/disputes")

    def dispute(self, case_id: str) -> dict:
        return self._call("GET", f"/operator/disputes/{quote_id(case_id)}")

    def decide(self, case_id: str, **body: object) -> dict:
        return self._call("POST", f"/operator/disputes/{quote_id(case_id)}/decision", json=body)

    def review_reports(self) -> dict:
        return self._call("GET", "/operator/review-reports")

    def decide_review(self, report_id: str, *, outcome: str, reason: str) -> dict:
        return self._call(
            "POST",
            f"/operator/review-reports/{quote_id(report_id)}/decision",
            json={"outcome": outcome, "reason": reason},
        )

    def audit(self) -> dict:
        return self._call("GET", "/operator/audit")


class OperatorShopsClient(ServiceClient):
    service = "shops"

    def shops(self, query: str = "") -> dict:
        return self._call("GET", "/operator/shops", params={"q": query})

    def suspend(self, shop_id: str, *, reason: str) -> dict:
        return self._call(
            "POST", f"/operator/shops/{quote_id(shop_id)}/suspend", json={"reason": reason}
        )

    def reinstate(self, shop_id: str, *, reason: str) -> dict:
        return self._call(
            "POST", f"/operator/shops/{quote_id(shop_id)}/reinstate", json={"reason": reason}
        )

    def audit(self) -> dict:
        return self._call("GET", "/operator/audit")
