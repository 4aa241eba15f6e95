// "Find en indsats": filters the list on the page by the chosen values, shows the count with the
// filters chosen and keeps the choice in the address (?type=...&alder=72) so the view can be shared as a link.
// With no match it says so and offers to drop the filter that leaves the most initiatives.
// Each initiative carries codes, not labels (kb.finder): "r2" is the region select's value 2 (counted
// from 0 after "Alle"), "g75" an age limit of 75, "b1" the strongest design (value 1 of the design
// select), "f0" the list's flag 0. Its facts and badges are written here from the labels the filters
// already hold.
(function () {
  "use strict";

  function setup() {
    var root = document.getElementById("kb-filter");
    if (!root) return;
    var form = root.querySelector("form");
    var controls = Array.prototype.slice.call(form.querySelectorAll("select, input"));
    var list = document.getElementById("kb-filter-list");
    var items = Array.prototype.slice.call(list.children);
    var shown = document.getElementById("kb-filter-shown");
    var summary = root.querySelector(".kb-filter-summary");
    var none = root.querySelector(".kb-filter-none");
    var widen = root.querySelector(".kb-filter-widen");
    var active = root.querySelector(".kb-filter-active");
    var flagNames = list.getAttribute("data-flags").split("|");
    var byName = {};
    controls.forEach(function (c) { byName[c.name] = c; });

    // code -> true for each item, and its codes by letter in the order written (r: ["2"], t: ["0", "5"]).
    items.forEach(function (item) {
      item.kbHas = {};
      item.kbCodes = {};
      item.getAttribute("data-v").split(" ").filter(Boolean).forEach(function (code) {
        item.kbHas[code] = true;
        (item.kbCodes[code[0]] = item.kbCodes[code[0]] || []).push(code.slice(1));
      });
    });

    function label(name, place) { return byName[name].options[Number(place) + 1].text; }

    // The code of a value of a select, as the items write it.
    function code(control, value) {
      var options = Array.prototype.map.call(control.options, function (o) { return o.value; });
      return control.getAttribute("data-k") + (options.indexOf(value) - 1);
    }

    function badge(text, flag) {
      var span = document.createElement("span");
      span.className = flag ? "kb-badge kb-flag" : "kb-badge";
      span.textContent = text;
      return [" ", span];
    }

    function line(text) {
      var p = document.createElement("p");
      p.textContent = text;
      return p;
    }

    // After the title: the strongest design (or none) and the flags; where, what and for whom.
    function describeItem(item) {
      var codes = item.kbCodes;
      var names = function (name, letter) {
        return (codes[letter] || []).map(function (place) { return label(name, place); });
      };
      var marks = badge(codes.b ? label("design", codes.b[0]) : list.getAttribute("data-none"), false);
      (codes.f || []).forEach(function (f) { marks = marks.concat(badge(flagNames[Number(f)], true)); });
      item.firstElementChild.after.apply(item.firstElementChild, marks);
      var where = names("region", "r").concat(names("klynge", "k")).join(", ");
      var facts = [line(where + " · " + names("type", "t").join(", "))];
      var target = (codes.g ? [codes.g[0] + " år og derover"] : [])
        .concat(names("diagnose", "d"), names("miljoe", "m"));
      if (target.length) facts.push(line("Målgruppe: " + target.join(" · ")));
      marks[marks.length - 1].after.apply(marks[marks.length - 1], facts);
    }

    // The test an item must pass for the control's value, made once per choice. The citizen's age
    // matches an initiative without a lower age limit, or with one at or below it. The citizen's
    // municipality (kb.geography, the same rule): an initiative that names municipalities, if it names
    // this one; else one that names a cluster, if it is this municipality's; else one of its region or
    // a national one.
    function test(control) {
      if (control.name === "kommune") {
        var option = control.selectedOptions[0];
        var here = code(control, control.value);
        var region = code(byName.region, option.getAttribute("data-region"));
        var national = code(byName.region, control.getAttribute("data-national"));
        var cluster = option.getAttribute("data-klynge");
        var clusterCode = cluster && byName.klynge ? code(byName.klynge, cluster) : null;
        return function (item) {
          if (item.kbCodes.c) return item.kbHas[here] || false;
          if (item.kbHas[national]) return true;
          if (item.kbCodes.k) return clusterCode !== null && (item.kbHas[clusterCode] || false);
          return item.kbHas[region] || false;
        };
      }
      if (control.name === "alder") {
        var age = Number(control.value);
        return function (item) { return !item.kbCodes.g || Number(item.kbCodes.g[0]) <= age; };
      }
      var wanted = code(control, control.value);
      return function (item) { return item.kbHas[wanted] || false; };
    }

    function passes(tests) {
      return function (item) { return tests.every(function (t) { return t(item); }); };
    }

    function chosen() {
      return controls.filter(function (c) { return c.value !== "" && (c.name !== "alder" || c.checkValidity()); });
    }

    function count(filters) {
      return items.filter(passes(filters.map(test))).length;
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
      var matches = passes(filters.map(test));
      items.forEach(function (item) {
        var match = matches(item);
        item.hidden = !match;
        if (match) n += 1;
      });
      shown.textContent = String(n);
      // The chosen filters beside the count: on a phone a link's filter may sit below the screen.
      active.textContent = filters.length ? " med " + filters.map(describe).join("; ") : "";
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

    items.forEach(describeItem);
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
