"""The HTML kb writes into its pages, from the autoescaped Jinja templates in ``templates/html``.

Every value a template prints is escaped unless it is ``markupsafe.Markup``, so a new field
cannot reach a page unescaped by a forgotten call. What is HTML already (an SVG drawn by the
chart library) is wrapped in Markup where it enters, with the reason beside it.
"""

from __future__ import annotations

from html import escape

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_eval_context
from markupsafe import Markup

from .text import fold, lower_first, md


@pass_eval_context
def _escaped(eval_ctx, value):
    """Escaped as ``html.escape`` does (&quot; and &#x27;, as the pages always had; markupsafe
    writes &#34; and &#39;). Jinja's autoescape then leaves the Markup as it is."""
    if eval_ctx.autoescape and not hasattr(value, "__html__"):
        return Markup(escape(str(value)))
    return value


ENVIRONMENT = Environment(
    loader=PackageLoader("kb", "templates/html"),
    autoescape=True,
    finalize=_escaped,
    undefined=StrictUndefined,
    auto_reload=False,  # the templates are part of kb, not something an author edits while it runs
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.filters.update(
    fold=fold,  # a blank line in record text would end a raw-HTML block in MyST
    lower_first=lower_first,
    # Record text inside a tag of a MyST page is read by the MyST parser, not the browser:
    # md() makes it inert there, and HTML-escaping it as well would show the entities.
    md=lambda text: Markup(md(text)),
)


def render(template: str, **values) -> str:
    """The template ``template`` filled in with ``values``."""
    return ENVIRONMENT.get_template(template).render(**values)


def inline(macro: str, **values) -> str:
    """A piece of HTML for inside a line: the macro ``macro`` of inline.html, filled in with ``values``."""
    return str(getattr(ENVIRONMENT.get_template("inline.html").module, macro)(**values))
