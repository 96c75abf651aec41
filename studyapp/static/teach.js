// Instructor pages: generation status polling and the class activity chart (Chart.js, vendored).
(function () {
  "use strict";

  // --- generation job: poll until done, then go to the review page ---
  const job = document.getElementById("job");
  if (job && job.dataset.state !== "done" && job.dataset.state !== "failed") {
    const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
    const poll = () => {
      fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" } })
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((s) => {
          text("job-message", s.message);
          text("job-elapsed", s.elapsed_s + " s");
          job.dataset.state = s.state;
          const warnings = document.getElementById("job-warnings");
          warnings.replaceChildren(...s.warnings.map((w) => { const li = document.createElement("li"); li.textContent = w; return li; }));
          if (s.state === "done") { window.location.assign(s.review_url); return; }
          if (s.state === "failed") {
            text("job-title", "Generation failed");
            job.setAttribute("aria-busy", "false");
            const p = document.getElementById("job-progress");
            p.value = 0; p.max = 1;
            document.getElementById("job-next").hidden = false;
            return;
          }
          setTimeout(poll, 1000);
        })
        .catch((e) => { text("job-message", "Lost contact with the server (" + e.message + "); retrying…"); setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }

  // --- class activity chart ---
  const holder = document.getElementById("class-chart");
  if (holder && typeof Chart !== "undefined") {
    fetch(holder.dataset.url, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((d) => {
        Chart.defaults.animation = false;
        new Chart(document.getElementById("chart-class"), {
          data: {
            labels: d.days.map((x) => x.date.slice(5)),
            datasets: [
              { type: "bar", label: "reviews", data: d.days.map((x) => x.reviews), backgroundColor: "#3a86ff", yAxisID: "y" },
              { type: "line", label: "% right", data: d.days.map((x) => (x.share_right === null ? null : Math.round(100 * x.share_right))),
                borderColor: "#2e8540", backgroundColor: "#2e8540", spanGaps: true, yAxisID: "y1" },
            ],
          },
          options: { maintainAspectRatio: false,
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } },
                      y1: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: (v) => v + "%" } } } },
        });
      })
      .catch(() => { holder.textContent = "The chart could not be loaded."; });
  }
})();
