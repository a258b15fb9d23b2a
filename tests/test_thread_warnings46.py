"""An extraction leaves the process's warning filters as it found them (hunt of session 46).

``emofeat.extract(..., n_jobs=2)``, a serial EEG run with ``segment=`` and ``warmup`` put a
filter entry of emofeat's in ``warnings.filters`` for good. scikit-learn's ``Parallel``
copies the caller's filters to its workers as text and read ``.pattern`` from it: every
``model="rf"`` (and a user's own ``RandomForestClassifier().fit``) after an extraction in the
same process failed with ``AttributeError: '_InCaughtAlways' object has no attribute
'pattern'``; ``emofeat demo --model rf -j 2`` exited 1, notebook 04 in full mode broke.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from sklearn.ensemble import RandomForestClassifier

import emofeat
from emofeat._thread_warnings import caught


def _rf_fits() -> None:
    RandomForestClassifier(n_estimators=4, n_jobs=2, random_state=0).fit(
        np.random.default_rng(0).random((20, 3)), [0, 1] * 10)


def test_a_parallel_extraction_leaves_the_filters_and_rf_runs():
    from emofeat.classifiers import evaluate

    from emofeat.datasets import load_ravdess

    manifest = load_ravdess(shared_path("speech", "ravdess"))
    manifest = manifest[manifest.speaker.astype(str).isin(["1", "2", "01", "02"])]
    manifest = manifest.groupby("speaker").head(8).reset_index(drop=True)
    before = list(warnings.filters)
    table = emofeat.extract(manifest, "mfcc", n_jobs=2)
    assert warnings.filters == before
    _rf_fits()
    res = evaluate(table, "emotion", "speaker", "rf", n_jobs=1)
    assert res.task == "classification"


def test_a_serial_eeg_run_with_windows_leaves_the_filters():
    from emofeat.runner import run

    before = list(warnings.filters)
    muse = sorted(shared_path("eeg", "muse_mental_state").glob("*.csv"))[0]
    run([str(muse)], [emofeat.get_extractor("eeg_bands")], segment=4.0, hop=2.0)
    assert warnings.filters == before
    _rf_fits()


def test_scikit_learn_parallel_runs_inside_a_block_catching_everything():
    # the filter is there while a thread extracts: code copying the filters meanwhile (a
    # user's model fitted in another thread) must read it, and its workers ignore it
    with caught(always=True) as log:
        _rf_fits()
        warnings.warn("inside", UserWarning, stacklevel=1)
    assert [m for m, *_ in log] == ["inside"]


@pytest.mark.parametrize("nested", [False, True])
def test_the_filter_goes_when_the_last_block_ends(nested):
    before = list(warnings.filters)
    with caught(always=True):
        if nested:
            with caught(always=True):
                pass
        assert warnings.filters != before  # while inside: there
    assert warnings.filters == before
