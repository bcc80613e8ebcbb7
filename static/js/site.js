/*
 * Small progressive enhancements; every page works without this file.
 *
 * htmx on demand: only the FAQ loads htmx up front. On the other pages htmx only sends the
 * "Was this helpful?" form in place, and that form sits at the end of the page, so htmx is
 * fetched (from the data-htmx address of this script's tag) once such a form comes near
 * the screen. Before htmx has arrived, the form posts as a plain form and the page comes
 * back with the thank-you, as it does without JavaScript.
 *
 * FAQ: each question is a link to its own answer page. When htmx is present, the link
 * becomes a disclosure button: htmx loads the answer into the panel below on first use,
 * later uses show or hide it without another request. aria-expanded always matches what
 * is shown, and focus stays on the question.
 */
(function () {
  "use strict";

  var source = document.currentScript && document.currentScript.getAttribute("data-htmx");
  var forms = document.querySelectorAll("[hx-post]");
  if (window.htmx || !source || forms.length === 0) {
    return;
  }

  function load() {
    var script = document.createElement("script");
    script.src = source;
    document.head.appendChild(script);
  }

  // htmx reads its settings (the htmx-config meta: no inline style, what to swap) and
  // processes the page when it starts before DOMContentLoaded or after the load event;
  // started in between, it would wait for an event that has already fired.
  function loadOnceThePageHasLoaded() {
    if (document.readyState === "complete") {
      load();
    } else {
      window.addEventListener("load", load, { once: true });
    }
  }

  if (!("IntersectionObserver" in window)) {
    loadOnceThePageHasLoaded();
    return;
  }
  // Within a screen's height of being seen: early enough to be there before a tap.
  var observer = new IntersectionObserver(
    function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        loadOnceThePageHasLoaded();
      }
    },
    { rootMargin: "100% 0px" }
  );
  forms.forEach(function (form) {
    observer.observe(form);
  });
})();

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
