"""A stand-in for the browser's speech engine, for the "Listen" browser tests.

Headless Chromium has no voices, so an init script replaces ``speechSynthesis`` and
``SpeechSynthesisUtterance`` with fakes that record what would be said. ``window.__speech``
holds the record (``spoken``: text, lang and voice of each utterance) and lets a test move
on: ``finish()`` ends the sentence being spoken (a boundary event, then end) and starts the
next one queued. ``addVoice(lang)`` adds a voice later and fires ``voiceschanged``.
"""

from __future__ import annotations

import json

from playwright.sync_api import Browser, BrowserContext

FAKE_SPEECH = """
(() => {
  const voices = %s.map((lang) => ({name: "Fake " + lang, lang, localService: %s,
                                     default: false, voiceURI: "fake-" + lang}));
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ""; this.voice = null; }
  }
  function fire(utterance, type) {
    const event = new Event(type);
    if (utterance["on" + type]) utterance["on" + type](event);
    utterance.dispatchEvent(event);
  }
  const record = {spoken: [], queue: [], current: null, paused: false, cancels: 0};
  function next() {
    record.current = record.queue.shift() || null;
    if (record.current) fire(record.current, "start");
  }
  record.finish = () => {
    const done = record.current;
    if (!done) return false;
    fire(done, "boundary");
    next();
    fire(done, "end");
    return true;
  };
  record.addVoice = (lang) => {
    voices.push({name: "Fake " + lang, lang, localService: true, default: false,
                 voiceURI: "fake-" + lang});
    engine.dispatchEvent(new Event("voiceschanged"));
  };
  class Engine extends EventTarget {
    getVoices() { return voices.slice(); }
    speak(utterance) {
      record.spoken.push({text: utterance.text, lang: utterance.lang,
                          voice: utterance.voice && utterance.voice.name});
      record.queue.push(utterance);
      if (!record.current) next();
    }
    pause() { record.paused = true; }
    resume() { record.paused = false; }
    cancel() {
      record.cancels += 1;
      record.queue = [];
      const stopped = record.current;
      record.current = null;
      if (stopped) fire(stopped, "error");
    }
    get speaking() { return Boolean(record.current); }
    get paused() { return record.paused; }
    get pending() { return record.queue.length > 0; }
  }
  const engine = new Engine();
  Object.defineProperty(window, "speechSynthesis", {value: engine, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.__speech = record;
})();
"""


def speech_context(
    browser: Browser, *, voices=("en-US", "es-ES"), on_device: bool = True, **options
) -> BrowserContext:
    """A browser context whose pages have the fake speech engine with these voices."""
    context = browser.new_context(**options)
    context.add_init_script(FAKE_SPEECH % (json.dumps(list(voices)), json.dumps(on_device)))
    return context
