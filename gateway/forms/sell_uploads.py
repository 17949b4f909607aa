"""The inventory upload form (gateway/views/sell_uploads.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
)


class UploadForm(FlaskForm):
    file = FileField("Inventory file", description="CSV or tab-delimited, with a header row.")
    replace = BooleanField(
        "This file is my whole inventory: withdraw my listings it does not name",
        description="You will see how many first, and confirm.",
    )
