// SPDX-License-Identifier: EUPL-1.2
// A form sent back with mistakes: move the focus to its error summary (it may sit far down the page, under
// the initiative's details), so the summary is read out and its links lead to the fields. Without
// JavaScript the summary is still there, above the form.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-testid='error-summary']");
  if (summary) {
    summary.focus();
  }
});
