"""The shops HTTP API (docs/api.md "shops"): parse, call a handler, render JSON."""

from services.shops.api import (
    customers,
    exports,
    listings,
    operator,
    orders,
    photos,
    shops,
    tokens,
    uploads,
    webhooks,
)

BLUEPRINTS = (
    shops.blueprint,
    listings.blueprint,
    orders.blueprint,
    uploads.blueprint,
    exports.blueprint,
    customers.blueprint,
    tokens.blueprint,
    webhooks.blueprint,
    photos.blueprint,
    operator.blueprint,
)
