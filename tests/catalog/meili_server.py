"""A tiny HTTP server that answers like Meilisearch and records every request it gets.

Not a mock object: the real client talks HTTP to it on a thread, so tests see exactly the
requests (paths, bodies, headers) the adapter sends. It keeps documents per index and
answers searches with a canned body set by the test.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.support import serving

ENQUEUED_AT = "2024-01-01T00:00:00.000000Z"


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class FakeMeilisearch:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    indexes: dict[str, dict[str, dict]] = field(default_factory=dict)
    tasks: dict[int, dict] = field(default_factory=dict)
    # Task types to fail, e.g. {"documentAdditionOrUpdate"}.
    failing: set[str] = field(default_factory=set)
    search_response: dict = field(default_factory=lambda: {"hits": [], "totalHits": 0})
    # Answers for the next searches, in order, before search_response is used again.
    next_search_responses: list[dict] = field(default_factory=list)
    _uids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def sent(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def __call__(self, environ, start_response):
        request = Request(environ)
        body = json.loads(request.get_data() or b"null")
        self.requests.append(
            Recorded(request.method, request.path, body, dict(request.headers.items()))
        )
        status, payload = self._answer(request.method, request.path.strip("/").split("/"), body)
        response = Response(json.dumps(payload), status=status, mimetype="application/json")
        return response(environ, start_response)

    def _answer(self, method: str, parts: list[str], body: Any) -> tuple[int, Any]:
        if parts[0] == "tasks" and method == "GET":
            return 200, self.tasks[int(parts[1])]
        if parts == ["indexes"] and method == "POST":
            self.indexes.setdefault(body["uid"], {})
            return self._task(body["uid"], "indexCreation")
        if parts == ["swap-indexes"] and method == "POST":
            a, b = body[0]["indexes"]
            self.indexes[a], self.indexes[b] = self.indexes.get(b, {}), self.indexes.get(a, {})
            return self._task(None, "indexSwap")
        uid = parts[1]
        if uid not in self.indexes:
            return 404, _error("index_not_found", f"Index `{uid}` not found.")
        rest = parts[2:]
        if method == "GET" and not rest:
            return 200, {
                "uid": uid,
                "primaryKey": "listing_id",
                "createdAt": ENQUEUED_AT,
                "updatedAt": ENQUEUED_AT,
            }
        if method == "DELETE" and not rest:
            del self.indexes[uid]
            return self._task(uid, "indexDeletion")
        if rest == ["settings"] and method == "PATCH":
            return self._task(uid, "settingsUpdate")
        if rest == ["documents"] and method == "POST":
            if "documentAdditionOrUpdate" not in self.failing:
                self.indexes[uid].update({doc["listing_id"]: doc for doc in body})
            return self._task(uid, "documentAdditionOrUpdate")
        if rest == ["documents", "delete-batch"] and method == "POST":
            for listing_id in body:
                self.indexes[uid].pop(listing_id, None)
            return self._task(uid, "documentDeletion")
        if rest[:1] == ["documents"] and method == "GET":
            document = self.indexes[uid].get(rest[1])
            if document is None:
                return 404, _error("document_not_found", f"Document `{rest[1]}` not found.")
            return 200, document
        if rest == ["search"] and method == "POST":
            if self.next_search_responses:
                return 200, self.next_search_responses.pop(0)
            return 200, self.search_response
        return 404, _error("not_found", f"no route for {method} /{'/'.join(parts)}")

    def _task(self, uid: str | None, kind: str) -> tuple[int, dict]:
        task_uid = next(self._uids)
        failed = kind in self.failing
        self.tasks[task_uid] = {
            "uid": task_uid,
            "indexUid": uid,
            "status": "failed" if failed else "succeeded",
            "type": kind,
            "error": _error("invalid_document_id", "Document identifier is invalid.")
            if failed
            else None,
            "enqueuedAt": ENQUEUED_AT,
        }
        return 202, {
            "taskUid": task_uid,
            "indexUid": uid,
            "status": "enqueued",
            "type": kind,
            "enqueuedAt": ENQUEUED_AT,
        }


def _error(code: str, message: str) -> dict[str, str]:
    return {"message": message, "code": code, "type": "invalid_request", "link": ""}


@contextmanager
def running_fake_meilisearch() -> Iterator[FakeMeilisearch]:
    fake = FakeMeilisearch()
    with serving(fake) as url:
        fake.url = url
        yield fake
