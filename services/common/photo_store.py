"""Where photo files live: one small port, a filesystem adapter and an S3 adapter.

The shops service writes and deletes; the web process that serves pages reads. Names are
content hashes (services/shops/photos/processing.py), so a file never changes once written
and may be cached for a year.

Settings (environment): PHOTO_STORE=filesystem (the default, files under DATA_DIR/photos)
or s3, with S3_BUCKET, S3_ENDPOINT_URL (for MinIO or any S3-compatible server), S3_REGION
and the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import default_data_dir

# A year: names are content hashes, so a name always means the same bytes.
CACHE_CONTROL = "public, max-age=31536000, immutable"
_NAME = re.compile(r"[0-9a-f]{16,64}-[a-z]{2,10}\.[a-z]{2,5}")


class MissingPhoto(LookupError):
    pass


def check_name(name: str) -> str:
    """Refuse anything but a stored photo's name: no paths, no dots, nothing to escape with."""
    if not _NAME.fullmatch(name):
        raise MissingPhoto(name)
    return name


class PhotoStore(Protocol):
    def put(self, name: str, data: bytes, *, content_type: str) -> None: ...

    def get(self, name: str) -> bytes:
        """The file's bytes; MissingPhoto when there is none."""
        ...

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None:
        """Remove the file; a name already gone is no error (deleting twice is safe)."""
        ...


class FilesystemPhotoStore:
    """Files under `root`, spread over 256 folders by the name's first two characters."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path:
        check_name(name)
        return self.root / name[:2] / name

    def put(self, name: str, data: bytes, *, content_type: str) -> None:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes:
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError as error:
            raise MissingPhoto(name) from error

    def exists(self, name: str) -> bool:
        try:
            return self.path(name).is_file()
        except MissingPhoto:
            return False

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)


class S3PhotoStore:
    """Objects in one bucket of S3 or of any S3-compatible server (MinIO, moto)."""

    def __init__(self, client: Any, bucket: str, *, prefix: str = "photos/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, name: str) -> str:
        return self.prefix + check_name(name)

    def put(self, name: str, data: bytes, *, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(name),
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )

    def get(self, name: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except self.client.exceptions.NoSuchKey as error:
            raise MissingPhoto(name) from error
        return response["Body"].read()

    def exists(self, name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except MissingPhoto:
            return False
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, name: str) -> None:
        # S3 answers 204 whether or not the object was there.
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


class PhotoSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    store: Literal["filesystem", "s3"] = Field(default="filesystem", alias="PHOTO_STORE")
    data_dir: Path = Field(default_factory=default_data_dir, alias="DATA_DIR")
    s3_bucket: str = Field(default="storefront-photos", alias="S3_BUCKET")
    s3_endpoint_url: str | None = Field(default=None, alias="S3_ENDPOINT_URL")
    s3_region: str = Field(default="us-east-1", alias="S3_REGION")


def photo_store(settings: PhotoSettings | None = None) -> PhotoStore:
    settings = settings or PhotoSettings()
    if settings.store == "s3":
        return S3PhotoStore(s3_client(settings), settings.s3_bucket)
    return FilesystemPhotoStore(settings.data_dir / "photos")


def s3_client(settings: PhotoSettings) -> Any:
    import boto3  # only a deployment that stores in S3 pays for importing it
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        # Path-style addressing: what MinIO and other S3-compatible servers expect.
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )
