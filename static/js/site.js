/*
 * Small progressive enhancements; every page works without this file. One file, so a first
 * visit makes one request for them all. Its parts: htmx on demand, FAQ answers in place,
 * "Copy link" and "Print" buttons, glossary terms that open in place, "Listen", and
 * offline reading.
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
 * screen. A vote sent before htmx has arrived waits for it (up to SEND_WAIT) and is then sent
 * in place; if htmx cannot be fetched, the form posts as a plain form and the page comes back
 * with the thank-you, as it does without JavaScript.
 *
 * FAQ: each question is a link to its own answer page. When htmx is present, the link
 * becomes a disclosure button: htmx loads the answer into the panel below on first use,
 * later uses show or hide it without another request. aria-expanded always matches what
 * is shown, and focus stays on the question.
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

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (state === "ready" || state === "failed" || forms.indexOf(event.target) < 0 || !button) {
      return;
    }
    event.preventDefault();
    held = button;
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
 * Glossary terms that open in place; the page works without this file.
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

/*
 * "Listen": reads a topic or an answer aloud with the browser's own speech, in the page's
 * language (<html lang>). Nothing is sent anywhere: only voices the browser says are on the
 * device (localService) are used, and where there is none for the language no button is
 * shown. Every element marked data-read-aloud (its value names it) gets a "Listen" button
 * (then "Pause" and "Resume") and a "Stop" button as it comes near the screen, made here,
 * so nobody without JavaScript meets them. It reads block by block, sentence by sentence,
 * and marks the sentence being read (a CSS highlight, and the class listen-reading on its
 * block). Citations, buttons, hidden text and forms are not read.
 */
(function () {
  "use strict";

  var speech = window.speechSynthesis;
  if (!speech || !window.SpeechSynthesisUtterance) {
    return;
  }
  var BLOCKS = "h2, h3, h4, p, li, dt, dd, th, td, caption";
  var QUIET = ".cite, button:not(.term-button), .visually-hidden, .term-panel, .listen, [hidden], form, .feedback, .answer-link, .copy-result, .to-top";
  var language = (document.documentElement.lang || "en").toLowerCase();
  var voice = null;
  var now = null; // what is being read: {box, items, at, paused, utterance}

  function pickVoice() {
    var own = speech.getVoices().filter(function (item) {
      var lang = item.lang.toLowerCase().replace("_", "-");
      return item.localService && (lang === language || lang.split("-")[0] === language.split("-")[0]);
    });
    return own.filter(function (item) { return item.default; })[0] || own[0] || null;
  }

  // The sentences of one block, each with the Range of the page text it covers.
  function sentencesOf(block, items) {
    var nodes = [];
    var text = "";
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest(QUIET)) {
        nodes.push({ node: node, start: text.length });
        text += node.nodeValue;
      }
    }
    function place(offset, range, edge) {
      for (var i = nodes.length - 1; i >= 0; i--) {
        if (nodes[i].start <= offset) {
          range[edge](nodes[i].node, Math.min(offset - nodes[i].start, nodes[i].node.length));
          return;
        }
      }
    }
    var sentence = /\S[\s\S]*?(?:[.!?…]+(?=\s|$)|$)/g;
    for (var match = sentence.exec(text); match; match = sentence.exec(text)) {
      if (/[\w\u00C0-\u024F]/.test(match[0])) {
        var range = document.createRange();
        place(match.index, range, "setStart");
        place(match.index + match[0].length, range, "setEnd");
        items.push({ block: block, range: range, text: match[0].replace(/\s+/g, " ").replace(/ ([.,;:!?])/g, "$1") });
      }
    }
  }

  function readingOrder(box) {
    var items = [];
    box.querySelectorAll(BLOCKS).forEach(function (block) {
      var outer = block.parentElement.closest(BLOCKS);
      if (!(outer && box.contains(outer)) && !block.closest(QUIET)) {
        sentencesOf(block, items);
      }
    });
    return items;
  }

  function mark(item) {
    document.querySelectorAll(".listen-reading").forEach(function (block) {
      block.classList.remove("listen-reading");
    });
    if (window.CSS && CSS.highlights) {
      CSS.highlights.delete("listen");
      if (item) {
        CSS.highlights.set("listen", new Highlight(item.range));
      }
    }
    if (item) {
      item.block.classList.add("listen-reading");
    }
  }

  function label(box, word) {
    var button = box.querySelector(".listen-play");
    button.firstChild.nodeValue = siteWords(word, word.charAt(0).toUpperCase() + word.slice(1));
    box.querySelector(".listen-stop").hidden = word === "listen";
  }

  function speakNext() {
    var item = now.items[now.at];
    if (!item) {
      stop();
      return;
    }
    mark(item);
    var utterance = new SpeechSynthesisUtterance(item.text);
    utterance.lang = voice.lang;
    utterance.voice = voice;
    utterance.onend = utterance.onerror = function () {
      if (now && now.utterance === utterance) {
        now.at += 1;
        speakNext();
      }
    };
    now.utterance = utterance;
    speech.speak(utterance);
  }

  function stop() {
    var box = now && now.box;
    now = null;
    speech.cancel();
    mark(null);
    if (box) {
      var focused = document.activeElement === box.querySelector(".listen-stop");
      label(box, "listen");
      if (focused) {
        box.querySelector(".listen-play").focus();
      }
    }
  }

  function play(box) {
    if (now && now.box === box) {
      now.paused = !now.paused;
      now.paused ? speech.pause() : speech.resume();
      label(box, now.paused ? "resume" : "pause");
      return;
    }
    stop();
    speech.resume(); // a pause left over would hold the new speech back
    now = { box: box, items: readingOrder(box.parentElement), at: 0, paused: false };
    label(box, "pause");
    speakNext();
  }

  function button(className, text, name) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.appendChild(document.createTextNode(text));
    if (name) {
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " – " + name;
      element.appendChild(hint);
    }
    return element;
  }

  function addButtons(target) {
    if (target.querySelector(":scope > .listen")) {
      return;
    }
    var box = document.createElement("p");
    box.className = "listen";
    box.hidden = !voice;
    var name = target.dataset.readAloud;
    box.appendChild(button("listen-play", siteWords("listen", "Listen"), name));
    var halt = button("listen-stop", siteWords("stop", "Stop"), name);
    halt.hidden = true;
    box.appendChild(halt);
    var heading = target.querySelector(":scope > .heading-row, :scope > h2");
    heading ? heading.after(box) : target.prepend(box);
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var targets = Array.prototype.slice.call(root.querySelectorAll("[data-read-aloud]"));
    if (root.matches && root.matches("[data-read-aloud]")) {
      targets.push(root);
    }
    targets.forEach(addButtons);
  }

  function showOrHide() {
    voice = pickVoice();
    document.querySelectorAll(".listen").forEach(function (box) {
      box.hidden = !voice;
    });
    if (!voice && now) {
      stop();
    }
  }

  document.addEventListener("click", function (event) {
    var pressed = event.target.closest && event.target.closest(".listen button");
    if (pressed) {
      pressed.classList.contains("listen-stop") ? stop() : play(pressed.parentElement);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && now && now.box.contains(event.target)) {
      stop();
    }
  });
  // Browsers go on speaking after the page is left.
  window.addEventListener("pagehide", function () {
    if (now) {
      stop();
    }
  });
  voice = pickVoice();
  whenNearTheScreen(document.querySelectorAll("[data-read-aloud]"), addButtons);
  speech.addEventListener("voiceschanged", showOrHide);
  document.addEventListener("htmx:load", function (event) {
    enhance(swappedIn(event));
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
