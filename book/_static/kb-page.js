// Small things every page needs.
(function () {
  "use strict";

  // The phone menus. The book theme shows its two sidebar buttons in the article header and
  // hides the page header's pair, but the pydata theme opens its menus from the first button
  // of each kind only, which is the hidden one: on a phone the visible buttons did nothing.
  // Every other button of the kind passes its click on to the one the themes listen to.
  function forwardMenuButtons() {
    ["primary-toggle", "secondary-toggle"].forEach(function (kind) {
      var buttons = document.querySelectorAll("." + kind);
      for (var i = 1; i < buttons.length; i += 1) {
        buttons[i].addEventListener("click", function (event) {
          event.preventDefault();
          buttons[0].click();
        });
      }
    });
  }

  // A table or code wider than the screen scrolls sideways inside its box; without a word,
  // a reader on a phone would not know there is more to the right.
  var WIDE = ".bd-article .pst-scrollable-table-container, .bd-article pre, figure.kb-chart details, " +
    "details.kb-listing";
  var CUE = "Bredere end skærmen: stryg til siden for at se resten.";

  // Measured all at once, then written: a measurement after each change would lay the page
  // out again for every box, seconds on a slow phone.
  function cueSidewaysScrolling() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(WIDE));
    var wide = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box, i) {
      var cue = box.previousElementSibling;
      if (!cue || !cue.classList.contains("kb-scroll-cue")) {
        if (!wide[i]) return;
        cue = document.createElement("p");
        cue.className = "kb-scroll-cue";
        cue.textContent = CUE;
        box.parentNode.insertBefore(cue, box);
      }
      cue.hidden = !wide[i];
    });
  }

  // The theme's "back to top" button, which it leaves to Bootstrap's script (not loaded: kb.lean):
  // shown while the reader scrolls back up below the page header.
  function backToTop() {
    var button = document.getElementById("pst-back-to-top");
    var header = document.querySelector(".bd-header");
    if (!button || !header) return;
    var below = header.getBoundingClientRect().bottom;
    var last = window.scrollY;
    button.addEventListener("click", function () { window.scrollTo(0, 0); });
    window.addEventListener("scroll", function () {
      button.style.display = last > window.scrollY && window.scrollY > below ? "block" : "none";
      last = window.scrollY;
    }, { passive: true });
  }

  function setup() {
    forwardMenuButtons();
    backToTop();
    cueSidewaysScrolling();
    window.addEventListener("resize", cueSidewaysScrolling);
    document.addEventListener("toggle", cueSidewaysScrolling, true);  // a chart's table opened
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
