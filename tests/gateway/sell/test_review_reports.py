"""A shop reports a review from its portal; the operator hides it at /admin/reviews with a
reason, and the shop's public page no longer shows it. Against the real services."""

from __future__ import annotations

from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.conftest import Seller
from tests.gateway.sell.test_reviews import reviewed
from tests.gateway.test_admin_access import an_operator


def test_a_shop_reports_a_review_and_the_operator_hides_it(seller: Seller, live_gateway, services):  # noqa: ANN001
    review_id = reviewed(seller, live_gateway, services)
    portal = text(seller.client.get("/sell/reviews"))
    assert f'id="report-review-{review_id}"' in portal

    reported = seller.client.post(
        f"/sell/reviews/{review_id}/report",
        data={
            "reason": "This buyer never wrote to us.",
            "csrf_token": csrf_token(seller.client, "/sell/"),
        },
    )
    assert reported.status_code == 302
    assert "Reported: the platform will look" in text(
        seller.client.get(reported.headers["Location"])
    )

    operator = an_operator(live_gateway)
    page = text(operator.get("/admin/reviews"))
    assert "This buyer never wrote to us." in page
    report_id = page.split('id="report-', 1)[1].split('"', 1)[0]
    hidden = operator.post(
        f"/admin/reviews/{report_id}/hide",
        data={
            f"review-{report_id}-reason": "Not about the shop.",
            "csrf_token": csrf_token(operator, "/admin/"),
        },
    )
    assert hidden.status_code == 302
    assert "No review waits" in text(operator.get("/admin/reviews"))
    assert "review.hide" in text(operator.get("/admin/audit"))
    public = text(live_gateway.test_client().get(f"/shops/{seller.shop['slug']}"))
    assert "Well packed" not in public
