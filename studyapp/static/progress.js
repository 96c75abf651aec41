// Progress charts, drawn from the JSON the API serves (Chart.js and its matrix plugin, vendored).
(function () {
  "use strict";
  const root = document.getElementById("progress");
  if (!root) return;
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => (css.getPropertyValue(name) || fallback).trim() || fallback;
  const C = { primary: color("--pico-primary", "#0172ad"), muted: "#8891a0", good: "#2e8540", bad: "#c0392b",
              learning: "#e6a23c", review: "#3a86ff", mastered: "#2e8540", new: "#b0b8c4" };

  function text(el, value) { el.textContent = value; return el; }
  function row(cells) {
    const tr = document.createElement("tr");
    cells.forEach((c) => tr.appendChild(text(document.createElement("td"), c)));
    return tr;
  }
  const pct = (x) => (x === null || x === undefined ? "–" : Math.round(100 * x) + "%");

  fetch(root.dataset.url, { headers: { Accept: "application/json" } })
    .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(draw)
    .catch((e) => text(document.getElementById("headline"), "Could not load your progress: " + e.message));

  function draw(d) {
    const headline = document.getElementById("headline");
    headline.textContent = d.total_reviews + " review" + (d.total_reviews === 1 ? "" : "s") + " in the last year · " +
      d.reviews_today + " today · streak " + d.streak + " day" + (d.streak === 1 ? "" : "s");
    headline.dataset.totalReviews = d.total_reviews;
    document.getElementById("empty").hidden = d.total_reviews > 0;
    // No reviews yet: say what to do instead of drawing empty axes.
    document.querySelectorAll(".needs-reviews").forEach((el) => { el.hidden = d.total_reviews === 0; });
    if (typeof Chart === "undefined") return;
    Chart.defaults.font.family = css.getPropertyValue("--pico-font-family") || "system-ui";
    Chart.defaults.animation = false;

    const states = ["new", "learning", "review", "mastered"];
    new Chart(document.getElementById("chart-states"), {
      type: "doughnut",
      data: { labels: states, datasets: [{ data: states.map((s) => d.states[s]), backgroundColor: states.map((s) => C[s]) }] },
      options: { maintainAspectRatio: false, plugins: { legend: { position: "right" } } },
    });
    const list = document.getElementById("states-list");
    states.forEach((s) => list.appendChild(text(document.createElement("li"), s + ": " + d.states[s])));

    const dueTotal = d.forecast.reduce((a, f) => a + f.due, 0);
    text(document.getElementById("forecast-note"), dueTotal ? dueTotal + " reviews due in the next 30 days." : "Nothing due yet: cards you study will be scheduled here.");
    new Chart(document.getElementById("chart-forecast"), {
      type: "bar",
      data: { labels: d.forecast.map((f) => f.date.slice(5)), datasets: [{ label: "due", data: d.forecast.map((f) => f.due), backgroundColor: C.primary }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

    const answered = d.retention.filter((r) => r.reviews > 0);
    text(document.getElementById("retention-note"), answered.length ? "Share of reviews you got right (not rated Again), per day." : "Retention shows once you have reviewed cards.");
    new Chart(document.getElementById("chart-retention"), {
      type: "line",
      data: { labels: d.retention.map((r) => r.date.slice(5)), datasets: [{ label: "right", data: d.retention.map((r) => r.share_right === null ? null : Math.round(100 * r.share_right)), borderColor: C.good, backgroundColor: C.good, spanGaps: true }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
    });

    // Heatmap: 53 weeks × 7 days, like a contributions calendar.
    const counts = Object.fromEntries(d.heatmap.map((h) => [h.date, h.count]));
    const today = new Date(d.today + "T00:00:00Z");
    const cells = [];
    const max = Math.max(1, ...d.heatmap.map((h) => h.count));
    for (let i = 364; i >= 0; i--) {
      const day = new Date(today.getTime() - i * 86400000);
      const iso = day.toISOString().slice(0, 10);
      const week = Math.floor((364 - i + ((today.getUTCDay() + 7 - 364 % 7) % 7)) / 7);
      cells.push({ x: week, y: day.getUTCDay(), v: counts[iso] || 0, d: iso });
    }
    new Chart(document.getElementById("chart-heatmap"), {
      type: "matrix",
      data: { datasets: [{ data: cells,
        backgroundColor: (c) => { const v = c.raw ? c.raw.v : 0; return v ? "rgba(46,133,64," + (0.25 + 0.75 * v / max) + ")" : "rgba(136,145,160,0.15)"; },
        width: (c) => { const a = c.chart.chartArea || {}; return Math.max(2, ((a.right - a.left) || 500) / 54 - 2); },
        height: (c) => { const a = c.chart.chartArea || {}; return Math.max(2, ((a.bottom - a.top) || 100) / 7 - 2); } }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false }, tooltip: { callbacks: { title: (i) => i[0].raw.d, label: (i) => i.raw.v + " reviews" } } },
        scales: { x: { type: "linear", min: -0.5, max: 53.5, display: false, offset: false }, y: { type: "linear", min: -0.5, max: 6.5, reverse: true, display: false, offset: false } } },
    });

    [["topics", d.topics], ["kinds", d.fact_kinds]].forEach(([id, items]) => {
      const body = document.querySelector("#" + id + " tbody");
      if (!items.length) body.appendChild(row(["No cards yet", "", ""]));
      items.forEach((t) => body.appendChild(row([t.name, t.learned + " / " + t.total + " (" + pct(t.mastery) + ")", String(t.mastered)])));
    });
    const qb = document.querySelector("#quizzes tbody");
    document.getElementById("quizzes-empty").hidden = d.quizzes.length > 0;
    document.getElementById("quizzes").hidden = d.quizzes.length === 0;
    d.quizzes.forEach((q) => qb.appendChild(row([q.set, q.started_at.slice(0, 16).replace("T", " "), q.right + " / " + q.questions + (q.finished ? "" : " (unfinished)")])));
  }
})();
