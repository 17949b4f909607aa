"""JSON logs on stderr, one object per line, for every process."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from services.common.correlation import CorrelationFilter

# pika reports each failed connection attempt as about five ERROR lines from these modules;
# the worker reports each attempt itself, once, with the time until the next one.
_PIKA_CONNECTION_LOGGERS = (
    "pika.adapters.utils.connection_workflow",
    "pika.adapters.utils.io_services_utils",
    "pika.adapters.blocking_connection",
    "pika.adapters.base_connection",
)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "asctime": "time"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(CorrelationFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # pika logs every connection attempt at INFO; our worker reports outages itself.
    logging.getLogger("pika").setLevel(logging.WARNING)
    for name in _PIKA_CONNECTION_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
