"""Effects computed from the source's own figures (issue 26, item 3), against hand-worked cases.

The arithmetic is written out here, independently of the statistics library kb.effects uses: events from
shares are n × share / 100 rounded half up; the risk ratio is (a/n1)/(c/n2) and its 95 % interval
exp(ln RR ± 1.96·√(1/a − 1/n1 + 1/c − 1/n2)) (the log method).
"""

from __future__ import annotations

import math

import pytest
import yaml

from kb.effects import compute, events_from_share, wording
from kb.loader import load
from kb.model import Result
from kb.pages import render_all

SOURCE = {"document": "tidlig-opfoelgning-2020", "locator": "Resultater"}


def result(**fields) -> Result:
    base = {"outcome": "genindlaeggelser", "text": "Et resultat.", "design": "rct", "direction": "ingen-forskel",
            "source": SOURCE}
    return Result.model_validate({**base, **fields})


def shares(value, n, cvalue, cn, **more) -> Result:
    return result(value=value, unit="procent", n=n, comparison={"text": "Kontrol", "value": cvalue, "n": cn},
                  **more)


def by_hand(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    ratio = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return ratio, math.exp(math.log(ratio) - 1.96 * se), math.exp(math.log(ratio) + 1.96 * se)


def test_holbaek_24_percent_of_270_against_23_percent_of_261():
    # events: 270 × 24 / 100 = 64.8 -> 65; 261 × 23 / 100 = 60.03 -> 60
    # RR = (65/270) / (60/261) = 0.24074 / 0.22989 = 1.0472
    # SE = √(1/65 − 1/270 + 1/60 − 1/261) = √(0.015385 − 0.003704 + 0.016667 − 0.003831) = √0.024516 = 0.15658
    # CI = exp(ln 1.0472 ± 1.96 × 0.15658) = exp(0.04612 ± 0.30689) = 0.7705 to 1.4234
    effect = compute(shares(24, 270, 23, 261))
    assert (effect.events, effect.n, effect.comparison_events, effect.comparison_n) == (65, 270, 60, 261)
    assert effect.rounded and effect.difference == pytest.approx(1.0)  # 24 − 23 percentage points
    assert (round(effect.ratio, 3), round(effect.low, 3), round(effect.high, 3)) == (1.047, 0.770, 1.423)
    # to 3 decimals: the library takes the normal quantile as 1.95996…, the hand method as 1.96
    assert (effect.ratio, effect.low, effect.high) == pytest.approx(by_hand(65, 270, 60, 261), abs=5e-4)


def test_counts_of_events_are_used_as_they_are():
    # 6 of 50 against 11 of 50: RR = 0.12 / 0.22 = 0.5455; SE = √(1/6 − 1/50 + 1/11 − 1/50) = √0.217576
    # = 0.46645; CI = exp(−0.60614 ± 0.91424) = 0.2186 to 1.3608; difference 12 − 22 = −10 points
    effect = compute(result(value=6, unit="antal", n=50, denominator="patienter",
                            comparison={"text": "Kontrol", "value": 11, "n": 50}))
    assert not effect.rounded and effect.difference == pytest.approx(-10.0)
    assert (round(effect.ratio, 3), round(effect.low, 3), round(effect.high, 3)) == (0.545, 0.219, 1.361)
    assert (effect.ratio, effect.low, effect.high) == pytest.approx(by_hand(6, 50, 11, 50), abs=5e-4)


def test_events_are_rounded_half_up():
    assert events_from_share(10, 45) == 5  # 4.5: Python's round() would give 4
    assert events_from_share(270, 24) == 65 and events_from_share(261, 23) == 60
    assert events_from_share(615, 20.8) == 128  # 127.92


@pytest.mark.parametrize("value, cvalue, group", [(0, 23, "interventionsgruppen"),
                                                  (24, 0, "sammenligningsgruppen"),
                                                  (0, 0, "begge grupper")])
def test_zero_events_give_no_ratio_and_say_why(value, cvalue, group):
    effect = compute(shares(value, 270, cvalue, 261))
    assert effect.ratio is None and effect.low is None and effect.high is None
    assert f"ingen hændelser i {group}" in effect.why
    assert effect.difference == pytest.approx(value - cvalue)
    assert "ingen risikoratio: ingen hændelser" in wording(effect)


@pytest.mark.parametrize("missing", ["n", "comparison.n", "comparison.value", "value"])
def test_a_missing_figure_computes_nothing(missing):
    res = result(value=6, unit="antal", n=50, denominator="patienter",
                 comparison={"text": "Kontrol", "value": 11, "n": 50}).model_dump()
    assert compute(Result.model_validate(res)) is not None
    holder, key = (res["comparison"], missing.split(".")[1]) if "." in missing else (res, missing)
    holder[key] = None
    assert compute(Result.model_validate(res)) is None


def test_nothing_is_computed_when_the_source_gives_no_group_sizes_or_only_expects():
    assert compute(result(value=24, unit="procent", n=270, group_sizes="ikke-oplyst",
                          comparison={"text": "Kontrol", "value": 23})) is None
    assert compute(shares(24, 270, 23, 261, kind="forventning", design="ikke-maalt",
                          direction="uklart")) is None


@pytest.mark.parametrize("fields", [
    {"value": 1.4, "unit": "antal", "denominator": "patienter"},  # a mean per patient, not people with one
    {"value": 300, "unit": "antal", "denominator": "patienter"},  # more events than people
    {"value": 6, "unit": "antal"},  # a count without a stated denominator
    {"value": 6, "unit": "dage"},  # not a share or a count of events
])
def test_figures_that_are_not_shares_or_counts_of_people_compute_nothing(fields):
    cvalue = {"antal": 11, "dage": 3}[fields["unit"]]
    res = result(n=50, comparison={"text": "Kontrol", "value": cvalue, "n": 50}, **fields)
    assert compute(res) is None


def test_the_wording_says_it_is_computed_from_rounded_counts():
    text = wording(compute(shares(24, 270, 23, 261)))
    assert text == ("forskel +1 procentpoint; risikoratio 1,05 (95 % CI 0,77–1,42) – 65 af 270 mod 60 af 261; "
                    "antallene er afrundet fra kildens procenter, og intervallet er regnet på de afrundede antal")


def test_the_page_shows_the_computed_effect_beside_the_sources_own_figures(fixture_data):
    path = fixture_data / "projects" / "vest-video.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    res = next(r for r in record["results"] if r["outcome"] == "genindlaeggelser")
    res.pop("group_sizes")
    res.update(value=24, n=270, statistics="p = 0,93")
    res["comparison"].update(value=23, n=261, kind="samtidig")
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page = render_all(load(fixture_data))["indsatser/vest-video.md"]
    section = page[page.index("### Genindlæggelser"):]
    lines = section.splitlines()
    figures = next(i for i, line in enumerate(lines) if line.startswith("- **Tal:**"))
    statistics = next(i for i, line in enumerate(lines) if line.startswith("- **Statistik:**"))
    computed = next(i for i, line in enumerate(lines) if line.startswith("- **Beregnet ud fra kildens tal:**"))
    plain = [line.replace("\\", "") for line in lines]  # md() escapes what MyST would read
    assert plain[figures] == "- **Tal:** 24 % (n = 270)"  # the source's own figures stay
    assert plain[statistics] == "- **Statistik:** p = 0,93"  # and so does its own estimate
    assert computed == statistics + 1
    assert "risikoratio 1,05 (95 % CI 0,77–1,42)" in plain[computed]


def test_nothing_is_computed_against_a_population_figure(fixture_data):
    """All discharged from the hospital that year is no group beside the result's: no interval."""
    path = fixture_data / "projects" / "vest-video.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    res = next(r for r in record["results"] if r["outcome"] == "genindlaeggelser")
    res.pop("group_sizes")
    res["comparison"].update(n=5000, kind="befolkning")
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "Beregnet ud fra kildens tal" not in render_all(load(fixture_data))["indsatser/vest-video.md"]
