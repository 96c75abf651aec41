"""Deployment security settings: proxy headers, secure cookies. Called from the factory.

The Content-Security-Policy and the other response headers are set in
register_security_headers (studyapp/__init__.py); rate limits are per view (auth, API).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix


def _nul_in(value, where: str) -> str | None:
    """The name of the first field holding a NUL character, looking inside JSON too."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"{i}", v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        label = f"{where}.{key}" if where else str(key)
        found = _nul_in(key, label) or _nul_in(item, label)
        if found:
            return found
    return None


def reject_nul_characters() -> None:
    """No text anywhere in a request may hold a NUL character: PostgreSQL cannot store one,
    and no form or API field has a use for it. One check for every form, query parameter,
    uploaded file name and JSON field, answered with 400 naming the field."""
    pairs = [*request.args.items(multi=True), *request.form.items(multi=True),
             *((f"{name} (file name)", f.filename or "") for name, f in request.files.items(multi=True))]
    found = (_nul_in(request.path, "the address")
             or next((k for k, v in pairs if "\x00" in k or "\x00" in v), None)
             or (_nul_in(request.get_json(silent=True), "") if request.is_json else None))
    if found:
        raise BadRequest(f"The field '{found}' contains a NUL character (\\x00), which no "
                         "text may contain. Remove it and try again.")


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_characters)
    if app.config.get("BEHIND_PROXY"):
        # Behind nginx/a load balancer: trust its X-Forwarded-* (that many hops), so
        # request.is_secure, url_for(_external) and the rate limiter's client address are right.
        hops = int(app.config["BEHIND_PROXY"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        # Served over HTTPS: the session and remember-me cookies never travel in clear text.
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
