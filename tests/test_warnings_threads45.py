"""A warm-up, or the fit of an EEG set, in one thread hides no other thread's warnings.

Session 45's ``Extractor.warmup`` silenced what it says of its own made-up input with
``catch_warnings`` + ``simplefilter("ignore")``, which swaps the filters of the whole
process: a program warning in another thread meanwhile lost 81-85 % of its warnings (review
of fdb11f1), and the first read of ``fit`` (channel names, its UserWarnings dropped) lost
7-9 % the same way since earlier sessions. Both now catch in their own thread only
(``emofeat._thread_warnings``).
"""

from __future__ import annotations

import threading
import warnings

from emofeat.extractors.eeg_sets import EEGAsymmetry


def test_a_warmup_in_another_thread_loses_none_of_this_threads_warnings(monkeypatch):
    ext = EEGAsymmetry(ch_names=["TP9", "AF7", "AF8", "TP10"])
    ext.warmup()  # the kernels compiled (or loaded) first: the loop below is all fits
    shown: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        monkeypatch.setattr(warnings, "showwarning", lambda m, *a, **k: shown.append(str(m)))
        done = threading.Event()

        def warm():
            try:
                for _ in range(40):
                    ext.warmup()
            finally:
                done.set()

        t = threading.Thread(target=warm)
        t.start()
        n = 0
        while not done.is_set() or n < 200:
            warnings.warn(f"the program's warning {n}", UserWarning, stacklevel=1)
            n += 1
        t.join()
    mine = [m for m in shown if m.startswith("the program's warning")]
    assert len(mine) == n, f"{n - len(mine)} of {n} lost"
    assert not [m for m in shown if "no 'dcau' column" in m]  # the warm-up's own: dropped


def test_fit_leaves_transform_its_warning_of_the_first_recording():
    # review 3 of f561e99: fit's first read caught its warnings with the process's filters,
    # which marked them shown ("default": once a place), so transform's own saying of them
    # was dropped: the unapplied average-reference projector of an in-memory Raw (band
    # powers up to 12,000x off) was said nowhere
    import pytest
    from conftest import shared_path

    mne = pytest.importorskip("mne")
    path = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw_brainvision(path, preload=True, verbose=False)
    raw.pick(["FP1", "FP2", "F3", "F4", "F7", "F8"]).set_eeg_reference(projection=True,
                                                                       verbose=False)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("default")
        EEGAsymmetry(kinds=("dasm", "faa")).fit_transform([raw])
    said = [str(w.message) for w in got if "projector" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in got]
