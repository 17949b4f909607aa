"""Forms and addresses must be UTF-8 text: anything else is refused, never stored garbled.

Werkzeug decodes form fields and query strings leniently, so a form posted with `%FF%FE`
would be saved as whatever those bytes decode to. A browser always sends UTF-8 from our
pages (they declare it), so a body that is not UTF-8 was made by hand: answer 400. So is a
NUL or another control character (tabs and line breaks aside), which nobody types.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request

from services.common.inputs import BadText, check_text

FORM_TYPE = "application/x-www-form-urlencoded"
NOT_UTF8 = (
    "The form sent text that is not valid UTF-8, or holds a control character. "
    "Reload the page and try again."
)


def is_utf8_urlencoded(data: bytes) -> bool:
    """Whether every name and value of an urlencoded body (or query string) is UTF-8 text
    without control characters."""
    for pair in data.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                check_text(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8"))
            except (UnicodeDecodeError, BadText):
                return False
    return True


def configure_encoding_check(app: Flask) -> None:
    """Register before anything reads the form (the CSRF check does)."""

    @app.before_request
    def refuse_text_that_is_not_utf8() -> None:
        if not is_utf8_urlencoded(request.query_string):
            abort(400, NOT_UTF8)
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype == FORM_TYPE:
            # Cached, so that the form is parsed from the same bytes afterwards.
            if not is_utf8_urlencoded(request.get_data(cache=True)):
                abort(400, NOT_UTF8)
