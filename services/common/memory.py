"""The cyclic garbage collector's settings for a long-lived process, worker or web.

A batch of messages or a request allocates objects by the thousand (decoded payloads,
events, rows), nearly all freed by reference counting alone. At the collector's default
threshold (700) it also ran a young collection every few hundred of them and, every so
often, a full one through all the process holds: a quarter of the catalog worker's CPU in
a bulk upload, a twentieth of the orders web's at checkout.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Set up the collector for a process once it is built (its app or worker loaded).

    What exists by then (modules, mappers, compiled statements) lives as long as the
    process: frozen, full collections no longer walk through it again and again."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
