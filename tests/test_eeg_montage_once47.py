"""The montage warning is said once per line of the caller, at that line (session 47).

``EEGMontageWarning`` (an asymmetry kind the montage has no pair for: a Muse headband's
DCAU) came once per fold of scikit-learn's ``cross_val_score``, which enters
``catch_warnings`` for each fold and so makes Python forget what it said, and through
``fit_transform`` it pointed at emofeat's own line (``emofeat/extractor.py``), not the
user's. A filter saying ``always`` or ``error`` still sees every fit (docs/eeg.md). Review 1
of session 47: said once per process, it was lost for every emofeat run after the first and
for a fit after a library's ``catch_warnings(record=True)`` had taken it.
"""

from __future__ import annotations

import sys
import warnings

import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGAsymmetry
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from emofeat import readers
from emofeat.readers import EEGMontageWarning, read_eeg_file


@pytest.fixture(autouse=True)
def _nothing_said_yet(monkeypatch):
    # what earlier tests of this process said is theirs
    monkeypatch.setattr(readers, "_MONTAGES_SAID", {}, raising=False)


def _pieces(names=None):
    """12 four-second pieces of a real Muse recording (TP9, AF7, AF8, TP10: no DCAU pair),
    under ``names`` if given, and a label each."""
    data, sfreq, ch = read_eeg_file(
        shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    n = int(4 * sfreq)
    ch = tuple(names or ch)
    return [(data[:, i * n:(i + 1) * n], sfreq, ch) for i in range(12)], ["calm", "busy"] * 6


def _montage(got):
    return [w for w in got if issubclass(w.category, EEGMontageWarning)]


def test_cross_val_score_says_it_once_at_the_callers_line():
    X, y = _pieces()
    model = make_pipeline(EEGAsymmetry(), LogisticRegression(max_iter=1000))
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        line = sys._getframe().f_lineno + 2
        for _ in range(2):  # the same montage again on the same line: said already
            scores = cross_val_score(model, X, y, cv=3)
        cross_val_score(model, X, y, cv=3)  # another line: said there, as Python would
    said = _montage(got)
    assert len(scores) == 3 and len(said) == 2, [str(w.message) for w in said]
    assert "no 'dcau' column" in str(said[0].message)
    assert (said[0].filename, said[0].lineno) == (__file__, line)
    assert (said[1].filename, said[1].lineno) == (__file__, line + 1)


def test_fit_transform_points_at_the_callers_line():
    X, _ = _pieces()
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        line = sys._getframe().f_lineno + 1
        EEGAsymmetry().fit_transform(X[:2])
    said = _montage(got)
    assert len(said) == 1 and (said[0].filename, said[0].lineno) == (__file__, line)


def test_another_montage_of_the_same_words_is_said_too():
    X, _ = _pieces()
    other, _ = _pieces(["T7", "AF7", "AF8", "T8"])  # no DCAU pair either: the same message
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        for pieces in (X, X, other):
            EEGAsymmetry().fit(pieces[:2])
    said = [str(w.message) for w in _montage(got)]
    assert len(said) == 2 and said[0] == said[1], said


def test_a_notebook_cell_run_again_says_it_again():
    # review 3 of session 47 (D1): every cell is module __main__ with its fit at line 1, and
    # keyed by module and line, later cells and reruns said nothing, where Python says a
    # cell's warnings again (IPython compiles each run of a cell afresh)
    X, _ = _pieces()
    cell = "for _ in range(2):\n    EEGAsymmetry().fit(X[:2])\n"
    scope = {"__name__": "__main__", "EEGAsymmetry": EEGAsymmetry, "X": X}
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        for _ in range(2):  # the cell run twice: compiled twice, its loop's fits said once
            exec(compile(cell, "<ipython-input-1-11db77c32051>", "exec"), scope)  # noqa: S102
    said = _montage(got)
    assert [(w.filename, w.lineno) for w in said] == [
        ("<ipython-input-1-11db77c32051>", 2)] * 2, said


def test_a_fit_after_a_library_took_the_warning_says_it():
    # review 1 of session 47 (S1): a library's catch_warnings(record=True) around a fit of
    # its own used the one showing up, and the user's later fit said nothing
    X, _ = _pieces()
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        with warnings.catch_warnings(record=True) as library:
            EEGAsymmetry().fit(X[:2])
        line = sys._getframe().f_lineno + 1
        EEGAsymmetry().fit(X[:2])
    assert len(_montage(library)) == 1
    said = _montage(got)
    assert len(said) == 1 and (said[0].filename, said[0].lineno) == (__file__, line)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_every_run_says_it_after_a_fit_and_a_run_said_it(n_jobs, tmp_path):
    # review 1 of session 47 (D1): once per process, only the first emofeat.extract of a
    # process said it; a run after the user's own fit said nothing
    import emofeat

    X, _ = _pieces()
    path = str(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        EEGAsymmetry().fit(X[:2])
        counts = []
        for _ in range(2):
            before = len(_montage(got))
            emofeat.extract([path], "eeg_asymmetry", n_jobs=n_jobs)
            counts.append(len(_montage(got)) - before)
    assert counts == [1, 1], counts


def test_always_and_error_filters_see_every_fit():
    X, y = _pieces()
    model = make_pipeline(EEGAsymmetry(), LogisticRegression(max_iter=1000))
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        EEGAsymmetry().fit(X[:2])  # said once
        warnings.simplefilter("always")
        cross_val_score(model, X, y, cv=3)
    assert len(_montage(got)) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error", EEGMontageWarning)
        with pytest.raises(EEGMontageWarning, match="no 'dcau' column"):
            EEGAsymmetry().fit(X[:2])
