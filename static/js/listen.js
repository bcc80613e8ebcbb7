/*
 * "Listen": reads a topic or an answer aloud with the browser's own speech, in the page's
 * language (<html lang>). Nothing is sent anywhere: only voices the browser says are on the
 * device (localService) are used, and where there is none for the language no button is
 * shown. Every element marked data-read-aloud (its value names it) gets a "Listen" button
 * (then "Pause" and "Resume") and a "Stop" button as it comes near the screen, made here,
 * so nobody without JavaScript meets them. It reads block by block, sentence by sentence,
 * and marks the sentence being read (a CSS highlight, and the class listen-reading on its
 * block). Citations, buttons, hidden text, forms and links to other pages are not read.
 * Loaded, after site.js (whose helpers it uses), by the pages with something to read aloud.
 */
(function () {
  "use strict";

  var speech = window.speechSynthesis;
  if (!speech || !window.SpeechSynthesisUtterance) {
    return;
  }
  var BLOCKS = "h2, h3, h4, p, li, dt, dd, th, td, caption";
  var QUIET = ".cite, button:not(.term-button), .visually-hidden, .term-panel, .listen, [hidden], form, .feedback, .answer-link, .topic-page-link, .copy-result, .to-top";
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
