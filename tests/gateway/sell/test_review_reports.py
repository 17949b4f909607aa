"""A shop reports a review from its portal; the operator reads the report at /admin/reviews
and hides the review with a reason.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). That a hidden review leaves
the shop's public list, and the audit of the decision, are the orders service's: tested in
tests/orders/test_cases.py.
"""

from __future__ import annotations

from tests.gateway.helpers import csrf_token, text
from tests.gateway.sell.fakes_orders import a_review_report, a_shop_review, shop_reviews
from tests.gateway.test_admin_access import an_operator

REPORTS = "/shops/shop-1/reviews/review-1/reports"
REASON = "This buyer never wrote to us."


def report(client, reason: str):  # noqa: ANN001, ANN201
    return client.post(
        "/sell/reviews/review-1/report",
        data={"reason": reason, "csrf_token": csrf_token(client, "/sell/")},
    )


def test_a_shop_reports_a_review_with_its_reason(portal, fakes):
    fakes.on("GET", "/shops/shop-1/reviews", shop_reviews(a_shop_review()))
    fakes.on("POST", REPORTS, {"reported": True})

    page = text(portal.get("/sell/reviews"))
    reported = report(portal, f"  {REASON}  ")

    assert 'id="report-review-review-1"' in page
    assert reported.status_code == 302
    assert reported.headers["Location"] == "/sell/reviews#review-review-1"
    assert fakes.sent("POST", REPORTS) == [{"reason": REASON}]
    assert "Reported: the platform will look" in text(portal.get(reported.headers["Location"]))


def test_a_report_without_a_reason_is_refused_and_sends_nothing(portal, fakes):
    fakes.on("GET", "/shops/shop-1/reviews", shop_reviews(a_shop_review()))

    reported = report(portal, "   ")

    assert reported.status_code == 302
    assert "Say why the platform should look at this review." in text(portal.get("/sell/reviews"))
    assert fakes.writes() == []


def test_the_operator_reads_the_report_and_hides_the_review_with_a_reason(app, fakes):
    operator = an_operator(app)
    fakes.on(
        "GET", "/operator/review-reports", {"open": [a_review_report(a_shop_review(), REASON)]}
    )
    decision = "/operator/review-reports/report-1/decision"
    fakes.on("POST", decision, a_review_report(a_shop_review(), REASON) | {"outcome": "hide"})

    page = text(operator.get("/admin/reviews"))
    hidden = operator.post(
        "/admin/reviews/report-1/hide",
        data={
            "review-report-1-reason": "Not about the shop.",
            "csrf_token": csrf_token(operator, "/admin/"),
        },
    )

    assert 'id="report-report-1"' in page and REASON in page
    assert "Well packed &lt;i&gt;and&lt;/i&gt; kind." in page
    assert hidden.status_code == 302
    assert fakes.sent("POST", decision) == [{"outcome": "hide", "reason": "Not about the shop."}]
    fakes.on("GET", "/operator/review-reports", {"open": []})
    after = text(operator.get("/admin/reviews"))
    assert "Hidden." in after and "No review waits" in after


def test_a_decision_without_a_reason_is_refused_and_sends_nothing(app, fakes):
    operator = an_operator(app)
    fakes.on(
        "GET", "/operator/review-reports", {"open": [a_review_report(a_shop_review(), REASON)]}
    )

    refused = operator.post(
        "/admin/reviews/report-1/hide",
        data={"review-report-1-reason": "", "csrf_token": csrf_token(operator, "/admin/")},
    )

    assert refused.status_code == 302
    assert "Give a reason for your decision." in text(operator.get("/admin/reviews"))
    assert fakes.writes() == []
