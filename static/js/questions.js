/*
 * Questions for the doctor: tick, then print only the ticked ones. Without this file every
 * question prints. Ticks stay in the page: nothing is sent, saved or put in a cookie.
 *
 * Once a question is ticked, the list gets the class "print-ticked-only" and each ticked
 * question "is-ticked"; the print stylesheet then leaves out the others. A polite status
 * says how many are ticked.
 */
(function () {
  "use strict";

  function update(picker) {
    var boxes = picker.querySelectorAll('input[type="checkbox"]');
    var ticked = 0;
    boxes.forEach(function (box) {
      var item = box.closest(".doctor-question");
      if (item) {
        item.classList.toggle("is-ticked", box.checked);
      }
      if (box.checked) {
        ticked += 1;
      }
    });
    picker.classList.toggle("print-ticked-only", ticked > 0);
    var count = picker.querySelector("[data-tick-count]");
    if (count) {
      // The page gives the words in its language (data- attributes); English otherwise.
      var words = count.dataset;
      count.textContent =
        ticked === 0
          ? words.noneTicked || "No questions ticked: all will print."
          : ticked === 1
            ? words.oneTicked || "1 question ticked."
            : (words.manyTicked || "{count} questions ticked.").replace("{count}", ticked);
    }
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var pickers = root.querySelectorAll("[data-question-picker]");
    if (!pickers.length) {
      return;
    }
    document.querySelectorAll("[data-js-text]").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll("[data-no-js-text]").forEach(function (element) {
      element.hidden = true;
    });
    pickers.forEach(update);
  }

  document.addEventListener("change", function (event) {
    var picker = event.target.closest && event.target.closest("[data-question-picker]");
    if (picker) {
      update(picker);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  enhance(document);
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail && event.detail.elt);
  });
})();
