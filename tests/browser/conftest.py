"""A live server on 127.0.0.1 (fresh SQLite database) and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from studyapp import create_app, jobs
from studyapp.bank import load_banks
from studyapp.extensions import db
from tests.conftest import MINI_BANK

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}",
                      "SECRET_KEY": "browser-test", "RATELIMIT_ENABLED": False,
                      "JOBS_BACKEND": "inprocess"})
    with app.app_context():
        db.create_all()
        load_banks([MINI_BANK])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    yield server
    server.shutdown()
    jobs.backend(app).stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors
    yield pg
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def register(page, base: str, email: str, role: str = "student", name: str = "Sam Student",
             invite: str = ""):
    """Register through the form; an instructor opens the administrator's invitation link."""
    page.goto(base + "/register" + (f"?invite={invite}" if invite else ""))
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill("browser-pass-1")
    page.get_by_label("Repeat the password").fill("browser-pass-1")
    page.get_by_role("radio", name="Instructor" if role == "instructor" else "Student").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/dashboard")
