// The review screen: fetches cards from /api/v1, grades typed answers on the server,
// records ratings with a client review id (so a retry records once), supports undo.
(function () {
  "use strict";
  const root = document.getElementById("review");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const setId = Number(root.dataset.setId);
  const sessionStart = new Date().toISOString();
  let current = null;
  let shownAt = 0;
  let phase = "idle"; // idle | question | answered | done (mirrored in data-phase for tests)
  function setPhase(p) { phase = p; root.dataset.phase = p; }
  function setBusy(b) { busy = b; root.dataset.busy = b ? "1" : ""; }
  let lastReviewId = null;
  let givenAnswer = null;
  let widget = null; // the answer widget of a structured card (widgets.js), else null
  let busy = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "r" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  async function api(url, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers["Accept"] = "application/json";
    if (opts.body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.headers["X-CSRFToken"] = csrf;
      opts.body = JSON.stringify(opts.body);
    }
    // Retry network failures: the review id makes a repeated submission harmless.
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(url, opts);
        const data = await res.json().catch(() => ({}));
        if (!res.ok) {
          const err = new Error(data.error || ("HTTP " + res.status));
          err.status = res.status;
          throw err;
        }
        return data;
      } catch (e) {
        if (e.status || attempt >= 3) throw e;
        status("Connection lost, retrying…");
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
  }

  function status(msg, isError) {
    const el = $(".status");
    el.textContent = msg || "";
    el.classList.toggle("error", !!isError);
  }

  let newToday = 0;
  // Full counts come with the first card and after an undo; after each review the reply
  // carries due and learning, and whether the card was new (one fewer new card today).
  function setCounts(c) {
    if (!c) return;
    if (c.new_today !== undefined) newToday = c.new_today;
    $(".q-due").textContent = c.due;
    $(".q-new").textContent = newToday;
    $(".q-learning").textContent = c.learning;
  }

  // The server always picks the next card (due first, then new), so the order is exact
  // even when a learning card comes due mid-session.
  function showNext(queueData) {
    setCounts(queueData.counts);
    const next = queueData.cards[0];
    if (next) show(next); else finish();
  }

  function show(card) {
    current = card;
    givenAnswer = null;
    shownAt = performance.now();
    setPhase("question");
    $("#summary").hidden = true;
    $("#card").hidden = false;
    $("#card").dataset.type = card.type;
    $("#card").dataset.input = card.input;
    $(".card-kind").textContent = (card.topic ? card.topic + " · " : "") + card.fact_kind;
    $(".card-state").textContent = card.is_new ? "new" : card.state;
    $("#prompt").textContent = card.prompt;
    $(".answer-changed").hidden = !card.answer_changed;
    $("#back").hidden = true;
    for (const sel of [".verdict", ".expected", ".explanation", ".source"]) $(sel).textContent = "";
    $("#ratings").hidden = true;
    for (const b of root.querySelectorAll(".rate")) b.classList.remove("suggested");
    root.querySelectorAll(".ivl").forEach((el) => {
      const r = el.parentElement.dataset.rating;
      el.textContent = card.intervals[r] || "";
    });
    const form = $("#answer-form");
    const choices = $(".choices");
    choices.innerHTML = "";
    $(".widget").innerHTML = "";
    widget = null;
    $(".typed").hidden = true;
    $(".tf").hidden = true;
    $("#check").hidden = false;
    if (card.input === "reveal") {
      form.hidden = true;
      $("#reveal").hidden = false;
      $("#reveal").focus();
      return;
    }
    $("#reveal").hidden = true;
    form.hidden = false;
    if (window.AnswerWidgets && AnswerWidgets.has(card.input)) {
      widget = AnswerWidgets.create(card);
      $(".widget").appendChild(widget);
      const first = widget.querySelector("input, select");
      if (first) first.focus();
    } else if (card.input === "choice") {
      $("#check").hidden = true;
      card.choices.forEach((text, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "choice secondary outline";
        b.dataset.choice = text;
        const k = document.createElement("kbd");
        k.textContent = String(i + 1);
        b.appendChild(k);
        b.appendChild(document.createTextNode(" " + text));
        b.addEventListener("click", () => check(text));
        choices.appendChild(b);
      });
      const first = choices.querySelector("button");
      if (first) first.focus();
    } else if (card.input === "truth") {
      $("#check").hidden = true;
      $(".tf").hidden = false;
      $(".tf button").focus();
    } else {
      $(".typed").hidden = false;
      const input = $("#answer-input");
      input.disabled = false;
      input.value = "";
      input.inputMode = card.input === "number" ? "decimal" : "text";
      input.focus();
    }
  }

  function revealFlashcard() {
    if (phase !== "question" || current.input !== "reveal") return;
    setPhase("answered");
    $("#reveal").hidden = true;
    showBack({ expected: current.back, explanation: current.explanation, source: current.source,
               correct: null, suggested_rating: current.suggested_rating });
  }

  function showBack(result) {
    const back = $("#back");
    back.hidden = false;
    // One verdict, then the note only if it says something more (the server leaves it
    // empty otherwise), the answer once, the explanation once, the source only if it adds.
    const verdict = $(".verdict");
    verdict.className = "verdict";
    const label = result.correct === true ? "✓ Right" : result.score > 0 ? "◐ " + result.message
      : result.correct === false ? (result.near ? "≈ Nearly right" : "✗ Not quite") : "";
    verdict.textContent = label && result.note ? label + " — " + result.note : label;
    if (result.correct !== null) {
      verdict.classList.add(result.correct ? "right" : result.score > 0 ? "partial" : result.near ? "near" : "wrong");
    }
    const shownExpected = current.input === "truth" ? (result.expected === "true" ? "True" : "False") : result.expected;
    $(".expected").textContent = (current.input === "reveal" ? "" : "Answer: ") + shownExpected;
    $(".explanation").textContent = [result.feedback, result.explanation && result.explanation !== shownExpected ? result.explanation : ""].filter(Boolean).join(" ");
    if (widget) AnswerWidgets.mark(widget, result.key);
    const src = $(".source");
    src.hidden = !result.source;
    src.textContent = result.source || "";
    $("#ratings").hidden = false;
    const suggested = root.querySelector('.rate[data-rating="' + result.suggested_rating + '"]');
    if (suggested) { suggested.classList.add("suggested"); suggested.focus(); }
    root.querySelectorAll(".choice").forEach((b) => {
      b.disabled = true;
      if (b.dataset.choice === result.expected) b.classList.add("is-answer");
      if (b.dataset.choice === givenAnswer && givenAnswer !== result.expected) b.classList.add("is-wrong");
    });
  }

  async function check(answer) {
    if (phase !== "question" || busy) return;
    if (typeof answer === "string" && answer.trim() === "") { status("Type an answer first.", true); return; }
    setBusy(true);
    try {
      const result = await api(root.dataset.checkUrl, { method: "POST", body: { question_id: current.question_id, answer: answer } });
      givenAnswer = answer;
      setPhase("answered");
      status("");
      $("#check").hidden = true;
      $(".tf").hidden = true;
      $("#answer-input").disabled = true;
      showBack(result);
    } catch (e) {
      status(e.message, true);
    } finally {
      setBusy(false);
      $("#answer-input").disabled = phase !== "question";
    }
  }

  async function rate(rating) {
    if (phase !== "answered" || busy) return;
    setBusy(true);
    const reviewId = uuid();
    const body = { question_id: current.question_id, rating: rating, review_id: reviewId,
                   duration_ms: Math.min(Math.round(performance.now() - shownAt), 86400000),
                   next_set_id: setId };
    if (givenAnswer !== null) body.answer = givenAnswer;
    try {
      const data = await api(root.dataset.reviewUrl, { method: "POST", body: body });
      lastReviewId = reviewId;
      $("#undo").disabled = false;
      status("");
      current = null;
      if (data.was_new && data.created) newToday = Math.max(0, newToday - 1);
      showNext(data.next);
    } catch (e) {
      status("Not saved: " + e.message, true);
    } finally {
      setBusy(false);
    }
  }

  async function finish() {
    setPhase("done");
    $("#card").hidden = true;
    const s = await api(root.dataset.summaryUrl + "?set_id=" + setId + "&since=" + encodeURIComponent(sessionStart));
    $(".s-reviewed").textContent = s.reviewed;
    $(".s-right").textContent = s.right;
    $(".s-wrong").textContent = s.wrong;
    const m = Math.floor(s.seconds / 60), sec = s.seconds % 60;
    $(".s-time").textContent = (m ? m + "m " : "") + sec + "s";
    $(".s-next").textContent = s.next_due_in ? "Next card due in " + s.next_due_in + "." : "No cards scheduled yet.";
    if (!s.reviewed) $("#summary h2").textContent = "Nothing to review right now";
    $("#summary").hidden = false;
    $("#summary a").focus();
  }

  async function undo() {
    if (!lastReviewId || busy) return;
    setBusy(true);
    try {
      const data = await api(root.dataset.undoUrl, { method: "POST", body: { review_id: lastReviewId, set_id: setId } });
      lastReviewId = null;
      $("#undo").disabled = true;
      status("Last review undone.");
      setCounts(data.counts);
      show(data.undone);
    } catch (e) {
      status(e.status === 409 ? "Nothing to undo." : e.message, true);
    } finally {
      setBusy(false);
    }
  }

  $("#answer-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (widget) check(AnswerWidgets.value(widget));
    else if (current && current.input !== "choice" && current.input !== "truth") check($("#answer-input").value);
  });
  $("#reveal").addEventListener("click", revealFlashcard);
  root.querySelectorAll(".tf button").forEach((b) => b.addEventListener("click", () => check(b.dataset.tf)));
  root.querySelectorAll(".rate").forEach((b) => b.addEventListener("click", () => rate(Number(b.dataset.rating))));
  $("#undo").addEventListener("click", undo);

  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "z") { ev.preventDefault(); undo(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const typing = ev.target && ev.target.id === "answer-input" && phase === "question";
    if (typing) return;
    if (phase === "question") {
      if ((ev.key === " " || ev.key === "Enter") && current.input === "reveal") { ev.preventDefault(); revealFlashcard(); }
      else if (current.input === "choice" && /^[1-9]$/.test(ev.key)) {
        const c = current.choices[Number(ev.key) - 1];
        if (c !== undefined) { ev.preventDefault(); check(c); }
      } else if (current.input === "truth" && (ev.key === "t" || ev.key === "f")) {
        ev.preventDefault(); check(ev.key === "t" ? "true" : "false");
      } else if (widget && AnswerWidgets.key(widget, ev)) {
        ev.preventDefault();
      } else if (widget && ev.key === "Enter" && ev.target.tagName !== "BUTTON") {
        ev.preventDefault(); check(AnswerWidgets.value(widget));
      }
    } else if (phase === "answered") {
      if (/^[1-4]$/.test(ev.key)) { ev.preventDefault(); rate(Number(ev.key)); }
      else if (ev.key === " ") {
        ev.preventDefault();
        const s = root.querySelector(".rate.suggested");
        if (s) rate(Number(s.dataset.rating));
      }
    }
  });

  api(root.dataset.nextUrl + "?limit=1")
    .then(showNext)
    .catch((e) => status("Could not load cards: " + e.message, true));
})();
