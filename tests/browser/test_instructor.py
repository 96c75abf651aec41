"""An instructor generates a set from a document, reviews and publishes it, opens a class;
a student joins with the code and studies; the instructor sees the review in the statistics."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register, screenshot
from tests.conftest import DATA

pytestmark = pytest.mark.browser
DOCUMENT = DATA / "import" / "apollo.txt"


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")


def study_one_card(page):
    """Answer whatever type comes first with the keyboard, then rate it Good (3)."""
    expect(page.locator("#card")).to_be_visible()
    if page.locator("#reveal").is_visible():
        page.keyboard.press("Space")
    elif page.locator(".choices button").count():
        page.keyboard.press("1")
    elif page.locator(".tf").is_visible():
        page.keyboard.press("t")
    else:
        page.locator("#answer-input").fill("1969")
        page.keyboard.press("Enter")
    expect(page.locator("#ratings")).to_be_visible()
    with page.expect_response(lambda r: "/api/v1/reviews" in r.url and r.request.method == "POST") as resp:
        page.keyboard.press("3")
    assert resp.value.status == 201


def test_instructor_generates_publishes_and_follows_a_student(live_server, page):
    base = live_server.url
    from studyapp.auth.instructors import invitation_code

    with live_server.app.app_context():
        invite = invitation_code("teacher@test.org")  # what `studyapp invite-instructor` prints
    register(page, base, "teacher@test.org", role="instructor", name="Tess Teacher", invite=invite)
    page.get_by_role("link", name="Teach").click()
    expect(page.get_by_role("heading", name="Teach", exact=True)).to_be_visible()

    # Generate from a document: the status page polls, then opens the review.
    page.get_by_role("button", name="Generate from a document").click()
    page.get_by_label("Document (.txt, .md or .pdf)").set_input_files(str(DOCUMENT))
    page.get_by_label("Set title").fill("Apollo program")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url(re.compile(r"/teach/sets/\d+/review"), timeout=60_000)
    set_id = int(re.search(r"/sets/(\d+)/", page.url).group(1))
    expect(page.locator(".source")).not_to_have_text("No source sentence.")
    screenshot(page, "teach-review")
    page.locator("#keep").click()
    expect(page.locator("header small")).to_contain_text("Question 2 of")
    page.locator("#drop").click()
    page.get_by_role("link", name="skip to the end →").click()
    expect(page.locator("#review-done")).to_contain_text("1 dropped")
    page.locator("#publish").click()
    expect(page.locator("#set-status")).to_have_text("published")
    screenshot(page, "teach-set")

    # A class with the set assigned.
    page.get_by_role("link", name="Teach").first.click()
    page.get_by_role("button", name="New class").click()
    page.get_by_label("Class name").fill("Space history")
    page.get_by_role("button", name="Create class").click()
    code = page.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    page.locator("#set_id").select_option(label="Apollo program")
    page.locator("#target").select_option("all_reviewed")
    page.locator("#assign").click()
    expect(page.locator("#class-sets")).to_contain_text("Apollo program")
    screenshot(page, "teach-class")
    log_out(page)

    # A student registers, joins with the code and studies one card.
    register(page, base, "sam@test.org", name="Sam Student")
    page.locator("details.join summary").click()
    page.get_by_label("Class code").fill(code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".flash")).to_contain_text("You joined Space history")
    card = page.locator(f'.set-card[data-set-id="{set_id}"]')
    expect(card).to_contain_text("Apollo program")
    card.get_by_role("button", name=re.compile("^Study")).click()
    page.wait_for_url(f"**/sets/{set_id}/study")
    study_one_card(page)
    log_out(page)

    # The instructor sees the review in the class statistics.
    page.get_by_label("E-mail").fill("teacher@test.org")
    page.get_by_label("Password").fill("browser-pass-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(base + "/teach/")
    page.get_by_role("link", name="Overview").click()
    row = page.locator("#overview tbody tr", has_text="sam@test.org")
    expect(row.locator(".reviews-7d")).to_have_text("1")
    expect(row).to_contain_text("1/")
    page.wait_for_timeout(300)  # the chart draws from JSON
    screenshot(page, "teach-stats")
    page.get_by_role("link", name="question analysis").click()
    expect(page.locator("#items tbody tr").first).to_be_visible()
    screenshot(page, "teach-items")
    page.goto(base + "/teach/")
    page.get_by_role("link", name="Space history").click()
    page.get_by_role("link", name="Sam Student").click()
    expect(page.locator("#headline")).to_contain_text("1 review")
    screenshot(page, "teach-student")
    page.goto(base + "/teach/")
    screenshot(page, "teach-home")
    assert page.js_errors == []
