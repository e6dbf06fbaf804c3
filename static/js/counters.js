// Live character counters for fields with a limit (data-max-length). The browser is never told
// the limit, so a pasted text is kept whole and the server answers with a plain error; the
// counter says it first, and announces once when the text goes over.
(function () {
  const format = new Intl.NumberFormat("en-GB");
  document.querySelectorAll("[data-max-length]").forEach(function (field) {
    const limit = Number(field.getAttribute("data-max-length"));
    const counter = document.createElement("div");
    counter.className = "form-text char-count";
    counter.id = field.id + "-count";
    const alert = document.createElement("div");
    alert.className = "visually-hidden";
    alert.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", alert);
    let wasOver = false;
    // Count as the server does: a line break is sent as two characters (CR LF), and an emoji
    // is one character, not two UTF-16 units.
    function counted() {
      return Array.from(field.value.replace(/\r?\n/g, "\r\n")).length;
    }
    function update() {
      const length = counted();
      const over = length > limit;
      counter.textContent = over
        ? format.format(length - limit) + " characters over the limit of " + format.format(limit)
        : format.format(length) + " of " + format.format(limit) + " characters";
      counter.classList.toggle("text-danger", over);
      if (over !== wasOver) {
        alert.textContent = over ? counter.textContent : "";
        wasOver = over;
      }
    }
    field.addEventListener("input", update);
    update();
  });
})();
