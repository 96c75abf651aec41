"""A student registers, studies with the keyboard alone, undoes, sees progress, takes a quiz."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register, screenshot

pytestmark = pytest.mark.browser


def answered(page):
    """Wait until the card's answer is shown (the page mirrors its phase in data-phase)."""
    expect(page.locator("#review")).to_have_attribute("data-phase", "answered")


def test_study_five_cards_with_keyboard_undo_and_progress(live_server, page):
    base = live_server.url
    register(page, base, "sam@test.org")
    expect(page.locator(".set-card")).to_contain_text("Mini history bank")
    page.get_by_role("button", name=re.compile("^Study")).click()

    card = page.locator("#prompt")
    # 1. Flashcard: Space reveals the back, 3 rates Good.
    expect(card).to_have_text("NASA")
    expect(page.locator(".rate.good .ivl")).to_have_text("10m")
    page.keyboard.press("Space")
    expect(page.locator(".expected")).to_contain_text("National Aeronautics")
    screenshot(page, "study")
    page.keyboard.press("3")
    # 2. Multiple choice: the number key picks a choice.
    expect(card).to_contain_text("Apollo 11")
    page.keyboard.press("2")
    answered(page)
    expect(page.locator(".verdict")).to_have_text("✓ Right")
    expect(page.locator(".rate.good")).to_have_class(re.compile("suggested"))
    page.keyboard.press("3")
    # 3. True/false: T answers true.
    expect(card).to_contain_text("Gagarin")
    page.keyboard.press("t")
    answered(page)
    expect(page.locator(".verdict")).to_have_text("✓ Right")
    page.keyboard.press("3")
    # 4. Short answer with a near-miss spelling: shown as nearly right, Again suggested.
    expect(card).to_contain_text("first president of Kazakhstan")
    page.keyboard.type("Nursultan Nazarbaev")
    page.keyboard.press("Enter")
    answered(page)
    expect(page.locator(".verdict")).to_contain_text("Nearly")
    expect(page.locator(".expected")).to_contain_text("Nursultan Nazarbayev")
    expect(page.locator(".rate.again")).to_have_class(re.compile("suggested"))
    page.keyboard.press("1")
    # 5. Numeric, typed with words and units.
    expect(card).to_contain_text("How many million dollars")
    page.keyboard.type("130 million dollars")
    page.keyboard.press("Enter")
    answered(page)
    expect(page.locator(".verdict")).to_have_text("✓ Right")
    page.keyboard.press("3")
    expect(card).to_contain_text("Diplomatic relations")
    # Undo (Ctrl+Z) brings the numeric card back.
    page.keyboard.press("Control+z")
    expect(page.locator(".status")).to_have_text("Last review undone.")
    expect(card).to_contain_text("How many million dollars")

    # Answer everything left with Easy until the session summary shows.
    for _ in range(20):
        expect(page.locator("#review")).to_have_attribute("data-phase", re.compile("question|done"))
        if page.locator("#review").get_attribute("data-phase") == "done":
            break
        kind = page.locator("#card").get_attribute("data-type")
        keys = {"flashcard": ["Space"], "multiple_choice": ["1"], "true_false": ["t"]}.get(kind)
        if keys is None:
            page.keyboard.type("1991")
            keys = ["Enter"]
        for key in keys:
            page.keyboard.press(key)
        answered(page)
        page.keyboard.press("4")
        expect(page.locator("#review")).not_to_have_attribute("data-phase", "answered")
    expect(page.locator("#summary")).to_be_visible()
    reviewed = int(page.locator(".s-reviewed").inner_text())
    assert reviewed >= 7  # the whole session, the four before the undo included
    assert int(page.locator(".s-right").inner_text()) + int(page.locator(".s-wrong").inner_text()) == reviewed
    expect(page.locator(".s-next")).to_contain_text("Next card due in")

    page.goto(base + "/progress")
    expect(page.locator("#headline")).to_contain_text(f"{reviewed} reviews in the last year")
    expect(page.locator("#headline")).to_contain_text(f"{reviewed} today")
    expect(page.locator("#empty")).to_be_hidden()
    expect(page.locator("#states-list")).to_contain_text("new: 0")
    page.wait_for_timeout(300)
    screenshot(page, "progress")
    assert page.js_errors == []


def test_quiz_and_results(live_server, page):
    base = live_server.url
    register(page, base, "quiz@test.org")
    # Before any review the progress page says what to do instead of drawing empty charts.
    page.goto(base + "/progress")
    expect(page.locator("#empty")).to_be_visible()
    expect(page.locator("#chart-heatmap")).to_be_hidden()
    expect(page.locator("#states-list")).to_contain_text("new: 7")
    page.get_by_role("link", name="Pick a set and study a few cards").click()
    page.get_by_role("button", name="Take a quiz").click()
    page.get_by_label("Number of questions").fill("3")
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(3):
        expect(page.locator(".quiz-form")).to_be_visible()
        if page.locator('input[type="radio"]').count():
            page.keyboard.press("1")
        else:
            box = page.get_by_label(re.compile("Your answer"))
            numeric = "(a number)" in page.locator("label[for=answer]").inner_text()
            box.fill("42" if numeric else "I do not know")
        page.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("heading", name="Quiz results")).to_be_visible()
    expect(page.locator("#score")).to_have_text(re.compile(r"^\d / 3$"))
    expect(page.locator(".result")).to_have_count(3)
    screenshot(page, "quiz-results")
    assert page.js_errors == []


def test_phone_width_dashboard_and_review(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    register(page, live_server.url, "phone@test.org")
    page.get_by_role("button", name=re.compile("^Study")).click()
    expect(page.locator("#prompt")).to_have_text("NASA")
    page.get_by_role("button", name=re.compile("Show answer")).click()
    # All four rating buttons fit on the screen without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for name in ("Again", "Hard", "Good", "Easy"):
        expect(page.get_by_role("button", name=re.compile(name))).to_be_visible()
    screenshot(page, "study-phone")
    context.close()
