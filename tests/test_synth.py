"""The benchmark's synthetic data sets and its quick mode."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO, kb, make_data_dir

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_dataset  # noqa: E402

REAL = len(list((REPO / "data" / "projects").glob("*.yml")))  # only the benchmark's own quick run counts them
BASE = len(list((FIXTURES / "projects").glob("*.yml")))


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The fixture records, vocabularies and context: the tests' synthetic sets never change with data/."""
    return make_data_dir(tmp_path / "base")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_synthetic_data_set_validates(tmp_path: Path, base: Path):
    data = make_dataset(100, tmp_path / "data", base)
    proc = kb("--data", str(data), "validate")
    assert proc.returncode == 0, proc.stderr
    assert "100 indsatser" in proc.stdout


def test_the_same_size_gives_identical_files(tmp_path: Path, base: Path):
    first, second = files(make_dataset(120, tmp_path / "a", base)), files(make_dataset(120, tmp_path / "b", base))
    assert first == second
    assert len([name for name in first if name.startswith("projects/")]) == 120


def test_ids_are_unique_and_match_file_names(tmp_path: Path, base: Path):
    data = make_dataset(3 * BASE + 2, tmp_path / "data", base)  # two clones of each, a third of two
    ids = [read(p)["id"] for p in sorted((data / "projects").glob("*.yml"))]
    assert ids == [p.stem for p in sorted((data / "projects").glob("*.yml"))]
    assert len(set(ids)) == len(ids) == 3 * BASE + 2
    assert sum(i.endswith("-s0003") for i in ids) == 2


def test_clones_are_marked_and_vary_from_their_originals(tmp_path: Path, base: Path):
    data = make_dataset(BASE + 30, tmp_path / "data", base)
    pairs = [(read(p), read(data / "projects" / re.sub(r"-s\d{4}", "", p.name)))
             for p in sorted((data / "projects").glob("*-s*.yml"))]
    assert len(pairs) == 30
    assert all(re.fullmatch(re.escape(o["title"]) + r" \(kopi \d+\)", c["title"]) for c, o in pairs)
    for part in (lambda r: r["region"], lambda r: r["intervention"]["types"],
                 lambda r: [x["outcome"] for x in r.get("results", [])]):
        assert sum(part(c) != part(o) for c, o in pairs) > 10


def test_fewer_records_than_the_context_needs_is_refused(tmp_path: Path, base: Path):
    with pytest.raises(ValueError, match=f"at least {BASE} records"):
        make_dataset(BASE - 1, tmp_path / "data", base)
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), "10", str(tmp_path / "x")],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"at least {REAL} records" in proc.stderr


def test_quick_benchmark_prints_a_table():
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"),
                           "--sizes", "real", "--runs", "1", "--only-validate"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"### {REAL} records (the real data)" in proc.stdout
    assert "| kb validate |" in proc.stdout
    assert "kb validate 1/1" in proc.stderr
