"""Upload an inventory file to a shop and follow it to the end with a progress bar.

    python -m services.shops.cli.upload --shop <shop_id> --user <user_id> inventory.csv

Talks to the shops API like any other caller (SHOPS_URL, default http://127.0.0.1:8001),
with a service token signed by SERVICE_TOKEN_SECRET for the given user, who must be a
member of the shop. Exits 0 when the file was applied (rejected rows are listed), 1 when
the upload failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import requests

from services.common.auth import Principal, issue_token
from services.common.settings import CommonSettings

BAR_WIDTH = 30
ERRORS_SHOWN = 20


def progress_bar(job: dict[str, Any]) -> str:
    total, done = job.get("rows_total"), job["rows_done"]
    if not total:
        return f"{job['status']}: reading the file..."
    filled = BAR_WIDTH * done // total
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {100 * done // total:3d}% "
        f"{done}/{total} rows, {job['rows_rejected']} rejected"
    )


class ShopsApi:
    def __init__(self, *, url: str, secret: str, user_id: str) -> None:
        self.url, self.secret, self.user_id = url.rstrip("/"), secret, user_id

    def _headers(self) -> dict[str, str]:
        # A fresh short-lived token per request: an upload can outlast one token.
        token = issue_token(Principal(self.user_id, "inventory upload"), secret=self.secret)
        return {"Authorization": f"Bearer {token}"}

    def _answer(self, response: requests.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            message = response.json().get("error") if response.content else response.reason
            raise SystemExit(f"the shops service said {response.status_code}: {message}")
        return response.json()

    def upload(self, shop_id: str, path: Path) -> dict[str, Any]:
        with path.open("rb") as handle:
            response = requests.post(
                f"{self.url}/shops/{shop_id}/uploads",
                params={"filename": path.name},
                data=handle,
                headers=self._headers() | {"Content-Type": "text/csv"},
                timeout=300,
            )
        return self._answer(response)

    def job(self, shop_id: str, job_id: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.url}/shops/{shop_id}/uploads/{job_id}", headers=self._headers(), timeout=30
        )
        return self._answer(response)


def follow(
    api: ShopsApi, shop_id: str, job_id: str, *, out: TextIO, every: float = 0.5
) -> dict[str, Any]:
    while True:
        job = api.job(shop_id, job_id)
        out.write("\r" + progress_bar(job))
        out.flush()
        if job["status"] in ("done", "failed"):
            out.write("\n")
            return job
        time.sleep(every)


def report(job: dict[str, Any], out: TextIO) -> None:
    if job["status"] == "failed":
        out.write(f"upload failed: {job['failure']}\n")
        return
    out.write(
        f"{job['rows_created']} created, {job['rows_updated']} updated, "
        f"{job['rows_unchanged']} unchanged, {job['rows_rejected']} rejected\n"
    )
    if job["unknown_columns"]:
        out.write("columns ignored: " + ", ".join(job["unknown_columns"]) + "\n")
    for error in job["errors"][:ERRORS_SHOWN]:
        out.write(f"  line {error['line']}, {error['field']}: {error['reason']}\n")
    if job["rows_rejected"] > ERRORS_SHOWN:
        out.write(f"  ... see GET /shops/{job['shop_id']}/uploads/{job['id']} for more\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.shops.cli.upload")
    parser.add_argument("--shop", required=True, help="the shop's id")
    parser.add_argument("--user", required=True, help="the id of a member of the shop")
    parser.add_argument("--url", default=os.environ.get("SHOPS_URL", "http://127.0.0.1:8001"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    api = ShopsApi(url=args.url, secret=CommonSettings().service_token_secret, user_id=args.user)
    job = api.upload(args.shop, args.file)
    print(f"uploaded {args.file.name}: job {job['id']}", file=sys.stderr)
    job = follow(api, args.shop, job["id"], out=sys.stderr)
    report(job, sys.stdout)
    return 1 if job["status"] == "failed" else 0


if __name__ == "__main__":
    sys.exit(main())
