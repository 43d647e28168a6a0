// The attendance list of a day: find a person as you type, and retry a mark that did not
// reach the server (a dropped connection on a phone). A mark says "present" or "absent"
// for one person and day, so sending it again is harmless. Without this file (or without
// htmx) each button posts its own small form and the page reloads.
(function () {
  "use strict";
  var list = document.getElementById("attendance-list");
  if (!list) { return; }

  // --- Find a person -----------------------------------------------------------------
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  var box = document.getElementById("attendance-filter-box");
  var input = document.getElementById("attendance-filter");
  var noMatch = document.getElementById("attendance-no-match");
  function filter() {
    var wanted = fold(input.value.trim());
    var shown = 0;
    list.querySelectorAll(".attendance-row").forEach(function (row) {
      var match = !wanted || fold(row.dataset.name || "").indexOf(wanted) !== -1;
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    if (noMatch) { noMatch.hidden = shown > 0; }
  }
  if (box && input) {
    box.hidden = false;
    input.addEventListener("input", filter);
  }

  // --- Retry marks that were not saved ---------------------------------------------------
  var MAX_ATTEMPTS = 8;
  var lastValue = new WeakMap(); // form -> "true" | "false" (the button pressed last)

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.attendance-button");
    if (button && button.form) { lastValue.set(button.form, button.value); }
  });

  function rowOf(form) { return form.closest(".attendance-row"); }

  function showPending(form, pending) {
    var row = rowOf(form);
    if (!row) { return; }
    row.classList.toggle("not-saved", pending);
    var note = row.querySelector(".attendance-retry");
    if (note) { note.hidden = !pending; }
  }

  function resend(form) {
    if (!document.body.contains(form)) { return; } // replaced by a saved row meanwhile
    var value = lastValue.get(form);
    var button = form.querySelector('button[value="' + value + '"]');
    if (button) { button.click(); }
  }

  function retryLater(form) {
    var attempts = (+form.dataset.attempts || 0) + 1;
    form.dataset.attempts = attempts;
    showPending(form, true);
    if (attempts > MAX_ATTEMPTS) { return; } // the note stays; pressing again retries
    if (!navigator.onLine) {
      window.addEventListener("online", function () { resend(form); }, { once: true });
      return;
    }
    window.setTimeout(function () { resend(form); }, Math.min(30000, 1000 * Math.pow(2, attempts)));
  }

  function failed(event) {
    var form = event.target.closest && event.target.closest("form.attendance-form");
    if (!form) { return; }
    var xhr = event.detail && event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    // 0: no answer (offline, timeout); 408/429/5xx: try again. Other answers (e.g. 409,
    // "not before the day") are shown in the row and are not retried.
    if (status === 0 || status === 408 || status === 429 || status >= 500) {
      retryLater(form);
    }
  }

  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:timeout", failed);
  document.body.addEventListener("htmx:responseError", failed);
})();
