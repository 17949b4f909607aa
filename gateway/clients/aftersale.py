"""The orders service after the sale: refunds and cases, for the buyer and for the shop."""

from __future__ import annotations

from gateway.clients.base import ServiceClient, quote_id


def _part(order_id: str, part_id: str) -> str:
    return f"/orders/{quote_id(order_id)}/parts/{quote_id(part_id)}"


class AfterSaleClient(ServiceClient):
    service = "orders"

    # --- the buyer ---------------------------------------------------------------------

    def order_aftersale(self, order_id: str) -> dict:
        """`{order_id, parts: {part_id: {refunds, cases, money, can_report_problem}}}`."""
        return self._call("GET", f"/orders/{quote_id(order_id)}/aftersale")

    def report(self, order_id: str, part_id: str, *, reason: str, message: str) -> dict:
        return self._call(
            "POST", _part(order_id, part_id) + "/cases", json={"reason": reason, "message": message}
        )

    def return_sent(
        self, order_id: str, part_id: str, case_id: str, *, carrier: str, tracking_number: str
    ) -> dict:
        return self._call(
            "POST",
            _part(order_id, part_id) + f"/cases/{quote_id(case_id)}/return-sent",
            json={"carrier": carrier, "tracking_number": tracking_number},
        )

    def escalate(self, order_id: str, part_id: str, case_id: str, *, message: str) -> dict:
        return self._call(
            "POST",
            _part(order_id, part_id) + f"/cases/{quote_id(case_id)}/escalate",
            json={"message": message},
        )

    # --- the shop ----------------------------------------------------------------------

    def shop_part(self, shop_id: str, part_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/orders/{quote_id(part_id)}/aftersale")

    def shop_movements(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/movements")

    def shop_cases(self, shop_id: str) -> dict:
        return self._call("GET", f"/shops/{quote_id(shop_id)}/cases")

    def ask_return(self, shop_id: str, case_id: str, *, address: str, message: str) -> dict:
        return self._call(
            "POST",
            f"/shops/{quote_id(shop_id)}/cases/{quote_id(case_id)}/return",
            json={"address": address, "message": message},
        )

    def refund_case(self, shop_id: str, case_id: str, **body: object) -> dict:
        return self._call(
            "POST", f"/shops/{quote_id(shop_id)}/cases/{quote_id(case_id)}/refund", json=body
        )

    def refund_part(self, shop_id: str, part_id: str, **body: object) -> dict:
        return self._call(
            "POST", f"/shops/{quote_id(shop_id)}/orders/{quote_id(part_id)}/refunds", json=body
        )

    # --- reviews -----------------------------------------------------------------------

    def report_review(self, review_id: str, *, reason: str) -> dict:
        return self._call(
            "POST", f"/reviews/{quote_id(review_id)}/reports", json={"reason": reason}
        )

    def shop_reports_review(self, shop_id: str, review_id: str, *, reason: str) -> dict:
        return self._call(
            "POST",
            f"/shops/{quote_id(shop_id)}/reviews/{quote_id(review_id)}/reports",
            json={"reason": reason},
        )
