// "Find en indsats": filters the list on the page by the chosen values, shows the count and
// keeps the choice in the address (?type=...&alder=72) so the view can be shared as a link.
// With no match it says so and offers to drop the filter that leaves the most initiatives.
(function () {
  "use strict";

  function setup() {
    var root = document.getElementById("kb-filter");
    if (!root) return;
    var form = root.querySelector("form");
    var controls = Array.prototype.slice.call(form.querySelectorAll("select, input"));
    var items = Array.prototype.slice.call(root.querySelectorAll(".kb-filter-item"));
    var shown = document.getElementById("kb-filter-shown");
    var summary = root.querySelector(".kb-filter-summary");
    var none = root.querySelector(".kb-filter-none");
    var widen = root.querySelector(".kb-filter-widen");

    // The citizen's age matches an initiative without a lower age limit, or with one at or below it;
    // the citizen's municipality, the initiatives of its region and the national ones.
    function matches(item, control) {
      if (control.name === "kommune") {
        var region = item.getAttribute("data-region");
        return region === control.selectedOptions[0].getAttribute("data-region") ||
          region === control.getAttribute("data-national");
      }
      var values = (item.getAttribute("data-" + control.name) || "").split(" ").filter(Boolean);
      if (control.name === "alder") {
        return !values.length || Number(values[0]) <= Number(control.value);
      }
      return values.indexOf(control.value) >= 0;
    }

    function chosen() {
      return controls.filter(function (c) { return c.value !== "" && (c.name !== "alder" || c.checkValidity()); });
    }

    function count(filters) {
      return items.filter(function (item) {
        return filters.every(function (c) { return matches(item, c); });
      }).length;
    }

    function describe(control) {
      var label = form.querySelector('label[for="' + control.id + '"]').textContent;
      var value = control.tagName === "SELECT" ? control.options[control.selectedIndex].text : control.value;
      return label + ": " + value;
    }

    // With nothing left, the filter whose removal brings back the most initiatives.
    function offerToWiden(filters) {
      var best = null;
      var most = 0;
      filters.forEach(function (c) {
        var n = count(filters.filter(function (other) { return other !== c; }));
        if (n > most) { best = c; most = n; }
      });
      widen.hidden = !best;
      if (best) {
        widen.textContent = "Fjern »" + describe(best) + "« (viser " + most + ")";
        widen.onclick = function () { best.value = ""; apply(true); };
      }
    }

    function apply(updateAddress) {
      var filters = chosen();
      var n = 0;
      items.forEach(function (item) {
        var match = filters.every(function (c) { return matches(item, c); });
        item.hidden = !match;
        if (match) n += 1;
      });
      shown.textContent = String(n);
      summary.hidden = n === 0;
      none.hidden = n !== 0;
      if (n === 0) offerToWiden(filters);
      if (updateAddress) {
        var params = new URLSearchParams();
        filters.forEach(function (c) { params.set(c.name, c.value); });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    controls.forEach(function (c) {
      var wanted = params.get(c.name);
      if (wanted !== null) {
        if (c.tagName === "SELECT") {
          if (c.querySelector('option[value="' + CSS.escape(wanted) + '"]')) c.value = wanted;
        } else {
          c.value = wanted;
        }
      }
      c.addEventListener(c.tagName === "SELECT" ? "change" : "input", function () { apply(true); });
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
