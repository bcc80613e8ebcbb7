/*
 * Small progressive enhancements for every page; every page works without this file. Its
 * parts: the helpers the page's other scripts share (siteWords, swappedIn,
 * whenNearTheScreen), htmx on demand, "Copy link" and "Print" buttons, and offline reading.
 * The parts only some pages need have files of their own, loaded after this one by those
 * pages: faq.js (answers in place), glossary.js (terms that open in place) and listen.js
 * ("Listen"); so the overview and the other short pages fetch less.
 *
 * A long page is not changed all at once while it loads: glossary terms and Listen buttons
 * are made as their part of the page comes within a screen's height of being seen
 * (whenNearTheScreen). On a slow phone, changing the whole guide at once blocks the first
 * taps and scrolls for a moment.
 *
 * htmx on demand: only the FAQ loads htmx up front. On the other pages htmx only sends the
 * "Was this helpful?" form in place, so it is fetched (from the data-htmx address of this
 * script's tag) only when a reader may be about to use that form: when they point at it,
 * touch it or move into it with the keyboard, or when their scrolling brings it near the
 * screen. A vote sent before htmx has arrived waits for it (up to SEND_WAIT, saying "Sending
 * your answer…") and is then sent in place; if htmx cannot be fetched, the form posts as a
 * plain form and the page comes back with the thank-you, as it does without JavaScript.
 */

// The page's own words (data- attributes of <body>, in its language); English otherwise.
function siteWords(name, english) {
  return document.body.dataset[name] || english;
}

// What htmx has just swapped in (an answer, a thank-you), from its htmx:load event; null
// for the htmx:load it fires for the whole page as it starts, whose content is already
// enhanced, or will be as it comes near.
function swappedIn(event) {
  var element = event.detail && event.detail.elt;
  return element && element !== document.body ? element : null;
}

// Calls enhance(element) once for each element (an array or a NodeList), when it comes
// within a screen's height of being seen; all at once where the browser cannot tell.
function whenNearTheScreen(elements, enhance) {
  if (!("IntersectionObserver" in window)) {
    elements.forEach(enhance);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          enhance(entry.target);
        }
      });
    },
    { rootMargin: "100% 0px" }
  );
  elements.forEach(function (element) {
    observer.observe(element);
  });
}

(function () {
  "use strict";

  var SEND_WAIT = 3000; // ms a vote waits for htmx before it is posted as a plain form
  var source = document.currentScript && document.currentScript.getAttribute("data-htmx");
  var forms = Array.prototype.slice.call(document.querySelectorAll("[hx-post]"));
  if (window.htmx || !source || forms.length === 0) {
    return;
  }
  var state = "waiting"; // then "loading", and "ready" or "failed"
  var held = null; // the button of a vote sent while htmx was on its way

  function settle(outcome) {
    if (state !== "loading") {
      return;
    }
    state = outcome;
    if (held) {
      var button = held;
      held = null;
      button.click(); // with htmx there, htmx sends it; without, it posts as a plain form
    }
  }

  function fetchHtmx() {
    var script = document.createElement("script");
    script.src = source;
    script.onload = function () { settle("ready"); };
    script.onerror = function () { settle("failed"); };
    document.head.appendChild(script);
  }

  // htmx reads its settings (the htmx-config meta: no inline style, what to swap) and
  // processes the page when it starts before DOMContentLoaded or after the load event;
  // started in between, it would wait for an event that has already fired.
  function load() {
    if (state !== "waiting") {
      return;
    }
    state = "loading";
    if (document.readyState === "complete") {
      fetchHtmx();
    } else {
      window.addEventListener("load", fetchHtmx, { once: true });
    }
  }

  // While a vote waits, the form says so (a polite status), so a tap never seems lost. The
  // words are set a moment after the status is made, so screen readers announce them. htmx's
  // thank-you replaces the form, or the plain post loads the page again: either removes it.
  function showSending(form) {
    if (form.querySelector(".feedback-sending")) {
      return;
    }
    var note = document.createElement("p");
    note.className = "feedback-sending";
    note.setAttribute("role", "status");
    form.appendChild(note);
    window.setTimeout(function () {
      note.textContent = siteWords("sending", "Sending your answer…");
    }, 50);
  }

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (state === "ready" || state === "failed" || forms.indexOf(event.target) < 0 || !button) {
      return;
    }
    event.preventDefault();
    held = button;
    showSending(event.target);
    load();
    window.setTimeout(function () { settle("failed"); }, SEND_WAIT);
  });

  forms.forEach(function (form) {
    ["pointerover", "pointerdown", "focusin"].forEach(function (intent) {
      form.addEventListener(intent, load, { once: true, passive: true });
    });
  });
  // A form already in view when the page opens waits for the reader to scroll or reach it.
  window.addEventListener(
    "scroll",
    function () {
      whenNearTheScreen(forms, load);
    },
    { once: true, passive: true }
  );
})();

/*
 * "Copy link" buttons and the handout's "Print" button; every page works without this file.
 *
 * A copy button carries the page's path (data-copy-link) or a text to copy (data-copy-text).
 * The buttons are hidden in the HTML and shown only where the Clipboard API works (a secure
 * context), so nobody meets a button that does nothing. After a copy, a polite live region
 * tells screen reader users exactly what was copied, and the button says "Link copied" for
 * a moment. If the browser refuses (a portal frame without clipboard permission), the
 * address is shown so it can be copied by hand.
 */
(function () {
  "use strict";

  var canCopy = Boolean(navigator.clipboard && window.isSecureContext);
  var status = null;


  function announce(message) {
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    // Clearing first makes a repeated message be announced again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function textToCopy(button) {
    if (button.dataset.copyText) {
      return button.dataset.copyText;
    }
    // Always the site's own address, also inside a portal's frame (/embed/...).
    return new URL(button.dataset.copyLink, window.location.origin).href;
  }

  function showResult(button, message, failed) {
    var note = button.nextElementSibling;
    if (!note || !note.classList.contains("copy-result")) {
      note = document.createElement("span");
      note.className = "copy-result";
      button.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    note.classList.toggle("copy-failed", failed);
  }

  function copy(button) {
    var text = textToCopy(button);
    var what = button.dataset.copyText
      ? siteWords("copied", "Copied")
      : siteWords("linkCopied", "Link copied");
    navigator.clipboard.writeText(text).then(
      function () {
        showResult(button, what, false);
        announce(what + ": " + text);
        window.setTimeout(function () {
          showResult(button, "", false);
        }, 4000);
      },
      function () {
        var message = siteWords("copyFailed", "Could not copy. Select and copy this:") + " " + text;
        showResult(button, message, true);
        announce(message);
      }
    );
  }

  function enhance(root) {
    root.querySelectorAll("[data-copy-link], [data-copy-text]").forEach(function (button) {
      button.hidden = !canCopy;
    });
    // The print button's paragraph is hidden without JavaScript, like the copy buttons.
    root.querySelectorAll("[data-print-action]").forEach(function (holder) {
      holder.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (!button) {
      return;
    }
    if (canCopy && (button.dataset.copyLink || button.dataset.copyText)) {
      copy(button);
    } else if (button.hasAttribute("data-print")) {
      window.print();
    }
  });

  enhance(document);
  // Content that htmx swaps in (an FAQ answer, a thank-you) gets its buttons too.
  document.addEventListener("htmx:load", function (event) {
    var root = swappedIn(event);
    if (root) {
      enhance(root);
    }
  });
})();

/*
 * Offline reading (the worker is static/js/sw.js): registers the worker, says when a page
 * comes from the copy kept on this device (the worker marks <body data-saved-at>), and says
 * plainly that searching and sending feedback need a connection when there is none.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var body = document.body;
  var lang = document.documentElement.lang || "en";

  if (body.dataset.savedAt) {
    var saved = new Date(body.dataset.savedAt);
    var note = document.createElement("p");
    note.className = "offline-note";
    note.textContent = siteWords("savedOffline", "You are offline. This page was saved on {date}.")
      .replace("{date}", isNaN(saved) ? "" : saved.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" }));
    document.getElementById("main").prepend(note);
  }

  function needsConnection(form) {
    var search = form.matches(".faq-search");
    var message = search
      ? siteWords("searchOffline", "You are offline. Searching needs an internet connection.")
      : siteWords("sendOffline", "You are offline. Sending your answer needs an internet connection.");
    var shown = form.nextElementSibling;
    if (!shown || !shown.classList.contains("needs-connection")) {
      shown = document.createElement("p");
      shown.className = "needs-connection";
      shown.setAttribute("role", "alert");
      form.after(shown);
    }
    shown.textContent = message;
  }

  function connectionForm(element) {
    var form = element && element.closest && element.closest("form");
    return form && (form.matches(".faq-search") || form.closest(".feedback")) ? form : null;
  }

  // Capturing on the document runs before htmx's own handler on the form, and stops it.
  document.addEventListener("submit", function (event) {
    var form = connectionForm(event.target);
    if (form && !navigator.onLine) {
      event.preventDefault();
      event.stopPropagation();
      needsConnection(form);
    }
  }, true);
  document.addEventListener("htmx:sendError", function (event) {
    var form = connectionForm(event.detail.elt);
    if (form) {
      needsConnection(form);
    }
  });
  window.addEventListener("online", function () {
    document.querySelectorAll(".needs-connection").forEach(function (shown) {
      shown.remove();
    });
  });
  // A search opened with no connection shows the questions kept on this device.
  var search = document.querySelector(".faq-search");
  if (search && body.dataset.savedAt && /[?&]q=/.test(window.location.search)) {
    needsConnection(search);
  }

  var worker = script && script.dataset.sw;
  if (worker && "serviceWorker" in navigator && !body.classList.contains("embedded")) {
    // After the page has loaded, so the worker's downloads never slow the first screen.
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
    });
  }
})();
