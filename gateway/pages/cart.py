"""The cart as the cart and both checkout pages show it, and what they say when a card is
declined."""

from __future__ import annotations

from gateway.forms.address import SERVICE_FIELDS

CHECKOUT_FIELDS = {
    **{f"address.{name}": field for name, field in SERVICE_FIELDS.items()},
    "card_number": "card_number",
    "payment": "card_number",
}


def grouped_cart(contents: dict) -> dict:
    """The cart with its lines under their shops, and every change to read before paying."""
    lines_by_shop: dict[str, list[dict]] = {}
    for line in contents.get("lines", []):
        lines_by_shop.setdefault(str(line.get("shop_id")), []).append(line)
    notices = [str(notice) for notice in contents.get("notices") or contents.get("changes") or []]
    for line in contents.get("lines", []):
        for key in ("problem", "notice", "change"):
            if line.get(key):
                notices.append(f"{line.get('title')}: {line[key]}")
    return {
        "shops": contents.get("shops", []),
        "lines_by_shop": lines_by_shop,
        "total": contents.get("total"),
        "empty": not contents.get("lines"),
        "notices": notices,
    }


def card_declined(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    sentence = f"{reason[:1].upper()}{reason[1:]}."
    # The embedded provider already says so; a real bank's reason often does not.
    if "nothing was charged" in reason.lower():
        return sentence
    return f"{sentence} Nothing was charged; try another card."
