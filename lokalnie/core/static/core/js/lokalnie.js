// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Send Django's CSRF token with htmx requests (the token is in a hidden form field,
  // since the cookie is HttpOnly).
  document.addEventListener("htmx:configRequest", function (event) {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) {
      event.detail.headers["X-CSRFToken"] = field.value;
    }
  });
})();

// Report editor: live character counts, and a copy of unsaved text in this browser so
// that nothing is lost if the session expires or the connection drops.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "pl";
  var words = {
    pl: { chars: "znaków", guide: "zalecane ok.", max: "najwyżej", over: "Za długo o" },
    en: { chars: "characters", guide: "guidance about", max: "at most", over: "Too long by" }
  }[lang];

  function count(textarea) {
    var n = textarea.value.replace(/\r\n/g, "\n").length;
    var target = textarea.dataset.target, limit = +textarea.dataset.limit;
    var out = document.getElementById("count-" + textarea.id.replace(/^body-/, ""));
    if (!out) { return; }
    var text = n + " " + words.chars + "; " + words.guide + " " + target + ", " + words.max + " " + limit + ".";
    if (n > limit) {
      text += " " + words.over + " " + (n - limit) + ".";
      out.classList.add("over-limit");
    } else {
      out.classList.remove("over-limit");
    }
    out.textContent = text;
  }

  function storageKey(form) { return form.dataset.storageKey; }

  function keep(form, textarea) {
    try {
      localStorage.setItem(storageKey(form), JSON.stringify({ body: textarea.value, at: Date.now() }));
    } catch (e) { /* storage full or disabled: autosave still works */ }
  }

  function forget(form) {
    try { localStorage.removeItem(storageKey(form)); } catch (e) { /* ignore */ }
  }

  document.querySelectorAll("form.report-form").forEach(function (form) {
    var textarea = form.querySelector("textarea[data-limit]");
    var restore = form.querySelector(".restore-draft");
    count(textarea);
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey(form)) || "null"); } catch (e) { saved = null; }
    if (saved && saved.body !== textarea.value && restore) {
      restore.hidden = false;
      restore.addEventListener("click", function () {
        textarea.value = saved.body;
        count(textarea);
        restore.hidden = true;
        textarea.focus();
      });
    }
    textarea.addEventListener("input", function () {
      count(textarea);
      keep(form, textarea);
    });
    form.addEventListener("submit", function () { keep(form, textarea); });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form.report-form");
    if (!form) { return; }
    var status = form.querySelector(".autosave-status");
    var failed = !event.detail.successful || (status && status.querySelector(".autosave-error"));
    if (!failed) { forget(form); }
  });
})();
