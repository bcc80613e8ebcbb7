/*
 * Glossary terms that open in place, on the pages with guide or answer text; the page works
 * without this file. It uses site.js's helpers, so it is loaded after site.js.
 *
 * The server marks the first use of each term in a section or answer as a link to the
 * glossary page, <a class="term" href="/glossary/#ferritin" title="definition">. Here each,
 * as it comes near the screen, becomes a disclosure: a button (aria-expanded,
 * aria-controls) followed by a panel with the definition and a link to the glossary.
 * Enter, Space, a click or a tap opens and closes it; Escape closes it and puts focus back
 * on the word. Content that htmx swaps in (an FAQ answer) is enhanced too. The definition
 * is set as text, never as HTML.
 */
(function () {
  "use strict";

  var counter = 0;


  function makeDisclosure(link) {
    var definition = link.getAttribute("title");
    if (!definition) {
      return;
    }
    counter += 1;
    var panelId = "term-panel-" + counter;

    var button = document.createElement("button");
    button.type = "button";
    button.className = "term-button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", panelId);
    button.dataset.term = link.hash.slice(1);
    button.appendChild(document.createTextNode(link.textContent));
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " " + siteWords("termHint", "(what it means)");
    button.appendChild(hint);

    var panel = document.createElement("span");
    panel.className = "term-panel";
    panel.id = panelId;
    panel.hidden = true;
    var text = document.createElement("span");
    text.className = "term-definition";
    text.textContent = definition + " ";
    var more = document.createElement("a");
    more.href = link.getAttribute("href");
    more.textContent = siteWords("moreWords", "More medical words");
    panel.appendChild(text);
    panel.appendChild(more);

    var focused = document.activeElement === link;
    link.replaceWith(button);
    button.after(panel);
    if (focused) {
      button.focus(); // a keyboard reader who had reached the word stays on it
    }
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("a.term[title]").forEach(makeDisclosure);
  }

  function setOpen(button, open) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) {
      panel.hidden = !open;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".term-button");
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) {
      return;
    }
    var panel = event.target.closest(".term-panel");
    var button = panel
      ? document.querySelector('[aria-controls="' + panel.id + '"]')
      : event.target.closest(".term-button");
    if (button && button.getAttribute("aria-expanded") === "true") {
      setOpen(button, false);
      button.focus();
    }
  });

  whenNearTheScreen(document.querySelectorAll("a.term[title]"), makeDisclosure);
  // htmx fires this for every piece of content it swaps in (an answer just opened: in view).
  document.addEventListener("htmx:load", function (event) {
    enhance(swappedIn(event));
  });
})();
