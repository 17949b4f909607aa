"""Whatever a shop exports as its inventory, it can upload again and change nothing."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from alembic import command

from services.common.migrations import alembic_config
from services.shops.db import OutboxMessage
from services.shops.domain import stable_sku
from tests.shops.conftest import MIGRATIONS

pytestmark = pytest.mark.integration


def export(shops, seller, shop_id: str) -> str:
    response = shops.client.get(f"/shops/{shop_id}/export/inventory.csv", headers=seller.headers())
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_listing_without_a_sku_gets_a_stable_one(shops, seller):
    shop = shops.open_shop(seller)

    listing = shops.add_listing(seller, shop["id"])
    cleared = shops.client.patch(
        f"/shops/{shop['id']}/listings/{listing['id']}",
        json={"sku": None},
        headers=seller.headers(),
    )

    assert re.fullmatch(r"L-[0-9A-F]{10}", listing["sku"])
    assert listing["sku"] == stable_sku(listing["id"])
    # Clearing it gives the same one back: nothing changed, no new revision.
    assert cleared.status_code == 200, cleared.get_json()
    assert (cleared.get_json()["sku"], cleared.get_json()["revision"]) == (listing["sku"], 1)


def test_the_long_stable_sku_is_the_whole_id():
    # For the rare shop that already uses a listing's short one as a SKU of its own.
    listing_id = "2458ea83-6da7-4199-8078-ffd0a076d3f6"

    assert stable_sku(listing_id) == "L-2458EA836D"
    assert stable_sku(listing_id, short=False) == "L-2458EA836DA741998078FFD0A076D3F6"


def test_an_exported_inventory_uploads_back_and_changes_nothing(shops, seller):
    shop = shops.open_shop(seller)
    shops.add_listing(seller, shop["id"], sku="OWN-1", title="Dune", quantity=3)
    for title in ("Emma", "Ulysses", "Moby Dick, or The Whale"):
        shops.add_listing(seller, shop["id"], title=title, description="Sound; clean\n2nd line")
    shops.add_listing(seller, shop["id"], title="Atlas", categories=["Maps", "Travel"])
    revisions = shops.get_listing_revisions(shop["id"])
    events = shops.count(OutboxMessage)

    job = shops.upload(seller, shop["id"], export(shops, seller, shop["id"]))

    assert job["status"] == "done", job
    assert job["errors"] == []
    assert (job["rows_total"], job["rows_rejected"], job["rows_created"]) == (5, 0, 0)
    assert job.get("rows_updated", 0) == 0
    assert shops.get_listing_revisions(shop["id"]) == revisions
    assert shops.count(OutboxMessage) == events  # nothing to announce


def test_the_migration_gives_listings_without_a_sku_their_stable_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'shops.db'}"
    config = alembic_config(MIGRATIONS, url)
    command.upgrade(config, "5b0b50000002")
    engine = sa.create_engine(url)
    shop_id, bare, own = (str(uuid.uuid4()) for _ in range(3))
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO shop (id, slug, name, signature, about, currency, created_at)"
                " VALUES (:id, 's', 'S', 'S', '', 'EUR', '2026-01-01')"
            ),
            {"id": shop_id},
        )
        for listing_id, sku in ((bare, None), (own, "OWN-1")):
            connection.execute(
                sa.text(
                    "INSERT INTO listing (id, shop_id, sku, title, description, price_amount,"
                    " price_currency, quantity, revision, created_at, updated_at) VALUES"
                    " (:id, :shop, :sku, 'T', '', 100, 'EUR', 1, 1, '2026-01-01', '2026-01-01')"
                ),
                {"id": listing_id, "shop": shop_id, "sku": sku},
            )

    command.upgrade(config, "head")

    with engine.connect() as connection:
        skus = dict(connection.execute(sa.text("SELECT id, sku FROM listing")).all())
    assert skus == {bare: stable_sku(bare), own: "OWN-1"}
    engine.dispose()
