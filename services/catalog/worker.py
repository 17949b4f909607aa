"""The catalog worker: indexes listing and shop events, relays the outbox.

python -m services.catalog.worker
"""

from __future__ import annotations

from services.catalog.bootstrap import CatalogRuntime, bootstrap
from services.catalog.db import InboxMessage, OutboxMessage
from services.catalog.handlers import CatalogHandlers
from services.common.logs import configure_logging
from services.common.messaging.worker import Worker
from services.common.runtime import build_worker, serve


def build(runtime: CatalogRuntime) -> Worker:
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        inbox_model=InboxMessage,
        handlers=CatalogHandlers(runtime.search_index).handlers(),
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("catalog-worker", runtime.settings.log_level)
    serve(runtime, build(runtime))


if __name__ == "__main__":
    main()
