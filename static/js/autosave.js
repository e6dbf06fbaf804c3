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
  let edits = 0; // every input or change; a save covers the edits made before it was sent

  function say(text) { if (status) status.textContent = text; }

  // From what was sent, not from the page now: a change made while the save was under way
  // must still count as a change at the next save.
  function refreshInitials(sent) {
    form.querySelectorAll("input[name^='initial-']").forEach(function (hidden) {
      const value = sent.get(hidden.name.slice("initial-".length));
      hidden.value = value === null ? "" : value;
    });
  }

  // What the page said after a failed save no longer holds once a save went through.
  function clearStaleNotices() {
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      const chosen = fieldset.querySelector("input[type=radio]:checked");
      fieldset.querySelectorAll(".unanswered-badge, .unsaved-badge").forEach(function (badge) {
        if (chosen || badge.classList.contains("unsaved-badge")) badge.remove();
      });
    });
    document.querySelectorAll(".unsaved-notice").forEach(function (notice) { notice.remove(); });
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    const sent = new FormData(form);
    const sentAtEdit = edits;
    say("Saving…");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: sent,
      headers: { "X-Autosave": "1", "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      const json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        // Signed out (the sign-in page answered) or another page: nothing was saved.
        return { ok: false, data: { error: "Not saved: you may have been signed out. Press Save to keep your answers." } };
      }
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (outcome) {
      if (outcome.ok) {
        refreshInitials(sent);
        clearStaleNotices();
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        say("Saved at " + time + " · " + outcome.data.answered + " of " + outcome.data.total + " answered");
        // Only what was sent is saved: the page stays "dirty" if anything was typed since.
        form.dispatchEvent(new CustomEvent("autosaved", { detail: { upToDate: edits === sentAtEdit } }));
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
  form.addEventListener("input", function () { edits += 1; });
  form.addEventListener("change", function () { edits += 1; schedule(); });
  // The Save button takes over: no background save races it.
  form.addEventListener("submit", function () { window.clearTimeout(timer); });
})();
