"""How a long-lived process sets up the garbage collector once it is built."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from services.common.memory import YOUNG_COLLECTION_THRESHOLD, tune_garbage_collector


def test_the_collector_skips_start_up_objects_and_runs_less_often():
    threshold = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_every_web_worker_tunes_the_collector_once_its_app_is_loaded():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy/gunicorn.conf.py"))
    threshold = gc.get_threshold()
    try:
        config["post_worker_init"](None)
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
