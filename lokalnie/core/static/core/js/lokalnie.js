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
