// The charts are SVG drawn when the site is built (kb.charts); nothing is drawn here.
// A chart as wide as its column comes in two widths and kb.css shows the one that fits. A chart
// of a fixed size wider than its column (the evidence map on a phone), or one with no drawing
// narrow enough, would hide part of itself behind sideways scrolling: its table stands in,
// and a note says so. Loaded (not deferred) only by pages with a chart: a chart of a fixed size
// calls kbChartFit as soon as it is parsed, so the page does not shift when it gives way.
(function () {
  "use strict";

  // Measured without changing the page first, and changed only when the answer changes: a class
  // taken off and put back makes the browser work out the style of every element of the drawing
  // again (hundreds on the evidence map), twice on each load.
  function fit(figure) {
    var drawings = Array.prototype.slice.call(figure.querySelectorAll(".kb-chart-view svg"));
    var fixed = figure.querySelector(".kb-chart-view svg.kb-chart-fixed");
    // A drawing's own display (kb.css: the one that fits its column) is there to read even while
    // the figure hides all of them.
    var narrow = fixed ? Number(fixed.getAttribute("width")) > figure.clientWidth + 1
      : !drawings.some(function (svg) { return getComputedStyle(svg).display !== "none"; });
    if (narrow === figure.classList.contains("kb-chart-narrow")) return;
    figure.classList.toggle("kb-chart-narrow", narrow);
    if (narrow) figure.querySelector("details.kb-chart-table").open = true;
  }
  window.kbChartFit = fit;

  function setup() {
    var figures = document.querySelectorAll("figure.kb-chart");
    figures.forEach(fit);
    window.addEventListener("resize", function () { figures.forEach(fit); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
