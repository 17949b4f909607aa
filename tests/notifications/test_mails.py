"""Every mail, end to end: events published on the real broker, the worker applying them,
the sender handing each mail to a real SMTP server, read back as the recipient gets it."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from services.common.contracts import (
    AccountNotice,
    Delivery,
    MessagePosted,
    OrderExtraChargeAnswered,
    OrderPaymentCaptured,
    OrderPlaced,
    Reputation,
    ReviewPosted,
    ShopOrderAccepted,
    ShopOrderDeclined,
    ShopOrderExtraChargeProposed,
    ShopOrderReadyToCollect,
    ShopOrderShipped,
    WantMatched,
)
from tests import support
from tests.notifications.conftest import PUBLIC_URL
from tests.notifications.factories import (
    account,
    awaiting,
    confirmed,
    eur,
    line,
    members,
    new_id,
    part,
    placed,
)

pytestmark = pytest.mark.integration

ADA = ("ada", "ada@example.org", "Ada Reader")
CAMILLE = ("camille", "camille@books.example", "Camille")
SAM = ("sam", "sam@books.example", "Sam")
MARGARET = ("margaret", "margaret@hogarth.example", "Margaret")


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def one(smtp, address: str, subject: str) -> tuple[EmailMessage, str, str]:
    found = [m for m in smtp.to(address) if subject in str(m["Subject"])]
    assert len(found) == 1, [str(m["Subject"]) for m in smtp.to(address)]
    return (found[0], *bodies(found[0]))


def test_every_mail_reaches_its_recipient_with_its_content(notifications):
    shop_a, shop_b = new_id(), new_id()
    emma, dune = line("Emma", 1250), line("Dune", 900)
    express = Delivery(service="express", service_name="Express", days_min=2, days_max=3)
    part_a, part_b = part(shop_a, emma, delivery=express), part(shop_b, dune, shipping=300)
    order = confirmed(ADA[::2], part_a, part_b)
    v1_placed = OrderPlaced.model_validate(
        placed(order, part_b).model_dump(exclude={"delivery_address"})
    )
    conversation = new_id()
    events = [
        *(account(user, email, name) for user, email, name in (ADA, CAMILLE, SAM, MARGARET)),
        members(shop_a, "Rue des Livres", CAMILLE[0], SAM[0]),
        members(shop_b, "Hogarth Books", MARGARET[0]),
        placed(order, part_a),
        v1_placed,
        order,
        awaiting(part_a, order.order_id),
        awaiting(part_a, order.order_id, reminder=True),
        ShopOrderExtraChargeProposed(
            shop_order_id=part_a.shop_order_id,
            order_id=order.order_id,
            shop_id=shop_a,
            proposal_id=new_id(),
            amount=eur(300),
            reason="A heavy parcel to Paris",
            proposed_by="Camille",
        ),
        OrderExtraChargeAnswered(
            shop_order_id=part_a.shop_order_id,
            order_id=order.order_id,
            shop_id=shop_a,
            proposal_id=new_id(),
            answer="accepted",
            amount=eur(300),
        ),
        ShopOrderAccepted(
            shop_order_id=part_a.shop_order_id, order_id=order.order_id, shop_id=shop_a
        ),
        OrderPaymentCaptured(
            shop_order_id=part_a.shop_order_id,
            order_id=order.order_id,
            shop_id=shop_a,
            amount=eur(1550),
        ),
        ShopOrderDeclined(
            shop_order_id=part_b.shop_order_id,
            order_id=order.order_id,
            shop_id=shop_b,
            reason="Sold in the shop this morning, sorry.",
        ),
        ShopOrderShipped(
            shop_order_id=part_a.shop_order_id,
            order_id=order.order_id,
            shop_id=shop_a,
            note="Thank you, Ada. I wrapped Emma in last week's Le Monde.",
            signed_by="Camille",
            carrier="La Poste",
            tracking_number="6A12345678",
        ),
        MessagePosted(
            message_id="1",
            conversation_id=conversation,
            shop_id=shop_a,
            buyer_user_id=ADA[0],
            from_side="buyer",
            sender_name="Ada Reader",
            subject="Emma",
            excerpt="Is the dust jacket intact?",
            order_id=order.order_id,
            shop_order_id=part_a.shop_order_id,
        ),
        MessagePosted(
            message_id="2",
            conversation_id=conversation,
            shop_id=shop_a,
            buyer_user_id=ADA[0],
            from_side="shop",
            sender_name="Camille",
            subject="Emma",
            excerpt="It is, and unclipped.",
            order_id=order.order_id,
            shop_order_id=part_a.shop_order_id,
        ),
        ReviewPosted(
            review_id=new_id(),
            shop_id=shop_a,
            shop_order_id=part_a.shop_order_id,
            rating=5,
            text="Beautifully packed.",
            reputation=Reputation(average=5, count=1, positive_share=1, revision=1),
        ),
        *(
            WantMatched(
                match_id=new_id(),
                want_id=new_id(),
                user_id=ADA[0],
                listing_id=f"listing-{n}",
                shop_id=shop_b,
                shop_name="Hogarth Books",
                title=title,
                price=eur(700 + n),
            )
            for n, title in enumerate(("Middlemarch", "Persuasion"))
        ),
        AccountNotice(
            notice_id=new_id(),
            kind="reset_password",
            user_id=ADA[0],
            email=ADA[1],
            display_name="Ada Reader",
            link=f"{PUBLIC_URL}/reset/tok3n",
        ),
        AccountNotice(
            notice_id=new_id(),
            kind="email_changed",
            user_id=ADA[0],
            email="ada@new.example",
            display_name="Ada Reader",
            previous_email=ADA[1],
        ),
        # A guest has no account: the mail goes to the address the checkout gave.
        AccountNotice(
            notice_id=new_id(),
            kind="guest_order",
            email="guest@example.org",
            link=f"{PUBLIC_URL}/orders/by-link/s1gned",
        ),
    ]
    notifications.publish(*events)

    # Ada 8 (+ the change told at both addresses), Camille and Sam 6 each, the guest 1.
    expected = 8 + 2 + 6 + 6 + 1
    with notifications.running():
        support.wait_for(lambda: notifications.smtp.count() >= expected, timeout=30)
    smtp = notifications.smtp
    assert smtp.count() == expected
    assert smtp.to(MARGARET[1]) == []  # her part was never awaiting an answer

    # To the buyer.
    mail, text, html = one(smtp, ADA[1], "Your order is placed: 29.00 EUR")
    assert "Rue des Livres" in text and "Hogarth Books" in text
    assert "1 x Emma  12.50 EUR" in text and "1 x Dune  9.00 EUR" in text
    assert "Total: 29.00 EUR" in text
    assert f"{PUBLIC_URL}/orders/{order.order_id}" in text and "Hogarth Books</h2>" in html
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].strip().startswith(f"<{PUBLIC_URL}/unsubscribe/")

    _, text, _ = one(smtp, ADA[1], "Rue des Livres accepted your order")
    assert "Emma" in text

    _, text, html = one(smtp, ADA[1], "Hogarth Books could not take your order")
    assert "Sold in the shop this morning, sorry." in text
    assert "The 12.00 EUR held on your card for it is released" in text
    assert "Sold in the shop this morning, sorry." in html

    _, text, html = one(smtp, ADA[1], "Rue des Livres shipped your order")
    assert "I wrapped Emma in last week's Le Monde." in text and "-- Camille" in text
    assert "La Poste 6A12345678" in text
    # The service the buyer chose says when to expect it.
    assert "Expect it between " in text and "(Express)" in text
    assert "I wrapped Emma in last week&#39;s Le Monde." in html and "— Camille" in html

    _, text, _ = one(smtp, ADA[1], "Rue des Livres asks for an extra charge")
    assert "3.00 EUR" in text and "A heavy parcel to Paris" in text

    _, text, _ = one(smtp, ADA[1], "Rue des Livres wrote to you")
    assert "It is, and unclipped." in text
    assert f"{PUBLIC_URL}/messages/{conversation}" in text

    _, text, _ = one(smtp, ADA[1], "2 new copies matching your wants")
    assert "Middlemarch -- 7.00 EUR at Hogarth Books" in text
    assert f"{PUBLIC_URL}/listings/listing-1" in text

    # Account mails: always sent, with no unsubscribe.
    mail, text, _ = one(smtp, ADA[1], "Reset your password")
    assert f"{PUBLIC_URL}/reset/tok3n" in text and mail["List-Unsubscribe"] is None
    _, text, _ = one(smtp, ADA[1], "Your e-mail address was changed")
    assert "from ada@example.org to ada@new.example" in text
    one(smtp, "ada@new.example", "Your e-mail address was changed")
    mail, text, _ = one(smtp, "guest@example.org", "Your order is placed: the link to follow it")
    assert f"{PUBLIC_URL}/orders/by-link/s1gned" in text and mail["List-Unsubscribe"] is None

    # To every member of the shop.
    for _, address, name in (CAMILLE, SAM):
        mail, text, _ = one(
            smtp, address, "New order for Rue des Livres: answer by 2026-12-09 14:05 UTC"
        )
        assert text.startswith(f"Hello {name},")
        assert "Ada Reader" in text and "1 x Emma" in text
        assert f"{PUBLIC_URL}/sell/orders/{part_a.shop_order_id}" in text
        assert mail["To"] == address

        _, text, _ = one(smtp, address, "Reminder: answer the order for Rue des Livres")
        assert "declined automatically" in text

        _, text, _ = one(smtp, address, "Ready to ship for Rue des Livres")
        assert "Ada Reader's order" in text and "1 x Emma" in text
        assert f"{PUBLIC_URL}/sell/orders/{part_a.shop_order_id}" in text

        _, text, _ = one(smtp, address, "The buyer accepted the extra charge")
        assert "Ada Reader accepted the extra charge of 3.00 EUR" in text

        _, text, _ = one(smtp, address, "Ada Reader wrote to Rue des Livres")
        assert "Is the dust jacket intact?" in text
        assert f"{PUBLIC_URL}/sell/messages/{conversation}" in text

        _, text, _ = one(smtp, address, "A new review of Rue des Livres: 5 out of 5")
        assert "Beautifully packed." in text

    assert {m.status for m in notifications.mails()} == {"sent"}


def test_a_part_collected_in_person_is_announced_ready_then_collected(notifications):
    shop = new_id()
    pickup = Delivery(service="pickup", service_name="Collection in person", collection=True)
    collected_part = part(shop, line("Emma", 1250), shipping=0, delivery=pickup)
    order = confirmed(ADA[::2], collected_part)
    ids = {
        "shop_order_id": collected_part.shop_order_id,
        "order_id": order.order_id,
        "shop_id": shop,
    }
    notifications.publish(
        account(*ADA),
        members(shop, "Rue des Livres", CAMILLE[0]),
        order,
        ShopOrderReadyToCollect(**ids, town="Lyon", postal_code="69002"),
        ShopOrderShipped(
            **ids,
            note="Lovely to meet you, Ada.",
            signed_by="Camille",
            carrier="Collected in person",
        ),
    )
    with notifications.running():
        support.wait_for(lambda: len(notifications.smtp.to(ADA[1])) >= 3, timeout=30)

    _, text, html = one(notifications.smtp, ADA[1], "ready to collect at Rue des Livres")
    assert "at the shop in Lyon (69002)" in text and "Lyon" in html
    _, text, html = one(notifications.smtp, ADA[1], "You collected your order from Rue des Livres")
    assert "Lovely to meet you, Ada." in text
    assert "shipped" not in text and "Tracking" not in text and "Expect it" not in text
