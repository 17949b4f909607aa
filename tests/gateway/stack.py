"""The real shops, catalog and orders services, each with its own migrated SQLite database,
served on threads with their workers running against the real broker."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import support
from tests.support import serving


@dataclass(frozen=True)
class ServiceUrls:
    shops_url: str
    catalog_url: str
    orders_url: str


def _migrated(package: str, url: str) -> None:

    module = importlib.import_module(package)
    support.migrate(Path(module.__file__).parent / "migrations", url)


@contextmanager
def running_services(tmp_path: Path, amqp_prefix: str) -> Iterator[ServiceUrls]:
    from services.catalog import app as catalog_app
    from services.catalog import bootstrap as catalog_bootstrap
    from services.catalog import config as catalog_config
    from services.catalog import worker as catalog_worker
    from services.orders import app as orders_app
    from services.orders import bootstrap as orders_bootstrap
    from services.orders import config as orders_config
    from services.orders import worker as orders_worker
    from services.shops import app as shops_app
    from services.shops import bootstrap as shops_bootstrap
    from services.shops import config as shops_config
    from services.shops import worker as shops_worker

    common = {
        "amqp_prefix": amqp_prefix,
        "service_token_secret": support.SECRET,
        "data_dir": tmp_path,
        "relay_interval": 0.02,
    }
    urls = {
        name: f"sqlite:///{tmp_path / (name + '.db')}" for name in ("shops", "catalog", "orders")
    }
    for name, url in urls.items():
        _migrated(f"services.{name}", url)

    with ExitStack() as stack:
        shops_runtime = shops_bootstrap.bootstrap(
            shops_config.Settings(database_url=urls["shops"], **common)
        )
        shops_url = stack.enter_context(serving(shops_app.create_app(shops_runtime)))
        catalog_runtime = catalog_bootstrap.bootstrap(
            catalog_config.Settings(
                database_url=urls["catalog"], index_path=tmp_path / "index.sqlite", **common
            )
        )
        catalog_url = stack.enter_context(serving(catalog_app.create_app(catalog_runtime)))
        orders_runtime = orders_bootstrap.bootstrap(
            orders_config.Settings(database_url=urls["orders"], shops_url=shops_url, **common)
        )
        orders_url = stack.enter_context(serving(orders_app.create_app(orders_runtime)))
        stack.enter_context(support.running(shops_worker.build(shops_runtime)))
        stack.enter_context(support.running(catalog_worker.build(catalog_runtime)))
        stack.enter_context(support.running(orders_worker.build(orders_runtime)))
        yield ServiceUrls(shops_url=shops_url, catalog_url=catalog_url, orders_url=orders_url)
