"""What validates, builds: odd but legal records (BOM, CRLF, Unicode, extreme values) go through
``kb build`` with warnings as errors. One build; the bad-input corpus is in test_validate.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, kb, make_book_root, make_data_dir
from kb.loader import load

TITLE = "Hjem igen 🏠 – café og cafe\u0301, Ærø ✓ 👩‍⚕️ " + "meget lang titel " * 15  # combining accent, ZWJ
RECORD = (FIXTURES / "projects" / "vest-video.yml").read_text(encoding="utf-8")


def odd(record_id: str, *changes: tuple[str, str]) -> str:
    text = RECORD.replace("id: vest-video", f"id: {record_id}")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


ODD = {  # file name -> bytes
    "skaev-bom-crlf.yml": b"\xef\xbb\xbf" + odd("skaev-bom-crlf").replace("\n", "\r\n").encode("utf-8"),
    "skaev-unicode.yml": odd(
        "skaev-unicode",
        ("title: Udskrivelsessamtaler via video", f"title: {TITLE.strip()}"),
        ("  - Vestklyngens kommuner\n", "  - Vestklyngens kommuner\n  - \"Ελληνικά, עברית, العربية, 日本語\"\n"),
        ("  timing: Ved udskrivelsen", "  timing: |\n    Ved udskrivelsen\ttab\n    og en ny linje"),
    ).encode("utf-8"),
    "skaev-yderpunkter.yml": odd(
        "skaev-yderpunkter",
        ("  min_age: 65", "  min_age: 120"),
        ("period:\n", "period:\n  start: 1990\n  end: 2100\n"),
        ("value: 7.9", "value: 100"),
        ("n: 63", "n: 2147483648"),
        ("      value: 17", "      value: 0"),
        ("threshold: 31", "threshold: 0.000001"),
    ).encode("utf-8"),
}


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("odd")
    root, data = make_book_root(base), make_data_dir(base)
    for name, content in ODD.items():
        (data / "projects" / name).write_bytes(content)
    return root, data


def test_odd_but_legal_records_validate_and_build(odd_site):
    root, data = odd_site
    kbase = load(data)
    assert {"skaev-bom-crlf", "skaev-unicode", "skaev-yderpunkter"} <= set(kbase.by_id())
    assert kbase.by_id()["skaev-unicode"].title == TITLE.strip()
    proc = kb("--root", str(root), "--data", str(data), "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = root / "_build" / "html" / "book" / "generated" / "indsatser"
    html = (pages / "skaev-unicode.html").read_text(encoding="utf-8")
    assert "Hjem igen 🏠 – café og cafe\u0301, Ærø ✓ 👩‍⚕️" in html and "العربية" in html
    assert "Udskrivelsessamtaler via video" in (pages / "skaev-bom-crlf.html").read_text(encoding="utf-8")
    extreme = (pages / "skaev-yderpunkter.html").read_text(encoding="utf-8")
    assert "120" in extreme and "2100" in extreme
