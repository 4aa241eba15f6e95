"""Publishing a built site (kb.build._publish): one step from the old site to the new, a plain folder that
every copy tool copies whole, and only changed files copied. Fast: no Sphinx build."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kb import build as kb_build
from kb.build import _publish


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _staged(tmp_path: Path, text: str) -> Path:
    built = tmp_path / "staging"
    (built / "sub" / "deeper").mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "sub/side.html", "sub/deeper/figur.svg"):
        (built / name).write_text(f"{text}: {name}", encoding="utf-8")
    return built


def test_publishing_copies_only_changed_files_and_never_shares_them_with_staging(tmp_path):
    built, target = tmp_path / "staging", tmp_path / "html"
    (built / "sub").mkdir(parents=True)
    (built / "same.html").write_text("uændret", encoding="utf-8")
    (built / "sub" / "changed.html").write_text("før", encoding="utf-8")
    _publish(built, target)
    first = (target / "same.html").stat().st_ino
    (built / "sub" / "changed.html").write_text("efter", encoding="utf-8")  # Sphinx rewrites in place
    assert (target / "sub" / "changed.html").read_text(encoding="utf-8") == "før"
    _publish(built, target)
    assert (target / "same.html").stat().st_ino == first  # linked from the earlier site, not copied
    assert (target / "sub" / "changed.html").read_text(encoding="utf-8") == "efter"
    assert (built / "same.html").stat().st_ino != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "sites", "staging"]
    assert list((tmp_path / "sites").iterdir()) == []  # the earlier copy is gone


def test_an_edit_that_keeps_the_size_is_published(tmp_path):
    """Size alone does not say a file is unchanged: Sphinx may rewrite a page to the same length."""
    built, target = tmp_path / "staging", tmp_path / "html"
    built.mkdir()
    page = built / "index.html"
    page.write_text("Genindlagt: 17 %", encoding="utf-8")
    _publish(built, target)
    page.write_text("Genindlagt: 71 %", encoding="utf-8")
    published = (target / "index.html").stat()
    os.utime(page, ns=(published.st_atime_ns, published.st_mtime_ns + 1_000_000_000))
    _publish(built, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "Genindlagt: 71 %"


def _watch(monkeypatch, target: Path) -> list[str | None]:
    """What a reader of ``target`` finds after every step that changes a folder entry while publishing."""
    seen: list[str | None] = []

    def look() -> None:
        index = target / "index.html"
        seen.append(index.read_text(encoding="utf-8") if index.is_file() else None)

    def watched(step):
        def call(*args, **kwargs):
            result = step(*args, **kwargs)
            look()
            return result
        return call

    for name in ("rename", "replace", "unlink", "rmdir", "symlink", "link", "mkdir"):
        monkeypatch.setattr(os, name, watched(getattr(os, name)))
    monkeypatch.setattr(kb_build, "_exchange", watched(kb_build._exchange))
    return seen


def test_readers_never_see_a_missing_or_mixed_site_while_it_is_published(tmp_path, monkeypatch):
    target = tmp_path / "html"
    _publish(_staged(tmp_path, "første"), target)
    seen = _watch(monkeypatch, target)
    _publish(_staged(tmp_path, "anden"), target)
    assert None not in seen, "the published folder was missing at some step"
    first_new = seen.index("anden: index.html")
    assert set(seen[:first_new]) == {"første: index.html"} and set(seen[first_new:]) == {"anden: index.html"}
    assert snapshot(target) == snapshot(tmp_path / "staging")


def test_without_an_exchange_the_site_is_still_published_whole(tmp_path, monkeypatch):
    """macOS and Windows lack renameat2: two renames, then the same site as with the exchange."""
    target = tmp_path / "html"
    _publish(_staged(tmp_path, "første"), target)
    monkeypatch.setattr(kb_build.ctypes, "CDLL", lambda *a, **k: object())  # a C library without renameat2
    _publish(_staged(tmp_path, "anden"), target)
    assert snapshot(target) == snapshot(tmp_path / "staging")
    assert list((tmp_path / "sites").iterdir()) == []


def test_a_failure_while_publishing_leaves_the_earlier_site_whole(tmp_path, monkeypatch):
    target = tmp_path / "html"
    _publish(_staged(tmp_path, "første"), target)
    before = snapshot(target)
    copied = []

    def full_disk(source, dest):
        if copied:
            raise OSError(28, "No space left on device")
        copied.append(shutil.copyfile(source, dest))

    monkeypatch.setattr(shutil, "copy2", full_disk)
    with pytest.raises(OSError):
        _publish(_staged(tmp_path, "anden"), target)
    assert snapshot(target) == before
    assert list((tmp_path / "sites").iterdir()) == []  # no half copy left behind


def test_a_site_published_as_a_link_becomes_a_folder(tmp_path):
    """kb published _build/html as a link into sites/ before; the next build replaces it with the site."""
    target, sites = tmp_path / "html", tmp_path / "sites"
    (sites / "123" / "gammel").mkdir(parents=True)
    target.symlink_to(Path("sites") / "123")
    _publish(_staged(tmp_path, "ny"), target)
    assert target.is_dir() and not target.is_symlink() and not (target / "gammel").exists()
    assert (target / "index.html").read_text(encoding="utf-8") == "ny: index.html"
    assert list(sites.iterdir()) == []


@pytest.mark.parametrize("tool", [["cp", "-r"], ["rsync", "-a"]], ids=["cp -r", "rsync -a"])
def test_copy_tools_deliver_the_whole_site(tmp_path, tool):
    """Deployed as the Jupyter Book documentation shows it, the copy is the site, not a link to it."""
    target = tmp_path / "_build" / "html"
    _publish(_staged(tmp_path, "første"), target)
    _publish(_staged(tmp_path, "anden"), target)
    server = tmp_path / "srv"
    server.mkdir()
    subprocess.run([*tool, str(target), str(server)], check=True)
    copied = server / "html"
    assert not any(p.is_symlink() for p in [copied, *copied.rglob("*")])
    assert snapshot(copied) == snapshot(tmp_path / "staging")
