"""A small Sphinx extension that mends the book theme where it fails its readers.

The theme's sidebar renders each expandable chapter as ``<details><summary>`` with
only an icon inside: a screen reader announces an unnamed control (axe:
"summary-name", serious). The label is added where the theme builds that HTML.
"""

from __future__ import annotations

TOGGLE_LABEL = "Vis eller skjul underpunkter"


def _label_toggles(app, pagename, templatename, context, doctree) -> None:
    build = context.get("generate_toctree_html")
    if build is None:
        return

    def labelled(*args, **kwargs):
        html = str(build(*args, **kwargs))
        return html.replace("<summary>", f'<summary aria-label="{TOGGLE_LABEL}">')

    context["generate_toctree_html"] = labelled


def setup(app):
    # After the theme (priority 500) has put its own function into the page context.
    app.connect("html-page-context", _label_toggles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
