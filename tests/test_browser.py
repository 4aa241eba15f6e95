"""The built site in a real browser (Debian's Chromium via Playwright), with the network closed.

Every page of the real knowledge base is opened from a server on 127.0.0.1. Any
request to another host is blocked and reported; so are console errors and warnings,
uncaught page errors, failed responses and charts that did not draw. The filter, search
and print tests use the fixture site, whose records they may name.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output for failures
        pass


def serve(folder: Path):
    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(real_site: Path):
    yield from serve(real_site)


@pytest.fixture(scope="module")
def fixture_server(fixture_site):
    yield from serve(fixture_site[0] / "_build" / "html")


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "Chromium mangler: `make test` installerer den (apt-get install chromium)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab that records everything a page must not do."""

    def __init__(self, browser, base: str, **context):
        self.base = base
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning")
                     and self.problems.append(f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))
        self.page.route("**/*", self._only_local)

    def _only_local(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def open(self, rel: str):
        self.problems.clear()
        self.page.goto(self.base + rel, wait_until="load")
        self.page.wait_for_function(
            "document.querySelectorAll('figure.kb-chart').length === "
            "document.querySelectorAll('figure.kb-chart-drawn, figure.kb-chart-failed').length",
            timeout=20_000,
        )
        return self.page


def site_pages(real_site: Path) -> list[str]:
    return sorted(str(p.relative_to(real_site)) for p in real_site.rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html",))


def test_every_page_is_clean_offline_accessible_and_fits_a_phone(browser, server, real_site):
    """Each page at 375 px: no foreign request, console or page error, 404, undrawn chart,
    sideways scrolling, or serious/critical axe-core violation."""
    visit = Visit(browser, server, viewport={"width": 375, "height": 800})
    axe = Axe()
    pages = site_pages(real_site)
    assert len(pages) > len(list((REPO / "data" / "projects").glob("*.yml")))
    charts = 0
    failures = {}
    for rel in pages:
        page = visit.open(rel)
        drawn = page.locator("figure.kb-chart-drawn svg.marks").count()
        expected = page.locator("figure.kb-chart").count()
        charts += drawn
        if drawn != expected:
            visit.problems.append(f"{expected - drawn} af {expected} figurer ikke tegnet")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            visit.problems.append(f"siden er {width} px bred ved 375 px")
        # preload=False: axe's own stylesheet preload resolves the theme's `@import "../basic.css"`
        # against the page instead of the stylesheet and requests a file that does not exist.
        for v in axe.run(page, options={"preload": False}).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                visit.problems.append(f"axe {v['id']}: {[n['target'] for n in v['nodes'][:3]]}")
        if visit.problems:
            failures[rel] = list(visit.problems)
    assert failures == {}
    assert charts > 0
    print(f"{len(pages)} sider åbnet, {charts} figurer tegnet")


def test_analysis_charts_have_marks_and_tooltips(browser, server):
    visit = Visit(browser, server)
    page = visit.open("book/generated/analyser/effekter.html")
    points = page.locator("figure.kb-chart-drawn svg g.mark-symbol.role-mark path")
    assert points.count() > 1
    points.last.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "Design" in page.inner_text("#vg-tooltip-element")
    assert visit.problems == []


def _shown(page) -> int:
    return int(page.inner_text("#kb-filter-shown"))


def test_filter_page_by_clicking_keyboard_and_shared_link(browser, fixture_server, fixture_site):
    server = fixture_server
    visit = Visit(browser, server)
    page = visit.open("book/generated/find.html")
    total = page.locator(".kb-filter-item").count()
    assert total == len(list((fixture_site[1] / "projects").glob("*.yml")))
    assert _shown(page) == total
    page.select_option("#kb-filter-type", "foelgehjem-team")
    by_type = _shown(page)
    assert 0 < by_type < total
    assert page.locator(".kb-filter-item:not([hidden])").count() == by_type
    page.select_option("#kb-filter-region", "midtjylland")
    both = _shown(page)
    assert 0 < both <= by_type
    assert "type=foelgehjem-team" in page.url and "region=midtjylland" in page.url

    shared = Visit(browser, server)  # the link, opened by a colleague
    other = shared.open(page.url[len(server):])
    assert _shown(other) == both
    assert other.input_value("#kb-filter-region") == "midtjylland"

    page.click("button.kb-filter-reset")
    page.wait_for_function(f"document.getElementById('kb-filter-shown').textContent === '{total}'")
    assert "?" not in page.url

    page.focus("#kb-filter-alder")  # keyboard only: choose the first age threshold
    page.keyboard.press("ArrowDown")
    assert _shown(page) < total
    assert visit.problems == [] and shared.problems == []


@pytest.mark.parametrize("query, expected, highlighted", [
    ("genindlæggelser", "Udskrivelsessamtaler via video", True),  # the record says "genindlagt"/"genindlæggelse"
    ("genindlæggelse", "Udskrivelsessamtaler via video", True),
    ("hoftebrud", "Følge hjem", True),
    ("udskrivelsen", "Udskrivelsessamtaler via video", True),
    ("pårørende", "Udskrivelsessamtaler via video", True),
    # Sphinx marks the query as typed: the record says "sygeplejerske", so it is found but not marked.
    ("sygeplejersken", "Følge hjem", False),
])
def test_site_search_finds_danish_inflections(browser, fixture_server, query, expected, highlighted):
    visit = Visit(browser, fixture_server)
    page = visit.open(f"search.html?q={query}")
    # Sphinx adds results one at a time; wait until the expected page is among them.
    page.wait_for_function(
        "expected => [...document.querySelectorAll('#search-results ul.search li a')]"
        ".some(a => a.textContent.includes(expected))", arg=expected, timeout=30_000)
    if highlighted:  # the summaries, with the query marked, load after the result list
        page.wait_for_selector("#search-results .highlighted", timeout=30_000)
    assert visit.problems == []


def test_initiative_page_prints_without_navigation(browser, fixture_server):
    visit = Visit(browser, fixture_server)
    page = visit.open("book/generated/indsatser/vest-video.html")
    page.emulate_media(media="print")
    for selector in (".bd-sidebar-primary", ".bd-header", ".bd-sidebar-secondary", ".prev-next-area"):
        assert not page.locator(selector).first.is_visible(), selector
    grid = page.locator(".kb-blueprint").first
    assert grid.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.kb-blueprint')).breakInside") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('table.kb-blueprint-grid tr')).breakInside") \
        == "avoid"
    assert len(page.pdf(format="A4")) > 10_000


def test_keyboard_reaches_the_content_and_the_charts(browser, server):
    visit = Visit(browser, server)
    page = visit.open("book/generated/analyser/effekter.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    for _ in range(60):  # the chart's scroll box is reachable by Tab, so it can be scrolled by keys
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kb-chart-view')"):
            break
    else:
        pytest.fail("Tab never reached a chart")
    assert visit.problems == []
