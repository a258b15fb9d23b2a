"""The montage warning is said once per process, at the caller's line (session 47).

``EEGMontageWarning`` (an asymmetry kind the montage has no pair for: a Muse headband's
DCAU) came once per fold of scikit-learn's ``cross_val_score``, which enters
``catch_warnings`` for each fold and so makes Python forget what it said, and through
``fit_transform`` it pointed at emofeat's own line (``emofeat/extractor.py``), not the
user's. A filter saying ``always`` or ``error`` still sees every fit (docs/eeg.md).
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
        line = sys._getframe().f_lineno + 1
        scores = cross_val_score(model, X, y, cv=3)
        cross_val_score(model, X, y, cv=3)  # the same montage again: said already
    said = _montage(got)
    assert len(scores) == 3 and len(said) == 1, [str(w.message) for w in said]
    assert "no 'dcau' column" in str(said[0].message)
    assert (said[0].filename, said[0].lineno) == (__file__, line)


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
        EEGAsymmetry().fit(X[:2])
        EEGAsymmetry().fit(X[:2])
        EEGAsymmetry().fit(other[:2])
    said = [str(w.message) for w in _montage(got)]
    assert len(said) == 2 and said[0] == said[1], said


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
