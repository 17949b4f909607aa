"""What every shops endpoint shares: one transaction per request, domain errors as 4xx."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.db import reading
from services.common.inputs import CurrencyCode, MinorUnits
from services.common.runtime import Runtime
from services.common.web import ApiError
from services.shops.domain import Conflict, IllegalTransition, InvalidInput, NotFound, OwnerOnly


class Body(BaseModel):
    # The gateway may send more than we read; unknown fields are ignored, not refused.
    model_config = ConfigDict(extra="ignore")


class PriceIn(Body):
    amount: MinorUnits
    currency: CurrencyCode | None = None


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


@contextmanager
def transaction(*, read_only: bool = False) -> Iterator[Session]:
    """One transaction per request; a refused rule rolls it back and becomes a 4xx.

    A `read_only` one reads a snapshot without waiting for the database's writers.
    """
    try:
        if read_only:
            with reading(runtime().session_factory) as session:
                yield session
        else:
            with runtime().session_factory.begin() as session:
                yield session
    except InvalidInput as error:
        raise ApiError(422, str(error), fields=error.fields) from error
    except NotFound as error:
        raise ApiError(404, str(error)) from error
    except OwnerOnly as error:
        raise ApiError(403, str(error)) from error
    except (Conflict, IllegalTransition) as error:
        raise ApiError(409, str(error)) from error
    except IntegrityError as error:
        # A concurrent request took the same unique value between our check and our write.
        message = "this clashes with a change made at the same moment; try again"
        raise ApiError(409, message) from error


def int_arg(name: str, *, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(422, f"{name} must be a whole number from {low} to {high}")
    return value


def bool_arg(name: str) -> bool | None:
    raw = request.args.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "true", "yes"):
        return True
    if raw in ("0", "false", "no"):
        return False
    raise ApiError(422, f"{name} must be true or false")
