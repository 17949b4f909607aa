"""The seller's order page: the order among the shops this person is a member of, with its
answer and shipping forms. Shown by the portal's order views, and again by the order's
message form that needs correcting."""

from __future__ import annotations

from functools import partial

from flask import abort
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.conversations import ConversationsClient
from gateway.forms import DeclineForm, ShipForm
from gateway.forms.messages import MessageForm
from gateway.forms.messages import message_form as make_message_form
from gateway.forms.sell import ExtraChargeForm
from gateway.pages.aftersale import shop_part_aftersale_ask
from gateway.pages.gather import Ask
from gateway.pages.layout import render_page

# The extra charge form shares the order page with the decline form: its own field ids.
EXTRA_PREFIX = "extra"
ORDER_FORM = "order-message"


def shop_order_of(shop_order_id: str) -> tuple[dict, dict]:
    """The order and the shop it belongs to, among the shops this person is a member of."""
    client = identity.shops_client()
    for shop in identity.my_shops():
        try:
            return shop, client.order(shop["id"], shop_order_id)
        except ServiceError as error:
            if error.status != 404:
                raise
    abort(404, "There is no such order in your shop.")


def seller_order_page(
    shop_order_id: str,
    *,
    decline_form: DeclineForm | None = None,
    ship_form: ShipForm | None = None,
    extra_charge_form: ExtraChargeForm | None = None,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    shop, found = shop_order_of(shop_order_id)
    ship_form = ship_form or ShipForm(note=note_for(shop, found))
    conversations = identity.client_of(ConversationsClient, "orders")
    return (
        render_page(
            "sell/order.html",
            asks={
                # The order's thread with the buyer (its `conversation` is None until
                # someone writes).
                "order_thread": Ask(
                    partial(conversations.shop_part_thread, str(shop["id"]), str(found["id"])),
                    "the messages with the buyer",
                ),
                "aftersale": shop_part_aftersale_ask(str(shop["id"]), str(found["id"])),
            },
            order_message_form=message_form or order_message_form(),
            shop=shop,
            order=found,
            decline_form=decline_form or DeclineForm(),
            ship_form=ship_form,
            extra_charge_form=extra_charge_form or ExtraChargeForm(prefix=EXTRA_PREFIX),
        ),
        status,
    )


def order_message_form() -> MessageForm:
    return make_message_form(ORDER_FORM, label="Write to the buyer")


def note_for(shop: dict, shop_order: dict) -> str:
    # A starting point, addressed to the buyer and signed by the shop's person, that the
    # seller makes their own.
    buyer = (shop_order.get("buyer") or {}).get("name") or "reader"
    signature = shop.get("signature") or ""
    return f"Dear {buyer},\n\nThank you for your order! I hope you enjoy it.\n\n{signature}"
