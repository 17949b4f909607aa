"""A shop's people hear by mail that its webhook receiver was switched off."""

from __future__ import annotations

import pytest

from services.common.contracts import ShopWebhookDisabled
from tests import support
from tests.notifications.factories import account, members, new_id

pytestmark = pytest.mark.integration

CAMILLE = ("camille", "camille@books.example", "Camille")


def test_a_switched_off_webhook_is_mailed_to_the_shops_people(notifications):
    shop_id = new_id()
    notifications.publish(
        account(*CAMILLE),
        members(shop_id, "Rue des Livres", CAMILLE[0]),
        ShopWebhookDisabled(
            shop_id=shop_id,
            endpoint_id=new_id(),
            url="https://pos.example/hooks",
            reason="every delivery failed since 2026-12-05 15:00 UTC (last: 503)",
        ),
    )

    with notifications.running():
        support.wait_for(lambda: notifications.smtp.count() >= 1, timeout=30)

    [mail] = notifications.smtp.to(CAMILLE[1])
    assert "A webhook of Rue des Livres was switched off" in str(mail["Subject"])
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "https://pos.example/hooks" in text and "last: 503" in text
    assert "/sell/settings/webhooks" in text
