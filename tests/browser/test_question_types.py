"""Multiple answer, matching and ordering on the review screen and in a quiz, with the
keyboard: number keys tick options, letters pick in a select, Alt+arrows move items."""

import re

import pytest
from playwright.sync_api import expect

from studyapp.extensions import db
from studyapp.teach.service import create_set, save_question
from tests.browser.conftest import register, screenshot

pytestmark = pytest.mark.browser

MULTI = {"type": "multiple_answer", "prompt": "Which planets have rings?",
         "answer": ["Saturn", "Uranus"], "choices": ["Saturn", "Mars", "Uranus", "Venus"]}
MATCH = {"type": "matching", "prompt": "Match each agency to its country.",
         "pairs": [["NASA", "United States"], ["ESA", "Europe"], ["JAXA", "Japan"]]}
ORDER = {"type": "ordering", "prompt": "Put these in order, earliest first.",
         "items": ["Sputnik 1", "Vostok 1", "Apollo 11", "Skylab"]}


@pytest.fixture
def space_set(live_server):
    with live_server.app.app_context():
        qset = create_set(None, "Space types", status="published", is_public=True)
        for q in (MULTI, MATCH, ORDER):
            save_question(qset, dict(q))
        sid = qset.id
        db.session.remove()
    return sid


def answered(page):
    expect(page.locator("#review")).to_have_attribute("data-phase", "answered")


def put_in_order(page, scope, wanted):
    """Alt+Up on the focused item until each item is in place (keyboard only)."""
    for target, text in enumerate(wanted):
        rows = scope.locator(".order-item")
        texts = rows.locator(".order-text").all_text_contents()
        now = texts.index(text)
        rows.nth(now).locator(".rank").focus()
        for _ in range(now - target):
            page.keyboard.press("Alt+ArrowUp")
    expect(scope.locator(".order-text")).to_have_text(wanted)


def test_study_the_new_types_with_the_keyboard(live_server, page, space_set):
    base = live_server.url
    register(page, base, "rings@test.org")
    page.goto(f"{base}/sets/{space_set}/study")
    card = page.locator("#prompt")

    # Multiple answer: 1 and 3 tick Saturn and Uranus, Enter checks.
    expect(card).to_have_text(MULTI["prompt"])
    page.keyboard.press("1")
    page.keyboard.press("2")  # Mars: a wrong tick ...
    page.keyboard.press("2")  # ... taken back
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    answered(page)
    expect(page.locator(".verdict")).to_have_text("✓ Right")
    expect(page.locator(".widget .choice.is-answer")).to_have_count(2)
    page.keyboard.press("4")  # Easy: out of today's learning steps

    # Matching: the first select has the focus; a letter picks an option, Tab moves on.
    expect(card).to_have_text(MATCH["prompt"])
    for letter in ("U", "J", "E"):  # NASA → United States (right), ESA → Japan, JAXA → Europe
        page.keyboard.press(letter)
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    answered(page)
    expect(page.locator(".verdict")).to_contain_text("Partly right (33%)")
    expect(page.locator(".match-row.is-wrong")).to_have_count(2)
    expect(page.locator(".rate.hard")).to_have_class(re.compile("suggested"))
    screenshot(page, "study-matching")
    page.keyboard.press("4")

    # Ordering: Alt+Up moves the focused item; the positions follow.
    expect(card).to_have_text(ORDER["prompt"])
    widget = page.locator(".widget .answer-widget")
    put_in_order(page, widget, ORDER["items"])
    expect(widget.locator(".rank").nth(0)).to_have_value("1")
    screenshot(page, "study-ordering")
    page.keyboard.press("Enter")
    answered(page)
    expect(page.locator(".verdict")).to_have_text("✓ Right")
    page.keyboard.press("4")
    expect(page.locator("#summary")).to_be_visible()
    assert page.js_errors == []


def test_quiz_with_the_new_types(live_server, page, space_set):
    base = live_server.url
    register(page, base, "quiz@test.org")
    page.goto(f"{base}/sets/{space_set}/quiz")
    page.get_by_label("Number of questions").fill("3")
    page.get_by_role("button", name=re.compile("Start")).click()
    for _ in range(3):
        prompt = page.locator("h2.prompt").text_content()
        if prompt == MULTI["prompt"]:
            page.keyboard.press("1")  # Saturn only: half marks
        elif prompt == MATCH["prompt"]:
            for select, value in zip(page.locator("select[name=match]").all(), ("United States", "Europe", "Japan"),
                                     strict=True):
                select.focus()
                page.keyboard.press(value[0])
        else:
            put_in_order(page, page.locator(".answer-widget"), ORDER["items"])
        button = page.get_by_role("button", name="Answer")
        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.locator("#score")).to_have_text("2.5 / 3")
    expect(page.locator(".result.partial")).to_contain_text("partly right (50%)")
    screenshot(page, "quiz-new-types")
    assert page.js_errors == []
