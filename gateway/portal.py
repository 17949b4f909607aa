"""The seller portal's blueprint: the pages of views/sell.py with the sell_* modules' pages
nested in it, so every page shares its login check and its /sell prefix.

Nested here, once at import, rather than in views/sell.py: a view module imports no other
(tests/gateway/test_views_apart.py).
"""

from __future__ import annotations

from gateway.views import (
    sell,
    sell_aftersale,
    sell_collection,
    sell_customers,
    sell_listings,
    sell_messages,
    sell_photos,
    sell_reviews,
    sell_settings,
    sell_shipping,
    sell_statement,
    sell_tokens,
    sell_uploads,
    sell_webhooks,
)

blueprint = sell.blueprint
for child in (
    sell_collection,
    sell_listings,
    sell_uploads,
    sell_settings,
    sell_statement,
    sell_messages,
    sell_customers,
    sell_reviews,
    sell_photos,
    sell_tokens,
    sell_webhooks,
    sell_aftersale,
    sell_shipping,
):
    blueprint.register_blueprint(child.blueprint)
