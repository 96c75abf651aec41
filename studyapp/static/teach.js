// Instructor pages: job status polling and the class activity chart (Chart.js, vendored).
(function () {
  "use strict";

  // --- a job's status page: poll until it ends; a draft to review (or a set) opens by itself ---
  const job = document.getElementById("job");
  const finished = (state) => state === "done" || state === "failed" || state === "cancelled";
  if (job && !finished(job.dataset.state)) {
    const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
    const poll = () => {
      fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" } })
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((s) => {
          text("job-message", s.message);
          text("job-elapsed", s.elapsed_s + " s");
          job.dataset.state = s.state;
          const details = document.getElementById("job-details");
          details.replaceChildren(...s.details.map((w) => { const li = document.createElement("li"); li.textContent = w; return li; }));
          const bar = document.getElementById("job-progress");
          if (s.progress === null && !s.done) bar.removeAttribute("value"); else bar.value = s.done ? 1 : s.progress;
          if (s.state === "done" && s.result_url && job.dataset.follow === "true") { window.location.assign(s.result_url); return; }
          if (!finished(s.state)) { setTimeout(poll, 1000); return; }
          job.setAttribute("aria-busy", "false");
          const cancel = document.getElementById("job-cancel");
          if (cancel) cancel.hidden = true;
          if (s.state === "done") {
            text("job-title", "Done");
            if (s.result_url) {
              const link = document.getElementById("job-result-link");
              link.href = s.result_url; link.textContent = s.result_label;
              document.getElementById("job-result").hidden = false;
            }
            return;
          }
          text("job-title", s.state === "cancelled" ? "Cancelled" : job.dataset.failed);
          bar.value = 0;
          if (job.dataset.kind === "teach.generate") document.getElementById("job-next").hidden = false;
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
