"""Synthetic knowledge bases of any size, for the build benchmark.

``make_dataset(n, out)`` writes a complete data folder: the real vocabularies, documents,
context and coverage, the real records (the context refers to them, so they are always
included) and n - len(real) clones, listed beside their originals in the coverage lists.
Clone k of a real record gets the id ``<id>-s000k``, a marked title and region, cluster,
intervention types, outcomes, designs, minimum age and values drawn from the real vocabularies
by a generator seeded with its id, so the analyses see variety and the same n always gives
byte-identical files.

    python benchmarks/synth.py 1000 /tmp/data-1000
"""

from __future__ import annotations

import argparse
import copy
import itertools
import random
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
MIN_AGES = (None, 60, 65, 70, 75, 80)
MAX_SLUG = 80  # kb.model.Slug
MEASURED, COMPARES = 1, 2  # kb.model: the design ranks the coding manual's rules name
NO_DIRECTION, REACH = ("ikke-maalt", "referencetal"), "raekkevidde"  # kb.model: results without a direction
COMPARABLE_GROUP = "Indlæggelse og død"  # kb.model: the outcomes whose results state window, events …


class _Dumper(yaml.SafeDumper):
    """Never writes anchors and aliases: the strict loader refuses them."""

    def ignore_aliases(self, data) -> bool:
        return True


def make_dataset(n: int, out: Path, base: Path = DATA) -> Path:
    """Write a data folder with exactly ``n`` initiative records into ``out`` (new or empty): ``base``'s
    records and clones of them. The tests pass their fixture data, so their sets never change with the
    real records; the benchmark clones the real ones."""
    real = sorted((base / "projects").glob("*.yml"))
    if n < len(real):
        raise ValueError(
            f"n={n} is too small: the context and coverage lists refer to every one of the "
            f"{len(real)} records in {base}, so a data set needs at least {len(real)} records"
        )
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    shutil.copytree(base, out, dirs_exist_ok=True)  # vocabularies, documents, context, the records
    texts = [path.read_text(encoding="utf-8") for path in real]
    records = [yaml.safe_load(text) for text in texts]
    vocab = {path.stem: [t["id"] for t in yaml.safe_load(path.read_text(encoding="utf-8"))]
             for path in sorted((base / "vocab").glob("*.yml"))}
    vocab["comparable"] = {t["id"] for t in yaml.safe_load((base / "vocab" / "outcomes.yml").read_text(
        encoding="utf-8")) if t.get("group") == COMPARABLE_GROUP}  # their results state window, events …
    regions = {name: {t["id"]: t["region"] for t in yaml.safe_load((base / "vocab" / f"{name}.yml").read_text(
        encoding="utf-8"))} for name in ("clusters", "municipalities")}  # term -> the region it lies in
    ranks = {t["id"]: t.get("rank") or 0
             for t in yaml.safe_load((base / "vocab" / "evidence_designs.yml").read_text(encoding="utf-8"))}
    plan = [(k % len(real), k // len(real) + 1) for k in range(n - len(real))]  # (real record, copy no.)
    ids = {r["id"] for r in records} | {clone_id(records[i]["id"], copy_no) for i, copy_no in plan}
    for i, copy_no in plan:
        clone = _clone(records[i], copy_no, ids, vocab, regions, ranks)
        dumped = yaml.dump(clone, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
        (out / "projects" / f"{clone['id']}.yml").write_text(_comments(texts[i]) + dumped, encoding="utf-8")
    _cover_clones(out, {r["id"]: [clone_id(r["id"], c) for i, c in plan if records[i] is r] for r in records})
    return out


def _cover_clones(out: Path, clones: dict[str, list[str]]) -> None:
    """A clone cites its original's documents, so it stands beside it in their coverage lists."""
    for path in sorted((out / "coverage").glob("*.yml")):
        coverage = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in (e for e in coverage["entries"] if "records" in e):
            entry["records"] = [x for r in entry["records"] for x in (r, *clones.get(r, []))]
        path.write_text(yaml.dump(coverage, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _comments(text: str) -> str:
    """The comment lines a record starts with (the editor's schema modeline)."""
    return "".join(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines(keepends=True)))


def clone_id(record_id: str, copy_no: int) -> str:
    new = f"{record_id}-s{copy_no:04d}"
    if len(new) > MAX_SLUG:
        raise ValueError(f"clone id {new!r} is longer than {MAX_SLUG} characters")
    return new


def _clone(record: dict, copy_no: int, ids: set[str], vocab: dict[str, list[str]],
           regions: dict[str, dict[str, str]], ranks: dict[str, int]) -> dict:
    rng = random.Random(f"{record['id']}/{copy_no}")
    clone = copy.deepcopy(record)
    clone["id"] = clone_id(record["id"], copy_no)
    clone["title"] = f"{record['title']} (kopi {copy_no})"
    clone["region"] = rng.choice(vocab["regions"])
    # a cluster and the municipalities lie in the record's region
    clusters = sorted(c for c, region in regions["clusters"].items() if region == clone["region"])
    if clusters:
        clone["cluster"] = rng.choice(clusters)
    else:
        clone.pop("cluster", None)
    here = sorted(m for m, region in regions["municipalities"].items() if region == clone["region"])
    if clone.get("municipalities") and here:
        clone["municipalities"] = rng.sample(here, min(len(here), len(clone["municipalities"])))
    else:
        clone.pop("municipalities", None)
    age = rng.choice(MIN_AGES)
    if age is None:
        clone["target_group"].pop("min_age", None)
    else:
        clone["target_group"]["min_age"] = age
    intervention = clone["intervention"]
    intervention["types"] = rng.sample(vocab["intervention_types"], len(intervention["types"]))
    for result in clone.get("results", []):
        result["outcome"] = rng.choice(vocab["outcomes"])
    _draw_designs(rng, clone, record, vocab["evidence_designs"], ranks)
    for result in clone.get("results", []):
        for holder in (result, result.get("comparison") or {}):
            if holder.get("value") is not None:
                holder["value"] = _vary(rng, holder["value"], result.get("unit"))
        _comparable(result, vocab["comparable"])
    # the same copy of each related record, where this data set has one
    related = [clone_id(other, copy_no) for other in record.get("related", [])]
    clone["related"] = [other for other in related if other in ids]
    if not clone["related"]:
        del clone["related"]
    return clone


NOT_STATED = "ikke-oplyst"
COMPARABLE_FIELDS = ("events", "denominator", "data_source", "adjusted")  # and the window, the comparison's kind


def _comparable(result: dict, outcomes: set[str]) -> None:
    """A drawn outcome on admissions or mortality states what makes it comparable ('ikke-oplyst' where its
    original did not), and a randomised design has a randomised comparison with n in each group or the
    explicit 'not stated' (kb.loader._check_comparable)."""
    measured = result.get("kind") != "forventning" and result["design"] != "ikke-maalt"
    if result["outcome"] in outcomes and measured:
        result.setdefault("window", {"days": NOT_STATED, "after": NOT_STATED})
        for name in COMPARABLE_FIELDS:
            result.setdefault(name, NOT_STATED)
        result.setdefault("comparison", {"text": "Ikke oplyst i kilden"}).setdefault("kind", NOT_STATED)
    comparison = result.get("comparison") or {}
    if result["design"] == "rct" and (measured and result["outcome"] in outcomes or comparison.get("kind")):
        comparison["kind"] = "randomiseret"
        if result.get("n") is None or comparison.get("n") is None:
            result["group_sizes"] = NOT_STATED


def _draw_designs(rng: random.Random, clone: dict, record: dict, designs: list[str],
                  ranks: dict[str, int]) -> None:
    """Designs drawn as the coding manual allows: an expectation keeps 'ikke-maalt', a comparing design
    needs a figure or a comparison, a result not measured, one against a reference figure and one on
    reach have no direction, and if the draw leaves effect_measured without the effect result it rests
    on, the clone keeps its original's outcomes, designs and directions; 'nej' keeps its effect results
    unmeasured."""
    results = [r for r in clone.get("results", []) if r.get("kind") != "forventning"]
    answer = clone["measurement"]["effect_measured"]
    for result in results:
        shown = result.get("value") is not None or result.get("comparison")
        unmeasured = answer == "nej" and result["outcome"] != REACH  # 'nej' stands by no measured effect
        result["design"] = rng.choice([d for d in designs if (shown or ranks[d] < COMPARES)
                                       and not (unmeasured and ranks[d] >= MEASURED)])
        if result["design"] in NO_DIRECTION or result["outcome"] == REACH:
            result["direction"] = "uklart"
    lowest = {"ja": COMPARES, "delvist": MEASURED}.get(answer)
    if lowest is not None and not any(ranks[r["design"]] >= lowest and r["outcome"] != REACH
                                      and (answer != "ja" or r["direction"] != "uklart") for r in results):
        for result, original in zip(clone.get("results", []), record.get("results", []), strict=True):
            result.update(outcome=original["outcome"], design=original["design"], direction=original["direction"])


def _vary(rng: random.Random, value: float, unit: str | None) -> float:
    varied = round(value * rng.uniform(0.5, 1.5), 1)
    return min(varied, 100.0) if unit == "procent" else varied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic data folder with N records.")
    parser.add_argument("n", type=int, help="number of initiative records (at least the real ones)")
    parser.add_argument("out", type=Path, help="new or empty folder to write")
    args = parser.parse_args(argv)
    try:
        make_dataset(args.n, args.out)
    except (ValueError, FileExistsError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    print(f"synth: {args.n} records in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
