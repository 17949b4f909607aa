"""How a worker process sets itself up before it consumes."""

from __future__ import annotations

import gc

from services.common.messaging.worker import YOUNG_COLLECTION_THRESHOLD, tune_garbage_collector


def test_the_collector_skips_start_up_objects_and_runs_less_often():
    threshold = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
