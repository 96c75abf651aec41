// Answer widgets for the ways of answering with more than one text: several options
// ("choices"), a right-hand item for each left one ("match"), items in order ("order").
// The quiz page gets their markup from the server (templates/question/*.html); the review
// screen builds the same markup from the card. Both get the same keys from enhance():
//   choices: 1-9 tick or untick an option; match: each item is a <select>;
//   order: Alt+Up / Alt+Down (or the ↑ ↓ buttons) move the focused item, or pick its position.
window.AnswerWidgets = (function () {
  "use strict";

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fieldset(input, legend) {
    const f = el("fieldset", { "class": "answer-widget " + ({ choices: "choices-list", match: "match-list", order: "order-list" })[input], "data-input": input });
    f.appendChild(el("legend", {}, legend));
    return f;
  }

  const build = {
    choices(card) {
      const f = fieldset("choices", "Choose all that apply");
      card.choices.forEach((c, i) => {
        const label = el("label", { "class": "choice" });
        label.appendChild(el("input", { type: "checkbox", name: "answer", value: c }));
        label.appendChild(el("span", { "class": "key" }, String(i + 1)));
        label.appendChild(document.createTextNode(" " + c));
        f.appendChild(label);
      });
      return f;
    },
    match(card) {
      const f = fieldset("match", "Match each item");
      card.left.forEach((left, i) => {
        const row = el("div", { "class": "match-row" });
        row.appendChild(el("label", { "for": "match-" + (i + 1) }, left));
        const s = el("select", { id: "match-" + (i + 1), name: "match" });
        s.appendChild(el("option", { value: "" }, "Choose…"));
        card.right.forEach((r) => s.appendChild(el("option", { value: r }, r)));
        row.appendChild(s);
        f.appendChild(row);
      });
      return f;
    },
    order(card) {
      const f = fieldset("order", "Put these in order (1 = first)");
      const ol = el("ol", { "class": "order-items" });
      card.items.forEach((item, i) => {
        const li = el("li", { "class": "order-item" });
        li.appendChild(el("label", { "for": "rank-" + (i + 1), "class": "visually-hidden" }, "Position of " + item));
        const s = el("select", { id: "rank-" + (i + 1), name: "rank", "class": "rank" });
        card.items.forEach((_, n) => {
          const o = el("option", { value: String(n + 1) }, String(n + 1));
          if (n === i) o.selected = true;
          s.appendChild(o);
        });
        li.appendChild(s);
        li.appendChild(el("input", { type: "hidden", name: "item", value: item }));
        li.appendChild(el("span", { "class": "order-text" }, item));
        ol.appendChild(li);
      });
      f.appendChild(ol);
      return f;
    },
  };

  // --- ordering: the list's order is the answer; positions follow every move ---------------
  function renumber(ol) {
    ol.querySelectorAll(".order-item").forEach((li, i) => { li.querySelector(".rank").value = String(i + 1); });
  }

  function move(li, to) {
    const ol = li.parentElement;
    const rows = Array.from(ol.children);
    const from = rows.indexOf(li);
    to = Math.max(0, Math.min(rows.length - 1, to));
    if (to === from) return;
    ol.removeChild(li);
    ol.insertBefore(li, ol.children[to] || null);
    renumber(ol);
    announce(ol, li.querySelector(".order-text").textContent + ": position " + (to + 1));
  }

  function announce(scope, text) {
    const live = scope.closest(".answer-widget").querySelector(".order-live");
    if (live) live.textContent = text;
  }

  function enhanceOrder(f) {
    const ol = f.querySelector(".order-items");
    f.appendChild(el("p", { "class": "order-live visually-hidden", "aria-live": "polite" }));
    ol.querySelectorAll(".order-item").forEach((li) => {
      const text = li.querySelector(".order-text").textContent;
      for (const [dir, label] of [[-1, "↑"], [1, "↓"]]) {
        const b = el("button", { type: "button", "class": "move secondary outline small",
                                 "aria-label": "Move " + text + (dir < 0 ? " up" : " down") }, label);
        b.addEventListener("click", () => {
          move(li, Array.from(ol.children).indexOf(li) + dir);
          b.focus();
        });
        li.appendChild(b);
      }
      li.querySelector(".rank").addEventListener("change", (ev) => {
        move(li, Number(ev.target.value) - 1);
        ev.target.focus();
      });
    });
    f.addEventListener("keydown", (ev) => {
      if (!ev.altKey || (ev.key !== "ArrowUp" && ev.key !== "ArrowDown")) return;
      const li = ev.target.closest(".order-item");
      if (!li) return;
      ev.preventDefault();
      move(li, Array.from(ol.children).indexOf(li) + (ev.key === "ArrowUp" ? -1 : 1));
      ev.target.focus();
    });
  }

  function enhance(f) {
    if (f.dataset.enhanced) return;
    f.dataset.enhanced = "1";
    if (f.dataset.input === "order") enhanceOrder(f);
  }

  // Number keys tick an option (choices); elsewhere the controls' own keys apply.
  function key(f, ev) {
    if (f.dataset.input !== "choices" || !/^[1-9]$/.test(ev.key)) return false;
    const boxes = f.querySelectorAll('input[type="checkbox"]');
    const box = boxes[Number(ev.key) - 1];
    if (!box) return false;
    box.checked = !box.checked;
    box.focus();
    return true;
  }

  function value(f) {
    if (f.dataset.input === "choices") {
      return Array.from(f.querySelectorAll("input:checked")).map((i) => i.value);
    }
    if (f.dataset.input === "match") {
      const out = {};
      f.querySelectorAll(".match-row").forEach((row) => {
        out[row.querySelector("label").textContent] = row.querySelector("select").value;
      });
      return out;
    }
    const rows = Array.from(f.querySelectorAll(".order-item"));
    rows.sort((a, b) => Number(a.querySelector(".rank").value) - Number(b.querySelector(".rank").value));
    return rows.map((li) => li.querySelector('input[name="item"]').value);
  }

  // After grading: mark what was right and what was not, in place.
  function mark(f, key) {
    f.querySelectorAll("input, select, button").forEach((c) => { c.disabled = true; });
    if (f.dataset.input === "choices") {
      f.querySelectorAll("label.choice").forEach((label) => {
        const box = label.querySelector("input");
        const right = key.includes(box.value);
        if (right) label.classList.add("is-answer");
        if (box.checked && !right) label.classList.add("is-wrong");
      });
    } else if (f.dataset.input === "match") {
      const want = Object.fromEntries(key);
      f.querySelectorAll(".match-row").forEach((row) => {
        const left = row.querySelector("label").textContent;
        const ok = row.querySelector("select").value === want[left];
        row.classList.add(ok ? "is-answer" : "is-wrong");
        if (!ok) row.appendChild(el("span", { "class": "should-be" }, "→ " + want[left]));
      });
    } else {
      f.querySelectorAll(".order-item").forEach((li, i) => {
        const ok = li.querySelector('input[name="item"]').value === key[i];
        li.classList.add(ok ? "is-answer" : "is-wrong");
      });
    }
  }

  function has(input) { return Object.prototype.hasOwnProperty.call(build, input); }

  function create(card) {
    const f = build[card.input](card);
    enhance(f);
    return f;
  }

  document.querySelectorAll(".answer-widget").forEach(enhance);
  return { has: has, create: create, enhance: enhance, key: key, value: value, mark: mark };
})();
