"""The gateway's worker: relays the account events of its outbox to the broker, and drops
the mailed tokens that have expired.

python -m gateway.worker
"""

from __future__ import annotations

from sqlalchemy import delete

from gateway.bootstrap import bootstrap
from gateway.db import AccountToken, OutboxMessage
from services.common.clock import utcnow
from services.common.logs import configure_logging
from services.common.messaging.worker import PeriodicJob, Worker
from services.common.runtime import Runtime, build_worker, serve

# Expired tokens open nothing (each use checks the time); this only keeps the table small.
TOKEN_PRUNE_SECONDS = 3600.0


def prune_expired_tokens(runtime: Runtime) -> int:
    with runtime.session_factory.begin() as session:
        pruned = session.execute(delete(AccountToken).where(AccountToken.expires_at <= utcnow()))
        return pruned.rowcount


def build(runtime: Runtime) -> Worker:
    return build_worker(
        runtime,
        outbox_model=OutboxMessage,
        jobs=[
            PeriodicJob(
                every=TOKEN_PRUNE_SECONDS,
                run=lambda: prune_expired_tokens(runtime),
                name="expired-account-tokens",
            )
        ],
    )


def main() -> None:
    runtime = bootstrap()
    configure_logging("gateway-worker", runtime.settings.log_level)
    serve(runtime, build(runtime))


if __name__ == "__main__":
    main()
