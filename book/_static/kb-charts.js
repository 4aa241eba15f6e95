// Draws every figure.kb-chart on the page from its inline Vega-Lite spec.
// The Vega bundle is loaded from this site's own _static folder, and only on pages
// that have a chart: the site never asks another host for anything.
(function () {
  "use strict";
  var here = document.currentScript.src;
  var locale = {
    decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."],
  };
  // Vega-Lite warns 'Dropping "fit-y"' for every chart that is as wide as its column
  // (autosize fit-x) and has rows of a fixed height, although fit-x is what it then uses.
  // The bundle keeps Vega-Lite's logger private, so that one message is dropped here.
  var expected = /Dropping "fit-y" because spec has discrete height/;
  var warn = console.warn;
  console.warn = function () {
    if (!expected.test(Array.prototype.join.call(arguments, " "))) warn.apply(console, arguments);
  };

  // How wide the chart is as drawn: a chart as wide as its column can still draw past its edge
  // when its labels leave the plot no room (long row labels on a phone).
  function drawnWidth(svg) {
    var content = svg.getBBox();
    return Math.max(svg.getBoundingClientRect().width, content.x + content.width);
  }

  // A chart wider than its column (the evidence map on a phone) would hide part of itself
  // behind sideways scrolling: its table stands in, and a note says so.
  function fitOrTable(figure, width) {
    var table = figure.querySelector("details.kb-chart-table");
    function fit() {
      var narrow = width > figure.clientWidth + 1;
      figure.classList.toggle("kb-chart-narrow", narrow);
      if (narrow) table.open = true;
    }
    fit();
    window.addEventListener("resize", fit);
  }

  function draw() {
    var figures = document.querySelectorAll("figure.kb-chart");
    if (!figures.length) return;
    var script = document.createElement("script");
    script.src = new URL("vega.js", here).href;
    script.onload = function () {
      figures.forEach(function (figure) {
        var spec = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
        var view = figure.querySelector(".kb-chart-view");
        window.vegaEmbed(view, spec, { renderer: "svg", actions: false, formatLocale: locale })
          .then(function () {
            figure.classList.add("kb-chart-drawn");
            fitOrTable(figure, drawnWidth(view.querySelector("svg")));
          })
          .catch(function (error) {
            figure.classList.add("kb-chart-failed");
            view.textContent = "Figuren kunne ikke tegnes; tallene står i tabellen nedenfor.";
            console.warn(error);
          });
      });
    };
    document.head.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
