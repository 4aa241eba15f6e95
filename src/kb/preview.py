"""``kb serve --watch``: a live preview for authors.

The site is built once into ``_build/preview`` (never over the published ``_build/html``), then
rebuilt in this process whenever a file under data/, book/ (but book/generated) or the book's
configuration changes. The process keeps one Sphinx application with its environment between saves
(``Session``), so a rebuild costs only validation, generation and the pages Sphinx finds changed;
the analyses and the collected downloads, which hold every record, keep their last results until
the next ``kb build`` (remaking them takes seconds; ``kb.generate``).

Each HTML page is served with a small script that asks ``/__kb/status`` twice a second: it
reloads the page after a build and shows a validation error on the page, in the validator's
Danish words, while the terminal shows it too; a build with Sphinx warnings is shown, with the
warnings under it. The server keeps running through errors.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import uncoloured
from .html import inline
from .loader import DataError, load
from .text import plural

STATUS = "/__kb/status"
SCRIPT = "/__kb/live.js"
LIVE_JS = """(() => {
  let seen = null;
  const box = document.createElement('div');
  box.id = 'kb-preview-error';
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:9999;max-height:50vh;overflow:auto;'
    + 'background:#fff3f3;color:#5a0000;border-top:3px solid #b00020;padding:0.8rem 1rem;'
    + 'font:0.9rem/1.4 system-ui,sans-serif;white-space:pre-wrap';
  async function poll() {
    try {
      const status = await (await fetch('STATUS_URL', {cache: 'no-store'})).json();
      if (seen !== null && status.build !== seen) { location.reload(); return; }
      seen = status.build;
      const problems = status.errors.length ? status.errors : status.warnings;
      if (problems.length) {
        box.textContent = (status.errors.length ? 'Forhåndsvisningen er ikke opdateret – ret fejlen og gem igen:'
          : 'Siden er opdateret, men Sphinx advarer – ret det og gem igen:') + '\\n\\n' + problems.join('\\n');
        if (!box.isConnected) document.body.appendChild(box);
      } else if (box.isConnected) {
        box.remove();
      }
    } catch (e) { /* the server is restarting: try again */ }
    setTimeout(poll, 500);
  }
  poll();
})();
""".replace("STATUS_URL", STATUS)


class State:
    """What the page script asks for: the number of the last build that updated the pages, and
    the errors that stopped the last build or the warnings of the last that updated them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.build = 0
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def finished(self, built: bool, messages: list[str]) -> None:
        with self.lock:
            self.build += built
            self.errors, self.warnings = ([], messages) if built else (messages, [])

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.build, "errors": self.errors, "warnings": self.warnings}).encode()


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the preview folder; HTML pages get the live script, and the status is answered."""

    def __init__(self, *args, state: State, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == STATUS:
            return self._send(self.state.as_json(), "application/json")
        if path == SCRIPT:
            return self._send(LIVE_JS.encode(), "text/javascript")
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            live = inline("script", src=SCRIPT) + "</body>"
            page = file.read_bytes().replace(b"</body>", live.encode(), 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def watched(root: Path, data_dir: Path) -> dict[Path, int]:
    """The files an author edits, with their modification times."""
    files = [root / "_config.yml", root / "_toc.yml"]
    files += [p for p in (root / "book").rglob("*") if "generated" not in p.relative_to(root / "book").parts]
    files += list(data_dir.rglob("*.yml"))
    return {p: p.stat().st_mtime_ns for p in files if p.is_file()}


class Session:
    """One Sphinx application kept between saves, so a rebuild does not start Sphinx, set up the
    extensions and unpickle the environment again (seconds at 1,000 records). Before each later
    build it does what ``builder-inited`` did for the first (``kb.extension.prepare``); an edited
    ``_config.yml`` or ``_toc.yml``, or a build that raised, gets a new application."""

    def __init__(self, root: Path, data_dir: Path, out: Path) -> None:
        self.root, self.data_dir, self.out = root, data_dir, out
        self.app = None
        self.made_from: list[bytes] = []
        self.warnings = Warnings()
        self.docutils = contextlib.ExitStack()

    def configuration(self) -> list[bytes]:
        return [(self.root / name).read_bytes() for name in ("_config.yml", "_toc.yml")]

    def build(self) -> tuple[bool, list[str]]:
        """Validate, then build the preview; return (whether the pages were updated, the errors
        that stopped it or Sphinx's warnings)."""
        from . import extension

        try:
            extension.PRELOADED[self.data_dir] = load(self.data_dir, os.cpu_count() or 1)
        except DataError as exc:
            return False, [str(p) for p in exc.problems]
        os.environ["KB_DATA_DIR"] = str(self.data_dir)
        self.warnings.lines.clear()
        try:
            if self.app is None or self.configuration() != self.made_from:
                self.close()
                self.app = self._new_app()  # builder-inited writes the generated sources
            else:
                extension.prepare(self.app)
            self.app.build()
        except Exception as exc:  # Sphinx's or an extension's: shown, and the next save starts afresh
            self.close()
            return False, [f"Sphinx: {type(exc).__name__}: {exc}"]
        return True, list(self.warnings.lines)

    def _new_app(self):
        from jupyter_book.config import get_final_config
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.made_from = self.configuration()
        config, _ = get_final_config(
            user_yaml=self.root / "_config.yml", sourcedir=self.root, use_external_toc=True,
            cli_config={"external_toc_path": str(self.root / "_toc.yml"), "latex_individualpages": False,
                        # A fresh list: the themes add to it in place, and in one process its
                        # default would grow with every new app and rewrite every page.
                        "kb_preview": True, "templates_path": []})
        # The extensions' directives and roles are registered in docutils for as long as the app lives.
        self.docutils.enter_context(patch_docutils(None))
        self.docutils.enter_context(docutils_namespace())
        html = self.out / "_build" / "html"
        return Sphinx(srcdir=str(self.root), confdir=None, outdir=str(html),
                      doctreedir=str(html.parent / ".doctrees"), buildername="html",
                      confoverrides=config, status=None, warning=self.warnings,
                      freshenv=False, keep_going=True)

    def close(self) -> None:
        self.app = None
        self.docutils.close()


class Warnings(io.StringIO):
    """Sphinx's warning stream: to the terminal as Sphinx writes it, and kept for the page
    without the terminal's colours until the next build."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        sys.stderr.write(text)
        self.lines += [line for line in uncoloured(text).splitlines() if line.strip()]
        return len(text)


def serve(root: Path, data_dir: Path, port: int, say: Callable[[str], None] = print,
          interval: float = 0.2) -> None:
    """Build, serve on 127.0.0.1:port and rebuild on every save until interrupted."""
    out = root / "_build" / "preview"
    state = State()

    def build_and_report() -> None:
        start = time.monotonic()
        built, messages = session.build()
        state.finished(built, messages)
        if not built:
            say("kb: forhåndsvisningen er ikke opdateret:\n" + "\n".join(messages))
        else:
            warned = plural(len(messages), "advarsel", "advarsler")
            say(f"kb: forhåndsvisningen er opdateret på {time.monotonic() - start:.1f} s"
                + (f", med {warned} fra Sphinx (se ovenfor)" if messages else ""))

    session = Session(root, data_dir, out)
    seen = watched(root, data_dir)  # before the first build: a save during it is not missed
    build_and_report()
    handler = functools.partial(Handler, state=state, directory=str(out / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"kb: forhåndsvisning på http://127.0.0.1:{server.server_address[1]}/ - gem en fil, så "
        "bygges siden igen (Ctrl-C stopper)")
    try:
        while True:
            time.sleep(interval)
            now = watched(root, data_dir)
            if now != seen:
                seen = now
                build_and_report()
    finally:
        server.shutdown()
        session.close()
