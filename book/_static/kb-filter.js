// "Find en indsats": filters the list on the page by the chosen values, shows the count and
// keeps the choice in the address (?type=...&region=...) so the view can be shared as a link.
(function () {
  "use strict";

  function setup() {
    var root = document.getElementById("kb-filter");
    if (!root) return;
    var form = root.querySelector("form");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var items = Array.prototype.slice.call(root.querySelectorAll(".kb-filter-item"));
    var shown = document.getElementById("kb-filter-shown");

    function apply(updateAddress) {
      var chosen = selects.filter(function (s) { return s.value; });
      var count = 0;
      items.forEach(function (item) {
        var match = chosen.every(function (s) {
          return (item.getAttribute("data-" + s.name) || "").split(" ").indexOf(s.value) >= 0;
        });
        item.hidden = !match;
        if (match) count += 1;
      });
      shown.textContent = String(count);
      if (updateAddress) {
        var params = new URLSearchParams();
        chosen.forEach(function (s) { params.set(s.name, s.value); });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var wanted = params.get(s.name);
      if (wanted && s.querySelector('option[value="' + CSS.escape(wanted) + '"]')) s.value = wanted;
      s.addEventListener("change", function () { apply(true); });
    });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
