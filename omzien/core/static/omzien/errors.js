// SPDX-License-Identifier: EUPL-1.2
// A form sent back with mistakes: move the focus to its error summary (includes/form_errors.html; it may sit far
// down the page), so the summary is read out and its links lead to the fields. Without JavaScript the summary
// is still there, above the form.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-testid='error-summary']");
  if (summary) {
    summary.focus();
  }
});
