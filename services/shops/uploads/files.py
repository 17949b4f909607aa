"""The uploaded file: kept in the service's own database in pieces, read back as a stream
of rows. Memory stays flat whatever the file's size: one piece and one row at a time."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.shops.db import UploadChunk
from services.shops.uploads.columns import Header, read_header

CHUNK_BYTES = 1024 * 1024
MAX_BYTES = 256 * 1024 * 1024


class FileTooLarge(Exception):
    pass


def store_file(session: Session, *, job_id: str, source: BinaryIO) -> int:
    """Copy `source` into the job's pieces; return its size in bytes."""
    size = 0
    for seq in itertools.count():
        data = source.read(CHUNK_BYTES)
        if not data:
            break
        size += len(data)
        if size > MAX_BYTES:
            raise FileTooLarge(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        session.add(UploadChunk(job_id=job_id, seq=seq, data=data))
        session.flush()  # one piece in memory at a time, not the whole file
    return size


def forget_file(session: Session, *, job_id: str) -> None:
    session.execute(delete(UploadChunk).where(UploadChunk.job_id == job_id))


class _Pieces(io.RawIOBase):
    """A readable byte stream over the stored pieces, fetched one by one when needed."""

    def __init__(self, fetch: Callable[[int], bytes | None]) -> None:
        self.fetch = fetch
        self.seq = 0
        self.buffer = b""
        self.exhausted = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # type: ignore[override]
        while not self.buffer and not self.exhausted:
            piece = self.fetch(self.seq)
            self.seq += 1
            if piece is None:
                self.exhausted = True
            else:
                self.buffer = piece
        count = min(len(target), len(self.buffer))
        target[:count] = self.buffer[:count]
        self.buffer = self.buffer[count:]
        return count


class RowReader:
    """The file's header and its non-blank rows, numbered by the line each starts on.

    The session used to fetch pieces is set per step (`use`), because the worker reads the
    file inside the very transaction that applies its rows.
    """

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.session: Session | None = None
        self.position = 0  # rows handed out so far
        text = io.TextIOWrapper(
            io.BufferedReader(_Pieces(self._fetch), buffer_size=CHUNK_BYTES),
            encoding="utf-8-sig",
            errors="replace",
            newline="",
        )
        self._text = text
        self._rows: Iterator[tuple[int, list[str]]] | None = None
        self.header: Header | None = None

    def use(self, session: Session) -> RowReader:
        self.session = session
        return self

    def _fetch(self, seq: int) -> bytes | None:
        assert self.session is not None, "call use(session) before reading"
        return self.session.scalar(
            select(UploadChunk.data).where(
                UploadChunk.job_id == self.job_id, UploadChunk.seq == seq
            )
        )

    def open(self) -> Header:
        first = self._text.readline()
        # Abebooks-style files are tab-delimited; everything else here is a CSV.
        delimiter = "\t" if "\t" in first else ","
        reader = csv.reader(itertools.chain([first], self._text), delimiter=delimiter)
        self.header = read_header(next(reader, []))
        self._rows = self._numbered(reader)
        return self.header

    @staticmethod
    def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
        previous_end = reader.line_num
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            # Blank when every cell is: one join and strip instead of a strip per cell.
            if "".join(cells).strip():
                yield start, cells

    def take(self, count: int) -> list[tuple[int, list[str]]]:
        assert self._rows is not None, "open() the file first"
        rows = list(itertools.islice(self._rows, count))
        self.position += len(rows)
        return rows

    def skip(self, count: int) -> None:
        while count > 0:
            taken = len(self.take(min(count, 10_000)))
            if not taken:
                return
            count -= taken

    def count_rest(self) -> int:
        """How many rows remain; reading them all once is cheap next to applying them."""
        assert self._rows is not None, "open() the file first"
        return sum(1 for _ in self._rows)
