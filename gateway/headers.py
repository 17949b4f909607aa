"""Security headers on every response of the shopper site and the seller portal.

No page runs inline script (every script is a file under /static), so the policy allows
scripts from this origin only: an injected <script> or onclick= does not run even if one
ever slipped past escaping. Photos are the sellers' own links, so images may come from any
HTTPS address. No other site may frame a page (clickjacking), browsers never guess a type
(a CSV download stays a download), and no address of ours leaks in a Referer elsewhere.
Pages for a signed-in person are never stored by the browser or a proxy; files the same for
everyone (the static files, the listing photos) keep their own caching.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# The same bytes for everyone, whoever asks: caching them reveals nothing of the person.
PUBLIC_FILES = {"static", "photos.photo_file"}


def configure_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint not in PUBLIC_FILES and current_user.is_authenticated:
            # Someone else at the same computer must not find the person's orders, messages
            # or customers in the browser's history or cache.
            response.headers["Cache-Control"] = "no-store"
        return response
