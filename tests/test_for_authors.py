"""A failed test over the real records tells an author in Danish what to do (tests/conftest.py)."""

from __future__ import annotations

import shutil

from conftest import REPO

pytest_plugins = ["pytester"]


def test_a_failure_on_the_real_records_says_what_an_author_can_do(pytester):
    shutil.copy(REPO / "tests" / "conftest.py", pytester.path / "conftest.py")
    pytester.makeini('[pytest]\nmarkers =\n    slow: x\n    real_data: x\n')
    pytester.makepyfile(test_example="""
        import pytest

        @pytest.mark.real_data
        def test_reads_the_records():
            assert False, "en post fejler"

        def test_reads_the_fixtures():
            assert False, "koden fejler"
        """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert out.count("Til forfattere") == 1 and "Kør `make validate`" in out
    assert out.index("test_reads_the_records") < out.index("Til forfattere") < out.index("test_reads_the_fixtures")
