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


def test_the_filters_match_runs_no_python_code():
    # review 2 of b17bb2e: a Python match let threads switch while CPython's warn walked
    # the filters list, and another thread leaving a catch_warnings block freed it (a
    # segmentation fault); a builtin runs no bytecode, so no switch happens there
    import types

    from emofeat._thread_warnings import _ALWAYS

    pattern = _ALWAYS[3]
    assert isinstance(pattern.match, types.BuiltinFunctionType)
    assert not pattern.match("some.module")
    with caught(always=True):
        assert isinstance(pattern.match, types.BuiltinFunctionType)
        assert pattern.match("some.module")
        seen = []
        other = __import__("threading").Thread(target=lambda: seen.append(
            pattern.match("some.module")))
        other.start()
        other.join()
        assert not seen[0]  # another thread, not inside a block
    assert not pattern.match("some.module")


def test_a_copy_unpickled_from_a_parent_process_does_not_stand_in_for_ours():
    # loky hands a worker the caller's filters, pickled: the copy's match is never set in
    # the worker, so caught(always=True) there puts its own filter first
    import pickle

    from emofeat._thread_warnings import _ALWAYS

    copy = pickle.loads(pickle.dumps(_ALWAYS))
    assert copy == _ALWAYS and copy[3] is not _ALWAYS[3]
    with warnings.catch_warnings():
        warnings.filters.insert(0, copy)
        warnings.simplefilter("ignore", UserWarning, append=True)
        with caught(always=True) as log:
            warnings.warn("shown to the block", UserWarning, stacklevel=1)
        assert [m for m, *_ in log] == ["shown to the block"]


def test_threads_warning_inside_blocks_beside_threads_leaving_catch_warnings():
    # the review's stress, short: 3 threads warning inside caught(always=True), 3 entering
    # and leaving catch_warnings, a switch every microsecond; 2 of 6 runs of 15 s crashed
    import subprocess
    import sys

    code = """
import sys, threading, time, warnings
sys.setswitchinterval(1e-6)
from emofeat._thread_warnings import caught
stop = time.time() + 3
def emo():
    while time.time() < stop:
        with caught(always=True):
            for _ in range(50):
                warnings.warn("x", UserWarning)
def user():
    while time.time() < stop:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.warn("y", UserWarning)
        warnings.warn("z", RuntimeWarning)
ts = [threading.Thread(target=f) for f in [emo] * 3 + [user] * 3]
[t.start() for t in ts]
[t.join() for t in ts]
print("ok")
"""
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]
    assert "Error" not in proc.stderr, proc.stderr[-2000:]


def test_a_child_forked_while_the_lock_is_held_can_still_catch():
    # review 3 of 72f434a: a thread of the parent holding the lock at the fork (a program
    # whose threads extract while one forks its workers) left it held in the child, whose
    # first caught() hung (33-35 of 200 children in the review's run)
    import os
    import signal

    from emofeat import _thread_warnings as tw

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    with tw._LOCK:  # as another thread would hold it at the moment of the fork
        pid = os.fork()
        if pid == 0:  # the child: catch a warning within 5 s, or be killed by the alarm
            signal.alarm(5)
            with caught(always=True) as log:
                warnings.warn("child", UserWarning, stacklevel=1)
            os._exit(0 if [m for m, *_ in log] == ["child"] else 3)
    _, status = os.waitpid(pid, 0)
    assert not os.WIFSIGNALED(status), "the child hung in caught()"
    assert os.WEXITSTATUS(status) == 0
