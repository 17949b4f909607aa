"""The two-zone shipping settings migrate to a profile that prices every cart the same."""

from __future__ import annotations

import itertools
import json
import uuid

import pytest
import sqlalchemy as sa
from alembic import command

from services.common import shipping
from services.common.migrations import alembic_config
from tests.shops.conftest import MIGRATIONS

pytestmark = pytest.mark.integration

# (domestic first, additional, international first, additional, free over)
OLD_SETTINGS = [(490, 100, 1490, 500, None), (300, 0, 900, 400, 5000), (0, 0, 0, 0, None)]


def old_rule(settings, *, shop_country, destination, items, subtotal) -> int:
    """The rule as it was written before profiles (services/orders/domain/shipping.py)."""
    dom_first, dom_add, int_first, int_add, free_over = settings
    if free_over is not None and subtotal >= free_over:
        return 0
    if shop_country == destination:
        return dom_first + dom_add * (items - 1)
    return int_first + int_add * (items - 1)


def test_the_migration_turns_two_zone_rates_into_a_profile_pricing_the_same(database_url):
    config = alembic_config(MIGRATIONS, database_url)
    command.upgrade(config, "f07000000003")
    engine = sa.create_engine(database_url)
    ids = [str(uuid.uuid4()) for _ in OLD_SETTINGS]
    with engine.begin() as connection:
        for shop_id, (df, da, inf, ia, free) in zip(ids, OLD_SETTINGS, strict=True):
            connection.execute(
                sa.text(
                    "INSERT INTO shop (id, slug, name, signature, about, country, currency,"
                    " created_at, revision, returns_policy, shipping_policy, ship_domestic_first,"
                    " ship_domestic_additional, ship_international_first,"
                    " ship_international_additional, ship_free_over, order_handling,"
                    " response_hours, on_vacation, members_revision) VALUES (:id, :id, 'S', 'S',"
                    " '', 'FR', 'EUR', '2026-01-01', 1, '', '', :df, :da, :inf, :ia, :free,"
                    " 'manual', 48, false, 0)"
                ),
                {"id": shop_id, "df": df, "da": da, "inf": inf, "ia": ia, "free": free},
            )

    command.upgrade(config, "head")

    with engine.connect() as connection:
        stored = dict(connection.execute(sa.text("SELECT id, shipping_profile FROM shop")).all())
    engine.dispose()
    carts = list(itertools.product(("FR", "DE", "US", "JP"), (1, 2, 5), (500, 4999, 5000, 12000)))
    for shop_id, settings in zip(ids, OLD_SETTINGS, strict=True):
        raw = stored[shop_id]
        profile = shipping.profile_from_dict(json.loads(raw) if isinstance(raw, str) else raw)
        for destination, items, subtotal in carts:
            new = shipping.quote(
                profile, shop_country="FR", destination=destination, items=items,
                subtotal=subtotal,
            )  # fmt: skip
            old = old_rule(
                settings, shop_country="FR", destination=destination, items=items,
                subtotal=subtotal,
            )  # fmt: skip
            assert new.amount == old, (settings, destination, items, subtotal)
            assert new.service == "standard"
