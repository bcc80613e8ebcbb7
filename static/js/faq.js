/*
 * FAQ answers in place, on the questions page (which loads htmx up front, before this file);
 * the page works without this file. Each question is a link to its own answer page. When
 * htmx is present, the link becomes a disclosure button: htmx loads the answer into the
 * panel below on first use, later uses show or hide it without another request.
 * aria-expanded always matches what is shown, and focus stays on the question.
 */
(function () {
  "use strict";

  if (!window.htmx) {
    return; // htmx did not load: the questions stay plain links.
  }

  function panelFor(toggle) {
    return document.getElementById(toggle.getAttribute("aria-controls"));
  }

  function setOpen(toggle, open) {
    var panel = panelFor(toggle);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) {
      panel.hidden = !open;
    }
  }

  function enhance(root) {
    root.querySelectorAll("[data-faq-toggle]").forEach(function (toggle) {
      if (toggle.hasAttribute("role")) {
        return;
      }
      toggle.setAttribute("role", "button");
      var panel = panelFor(toggle);
      setOpen(toggle, Boolean(panel && panel.dataset.loaded && !panel.hidden));
    });
  }

  htmx.onLoad(enhance);

  // Once an answer is loaded, toggle it locally instead of asking the server again.
  document.addEventListener("htmx:confirm", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-faq-toggle]");
    if (!toggle) {
      return;
    }
    var panel = panelFor(toggle);
    if (panel && panel.dataset.loaded) {
      event.preventDefault();
      setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail.target;
    if (panel && panel.classList.contains("faq-answer")) {
      panel.dataset.loaded = "1";
      var toggle = document.querySelector('[aria-controls="' + panel.id + '"]');
      if (toggle) {
        setOpen(toggle, true);
      }
    }
  });

  // If the answer cannot be fetched (offline, server error), open its page instead.
  function fallBack(event) {
    var toggle = event.detail.elt;
    if (toggle && toggle.matches && toggle.matches("[data-faq-toggle]")) {
      window.location.href = toggle.href;
    }
  }
  document.addEventListener("htmx:responseError", fallBack);
  document.addEventListener("htmx:sendError", fallBack);

  // Buttons open with Space as well as Enter; links normally do not.
  document.addEventListener("keydown", function (event) {
    var toggle = event.target.closest && event.target.closest('[data-faq-toggle][role="button"]');
    if (toggle && (event.key === " " || event.key === "Spacebar")) {
      event.preventDefault();
      toggle.click();
    }
  });
})();
