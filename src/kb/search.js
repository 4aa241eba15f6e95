// The search page's ranking and summaries (kb.theme names this file as Sphinx's html_search_scorer;
// Sphinx puts it into language_data.js, which the search page loads after searchtools.js).
// - A page or section whose title is exactly what the reader typed comes first: a reader who types an
//   initiative's name wants that initiative, not every page that mentions its words.
// - A result's summary is the page's prose: code, tables, charts, menus, the print-only list of
//   sections and the method page's field names (.kb-field, kb.background) are left out, so no
//   Python or field name ("results.outcome") stands in it.
(function () {
  "use strict";

  var EXACT_PAGE = 1000;
  var EXACT_SECTION = 500;
  var NOT_PROSE = "pre, code, table, svg, nav, .headerlink, .kb-field, #jb-print-docs-body, script, style";

  function plain(html) {
    return new DOMParser().parseFromString(html, "text/html").documentElement.textContent;
  }

  function same(a, b) {
    return a.toLocaleLowerCase("da").replace(/\s+/g, " ").trim() === b.toLocaleLowerCase("da").replace(/\s+/g, " ").trim();
  }

  function typed() {
    return new URLSearchParams(window.location.search).get("q") || "";
  }

  // A result is [docname, title, anchor, description, score, filename]; a section's title is
  // "page > section", each part as HTML (a literal ">" in a title is written "&gt;").
  Scorer.score = function (result) {
    var parts = result[1].split(" > ");
    if (parts.length === 1 && same(plain(parts[0]), typed())) return result[4] + EXACT_PAGE;
    if (same(plain(parts[parts.length - 1]), typed())) return result[4] + EXACT_SECTION;
    return result[4];
  };

  Search.htmlToText = function (htmlString, anchor) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(NOT_PROSE).forEach(function (el) { el.remove(); });
    var main = page.querySelector('[role="main"]');
    var part = (anchor && main && main.querySelector(anchor)) || (main && main.querySelector("article")) || main;
    return part ? part.textContent.replace(/\s+/g, " ") : "";
  };
})();
