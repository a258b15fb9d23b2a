"""Batch runs and feature tables broken as users break them: a set that fails one input
with an arithmetic error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from emofeat.extractors import MFCC

from emofeat.runner import run
from emofeat.table import FeatureTable


class _DividesByZero(MFCC):
    """MFCC that raises ``error`` on the durations listed in ``bad`` (a degenerate input)."""

    set_name = "divides_by_zero"

    def __init__(self, bad: tuple[float, ...] = (), error: type = ZeroDivisionError) -> None:
        super().__init__()
        self.bad = bad
        self.error = error

    def features_of(self, audio):
        if round(audio.duration, 6) in self.bad:
            raise self.error("float division by zero")
        return super().features_of(audio)


@pytest.mark.parametrize("error", [ZeroDivisionError, OverflowError])
@pytest.mark.parametrize("output", [None, "f.parquet", "ds"])
def test_an_arithmetic_error_of_a_set_fails_its_input_only(tmp_path, sample, error, output):
    """A set's ZeroDivisionError or OverflowError on one input is that input's failure,
    recorded once with its stage and type, the others extracted (it stopped the whole run:
    only FloatingPointError of the ArithmeticErrors was caught)."""
    paths = list(sample["path"].iloc[:4])
    clean = run(paths, [MFCC()]).table
    bad = round(float(clean.index["end"].iloc[1]), 6)
    assert bad not in {round(float(e), 6) for e in clean.index["end"].drop(index=1)}
    ext = _DividesByZero(bad=(bad,), error=error)
    res = run(paths, [ext], on_error="record",
              output=None if output is None else tmp_path / output)
    assert res.errors["path"].tolist() == [paths[1]]
    assert res.errors[["stage", "error_type"]].values.tolist() == [["extract", error.__name__]]
    table = res.table if output is None else FeatureTable.read_parquet(tmp_path / output)
    assert table.index["path"].tolist() == [p for i, p in enumerate(paths) if i != 1]
    np.testing.assert_array_equal(table.X, clean.X[[0, 2, 3]])


@pytest.mark.parametrize("fail_fast", [False, True])
def test_the_command_reports_an_arithmetic_error_of_a_set(tmp_path, sample, monkeypatch,
                                                          capsys, fail_fast):
    """``emofeat extract``: a set's ZeroDivisionError is the input's row of the errors table
    (exit 3), or with ``--fail-fast`` the stop at the first failure (exit 3, the message
    naming it), not a traceback."""
    from emofeat.cli import main

    paths = list(sample["path"].iloc[:3])
    clean = run(paths, [MFCC()]).table
    bad = round(float(clean.index["end"].iloc[1]), 6)
    features_of = MFCC.features_of

    def divides(self, audio):
        if round(audio.duration, 6) == bad:
            raise ZeroDivisionError("float division by zero")
        return features_of(self, audio)

    monkeypatch.setattr(MFCC, "features_of", divides)
    out = tmp_path / "f.parquet"
    code = main(["extract", *paths, "-o", str(out), "-q", *(["--fail-fast"] * fail_fast)])
    assert code == 3
    err = capsys.readouterr().err
    if fail_fast:
        assert "ZeroDivisionError: float division by zero" in err and "--fail-fast" in err
    else:
        errors = pd.read_csv(tmp_path / "f.errors.csv")
        assert errors["path"].tolist() == [paths[1]]
        assert errors["error_type"].tolist() == ["ZeroDivisionError"]
        assert FeatureTable.read_parquet(out).index["path"].tolist() == [paths[0], paths[2]]
