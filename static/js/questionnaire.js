// Warn before leaving a questionnaire page with unsaved changes, so typed text is never lost.
(function () {
  const form = document.getElementById("phase-form");
  if (!form) return;
  let dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  // A background save (autosave.js) stores everything typed so far.
  form.addEventListener("autosaved", function (event) {
    if (event.detail && event.detail.upToDate) dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  // After a failed save, move focus to the list of problems so screen readers announce it.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
