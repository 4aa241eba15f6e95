import pytest

from kb.text import lower_first, md, number, plural, quantity


@pytest.mark.parametrize("value, expected", [
    (7.9, "7,9"), (17, "17"), (17.0, "17"), (-18, "-18"), (15000, "15.000"),
    (97.4, "97,4"), (29.22, "29,22"), (-0.5, "-0,5"), (1234567.25, "1.234.567,25"), (0, "0"),
])
def test_danish_numbers(value, expected):
    assert number(value) == expected


def test_quantity_puts_a_space_before_the_unit():
    assert quantity(7.9, "%") == "7,9 %"
    assert quantity(63, "") == "63"
    assert quantity(90, "dage") == "90 dage"


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "```{raw} html", "{eval-rst}`x`", "$x$", ":::{note}",
    "# overskrift", "- liste", "1. liste", "(label)=", "{{ sub }}", "[a](javascript:x)", "| a |",
])
def test_md_escapes_every_markup_character(text):
    out = md(text)
    assert "\n" not in out
    for i, ch in enumerate(out):
        if not ch.isalnum() and not ch.isspace() and ch != "\\":
            assert out[i - 1] == "\\", f"{ch!r} unescaped in {out!r}"


def test_md_folds_whitespace():
    assert md("  to\n\n   linjer  ") == "to linjer"


@pytest.mark.parametrize("n, expected", [(0, "0 indsatser"), (1, "1 indsats"), (2, "2 indsatser"),
                                         (1250, "1.250 indsatser")])
def test_a_count_takes_the_word_in_the_right_number(n, expected):
    assert plural(n, "indsats", "indsatser") == expected


def test_a_label_inside_a_sentence_keeps_its_abbreviations():
    assert lower_first("Resultater afventer") == "resultater afventer"
    assert lower_first("LPR3 gav ikke valide data") == "LPR3 gav ikke valide data"
    assert lower_first("") == ""
