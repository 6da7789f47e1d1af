// SPDX-License-Identifier: EUPL-1.2
// Session timeout warning (WCAG 2.2.1): two minutes before the session ends, a dialog offers to
// stay logged in. The server decides; this only warns. No inline script, so the CSP stays strict.
(function () {
  "use strict";
  var WARN_SECONDS = 120;
  var body = document.body;
  var dialog = document.getElementById("session-warning");
  var form = document.getElementById("session-extend-form");
  if (!body || !dialog || !form) return;
  var expiresAt = Number(body.dataset.sessionExpires);
  var previousFocus = null;

  function secondsLeft() { return expiresAt - Date.now() / 1000; }

  function check() {
    var left = secondsLeft();
    if (left <= 0) { window.location.reload(); return; }
    if (left <= WARN_SECONDS && dialog.hidden) {
      previousFocus = document.activeElement;
      dialog.hidden = false;
      form.querySelector("button").focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (data) {
        expiresAt = Number(data.expires_at);
        dialog.hidden = true;
        if (previousFocus && previousFocus.focus) previousFocus.focus();
      })
      .catch(function () { window.location.reload(); });
  });

  window.setInterval(check, 5000);
  check();
})();
