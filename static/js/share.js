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

  // The page's own words (data- attributes of <body>, in its language); English otherwise.
  function words(name, english) {
    return document.body.dataset[name] || english;
  }

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
      ? words("copied", "Copied")
      : words("linkCopied", "Link copied");
    navigator.clipboard.writeText(text).then(
      function () {
        showResult(button, what, false);
        announce(what + ": " + text);
        window.setTimeout(function () {
          showResult(button, "", false);
        }, 4000);
      },
      function () {
        var message = words("copyFailed", "Could not copy. Select and copy this:") + " " + text;
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
  // Content that htmx swaps in (a boosted page, an answer) gets its buttons too.
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
