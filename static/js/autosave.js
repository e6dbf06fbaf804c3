// Autosave: a changed answer is saved in the background a moment after the last change, through
// the same form and the same checks as the Save button. After each save the hidden "initial"
// copies take the saved values, so the next save sends only what changed since (two people
// editing the same assessment keep each other's answers).
(function () {
  const form = document.getElementById("phase-form");
  if (!form || form.getAttribute("data-autosave") !== "on") return;
  const status = document.getElementById("autosave-status");
  const DELAY_MS = 800;
  let timer = null;
  let saving = false;
  let again = false;

  function say(text) { if (status) status.textContent = text; }

  // From what was sent, not from the page now: a change made while the save was under way
  // must still count as a change at the next save.
  function refreshInitials(sent) {
    form.querySelectorAll("input[name^='initial-']").forEach(function (hidden) {
      const value = sent.get(hidden.name.slice("initial-".length));
      hidden.value = value === null ? "" : value;
    });
  }

  function markAnswered() {
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      const chosen = fieldset.querySelector("input[type=radio]:checked");
      const badge = fieldset.querySelector(".unanswered-badge");
      if (chosen && badge) badge.remove();
    });
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    say("Saving…");
    const sent = new FormData(form);
    fetch(form.action || window.location.href, {
      method: "POST",
      body: sent,
      headers: { "X-Autosave": "1", "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (outcome) {
      if (outcome.ok) {
        refreshInitials(sent);
        markAnswered();
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        say("Saved at " + time + " · " + outcome.data.answered + " of " + outcome.data.total + " answered");
        form.dispatchEvent(new CustomEvent("autosaved"));
      } else if (outcome.data.errors) {
        say("Not saved: a field needs correcting. Press Save to see which.");
      } else {
        say(outcome.data.error || "Not saved.");
      }
    }).catch(function () {
      say("Not saved: the connection failed. Your answers are still on this page; press Save.");
    }).finally(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }
  form.addEventListener("change", schedule);
})();
