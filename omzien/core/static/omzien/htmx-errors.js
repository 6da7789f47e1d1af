// SPDX-License-Identifier: EUPL-1.2
// htmx leaves the page as it was when the server answers with an error (a 503 while the database is
// away, a 500) or cannot be reached: a visitor who pressed "Search" saw nothing happen. Open the address
// as a normal page instead, so the browser shows the server's own error page (with its request id) or
// its own "cannot connect" page. A poll ("every 2s") tries again by itself and is left alone.
(() => {
  const openAsPage = (event) => {
    const trigger = (event.detail.elt && event.detail.elt.getAttribute("hx-trigger")) || "";
    if (trigger.includes("every") || event.detail.requestConfig.verb !== "get") {
      return;
    }
    window.location.assign(event.detail.xhr.responseURL || event.detail.pathInfo.finalRequestPath);
  };
  document.addEventListener("htmx:responseError", openAsPage);
  document.addEventListener("htmx:sendError", openAsPage);
})();
