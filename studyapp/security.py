"""Deployment security settings: proxy headers, secure cookies. Called from the factory.

The Content-Security-Policy and the other response headers are set in
register_security_headers (studyapp/__init__.py); rate limits are per view (auth, API).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    if app.config.get("BEHIND_PROXY"):
        # Behind nginx/a load balancer: trust its X-Forwarded-* (that many hops), so
        # request.is_secure, url_for(_external) and the rate limiter's client address are right.
        hops = int(app.config["BEHIND_PROXY"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        # Served over HTTPS: the session and remember-me cookies never travel in clear text.
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
