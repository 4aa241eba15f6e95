"""Safe MyST text and Danish number formatting for the generated pages."""

from __future__ import annotations

import re
import string

_ESCAPE = str.maketrans({c: "\\" + c for c in string.punctuation})
_SPACE = re.compile(r"\s+")


def md(text: str) -> str:
    """Record text as inert MyST inline text.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows
    this for all of them), and whitespace is folded to single spaces so no line
    can start a heading, list, fence, directive, role, target or raw HTML.
    """
    return fold(text).translate(_ESCAPE)


def fold(text: str) -> str:
    """Text on one line, each run of whitespace a single space."""
    return _SPACE.sub(" ", text).strip()


_DANISH_LETTERS = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # the three letters after z


def danish_order(text: str) -> str:
    """A sort key for the Danish alphabet: … z, æ, ø, å, with 'aa' as 'å' (Aabenraa after Ærø)."""
    return text.lower().replace("aa", "å").translate(_DANISH_LETTERS)


def page(label: str, title: str, *blocks: str) -> str:
    """A generated page: its reference label, its title and its blocks, one blank line apart."""
    body = "\n".join(b.rstrip("\n") + "\n" for b in blocks if b)
    return f"({label})=\n# {md(title)}\n\n{body}"


def plural(n: int, one: str, many: str) -> str:
    """A count with the word in the right number: '1 indsats', '5 indsatser', '1.250 indsatser'."""
    return f"{number(n)} {one if n == 1 else many}"


def lower_first(label: str) -> str:
    """A label inside a sentence: 'Resultater afventer' -> 'resultater afventer'; 'LPR3 …' stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def number(value: float) -> str:
    """7.9 -> '7,9'; 15000 -> '15.000'; -18 -> '-18' (Danish separators)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if float(value).is_integer():
        return f"{sign}{int(value):,}".replace(",", ".")
    digits = repr(float(value))
    if "e" in digits:
        digits = f"{value:f}".rstrip("0")
    whole, frac = digits.split(".")
    return f"{sign}{int(whole):,}".replace(",", ".") + "," + frac


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")


def day(value) -> str:
    """A date the Danish way: '23. november 2026'."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def quantity(value: float, symbol: str) -> str:
    """A number with its unit symbol: '7,9 %', '90 dage', '63'."""
    return f"{number(value)} {symbol}".strip()


def ref(source) -> str:
    """A source reference: the document title (via its label, a validated slug) and the locator."""
    text = f"{{ref}}`kilde-{source.document}`, {md(source.locator)}"
    return text + (f" – {md(source.note)}" if source.note else "")
