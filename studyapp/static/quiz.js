// Quiz page: records how long a question took and lets number keys pick a choice.
(function () {
  "use strict";
  const form = document.getElementById("quiz-form");
  if (!form) return;
  const started = performance.now();
  form.addEventListener("submit", () => {
    document.getElementById("duration_ms").value = String(Math.round(performance.now() - started));
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target.tagName === "INPUT" && ev.target.type === "text") return;
    const widget = form.querySelector(".answer-widget");
    if (widget) { if (window.AnswerWidgets && AnswerWidgets.key(widget, ev)) ev.preventDefault(); return; }
    const radios = form.querySelectorAll('input[type="radio"]');
    const n = Number(ev.key);
    if (radios.length && n >= 1 && n <= radios.length) {
      radios[n - 1].checked = true;
      radios[n - 1].focus();
    }
  });
})();
