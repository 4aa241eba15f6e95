// The phone menus. The book theme shows its two sidebar buttons in the article header and
// hides the page header's pair, but the pydata theme opens its menus from the first button
// of each kind only, which is the hidden one: on a phone the visible buttons did nothing.
// Every other button of the kind passes its click on to the one the themes listen to.
(function () {
  "use strict";

  function forward() {
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", forward);
  } else {
    forward();
  }
})();
