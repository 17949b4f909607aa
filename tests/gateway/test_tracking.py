"""Tracking numbers of known carriers become links to the parcel's page."""

from __future__ import annotations

from gateway.tracking import tracking_url


def test_tracking_url_knows_common_carriers_however_they_are_typed():
    assert tracking_url("Royal Mail Tracked 48", "AB 1234 5678 9GB") == (
        "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"
    )
    assert tracking_url("dhl express", "1234567890").startswith("https://www.dhl.com/")
    assert tracking_url("DHL Paket", "00340434").startswith("https://www.dhl.de/")
    assert tracking_url("PostNL", "3SABC123") == "https://jouw.postnl.nl/track-and-trace/3SABC123"


def test_tracking_url_is_none_for_an_unknown_carrier_or_no_number():
    assert tracking_url("Bob's van", "42") is None
    assert tracking_url("Groups of upside readers", "42") is None  # "ups" only as a word
    assert tracking_url("UPS", "") is None
    assert tracking_url(None, "42") is None


def test_tracking_url_escapes_the_number():
    assert tracking_url("UPS", "1Z/../x?y") == "https://www.ups.com/track?tracknum=1Z%2F..%2Fx%3Fy"
