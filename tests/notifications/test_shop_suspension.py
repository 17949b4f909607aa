"""A shop's people hear by mail that the platform suspended their shop, and why, and again
when it is reinstated."""

from __future__ import annotations

import pytest

from services.common.contracts import ShopSuspensionChanged
from tests import support
from tests.notifications.factories import account, members, new_id

pytestmark = pytest.mark.integration

CAMILLE = ("camille", "camille@books.example", "Camille")
DORIAN = ("dorian", "dorian@books.example", "Dorian")


def test_suspension_and_reinstatement_are_mailed_to_every_member(notifications):
    shop_id = new_id()
    notifications.publish(
        account(*CAMILLE),
        account(*DORIAN),
        members(shop_id, "Rue des Livres", CAMILLE[0], DORIAN[0]),
        ShopSuspensionChanged(
            shop_id=shop_id, suspended=True, reason="Listings of counterfeit first editions."
        ),
        ShopSuspensionChanged(shop_id=shop_id, suspended=False, reason="The listings are gone."),
    )

    with notifications.running():
        support.wait_for(lambda: notifications.smtp.count() >= 4, timeout=30)

    for _user, address, _name in (CAMILLE, DORIAN):
        # Mails leave in batches, not necessarily in the order they were made.
        reinstated, suspended = sorted(
            notifications.smtp.to(address), key=lambda mail: "suspended" in str(mail["Subject"])
        )
        assert "Rue des Livres is suspended by the platform" in str(suspended["Subject"])
        text = suspended.get_body(preferencelist=("plain",)).get_content()
        assert "counterfeit first editions" in text and "out of search" in text
        assert "/sell/" in text
        assert "Rue des Livres is open again" in str(reinstated["Subject"])
        assert "back in search" in reinstated.get_body(preferencelist=("plain",)).get_content()
