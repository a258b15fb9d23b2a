"""Session 44, EEG leftovers of the tail rule for recordings read whole (sessions 42-43).

An output (or a stacked table) of recordings read whole written before the rule was
recorded is refused where its rows show that a run now gives others: a gap-free stretch of
a quarter second or less beside longer ones of its input. The refusal said why in general
only; it now names the input and the stretch, and what to do. A set's own ``transform``
that refuses one stretch computes each of the others once.

Every test runs on the real Muse recordings beside the repository (skipped when absent):
``subjecta-relaxed-1`` with rows cut out of it, which makes gaps in its timestamps.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

# old rows and record as a run wrote them; a real recording cut into stretches
from test_eeg_stretch43b import _old_rows, _stretched

import emofeat
from emofeat.runner import run
from emofeat.table import FeatureTable


def _cut(df, pieces, path):
    """``df``'s rows of ``pieces`` (``(start, stop)``, gaps between) written as a Muse CSV
    to ``path``."""
    pd.concat([df.iloc[a:b] for a, b in pieces]).to_csv(path, index=False,
                                                        float_format="%.3f")
    return path


@pytest.fixture(scope="module")
def gapped(tmp_path_factory):
    """Two real recordings with gaps in a folder: ``a`` with stretches of 2000, 40 and 2000
    samples, ``b`` with 2000, 40, 2000, 30 and 2000."""
    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    folder = tmp_path_factory.mktemp("gapped44")
    a = _cut(df, [(0, 2000), (2200, 2240), (2440, 4440)], folder / "a.csv")
    b = _cut(df, [(0, 2000), (2200, 2240), (2440, 4440), (4640, 4670), (4870, 6870)],
             folder / "b.csv")
    return folder, a, b


def _stretch(path, k):
    """The ``k``-th gap-free stretch of ``path`` as eeg_stats reads it."""
    return emofeat.get_extractor("eeg_stats").read(path)[k]


def _named(said: str, path, k: int) -> None:
    """``said`` names ``path``'s stretch ``k`` (40 samples between two gaps): its epoch, its
    start and end (timed from the stretch's own start, as its row records them) and its
    length in seconds, as the reader gives them; no count of samples at the recorded rate,
    which is the first input's only (review of 76da2cb: another input's was said at it)."""
    sig = _stretch(path, k)
    n = sig.data.shape[-1]
    assert n == 40
    assert (f"the row of {path}, epoch {k} (start 0 s, end {sig.duration:g} s, the stretch "
            f"timed from its own start: {sig.duration:g} s) is a gap-free stretch of 250 ms or less among longer ones, which "
            "a run now leaves out") in said, said


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_a_refused_resume_names_the_input_and_the_stretch(gapped, tmp_path, monkeypatch,
                                                          capsys, layout):
    """An eeg_stats output of a recording with a 40-sample stretch between two gaps (a row
    before the rule) is refused on resume, as before; the refusal said why in general
    only, so the user of an output of many recordings could not tell which one differs.
    It now names the recording, the stretch and how to go on."""
    from emofeat.cli import main

    _, a, _ = gapped
    out = tmp_path / ("old.parquet" if layout == "file" else "old")
    command = ["extract", str(a), "--set", "eeg_stats", "-o",
               str(out) + ("/" if layout == "folder" else "")]
    with monkeypatch.context() as m, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _old_rows(m)
        assert main(command) == 0
    old = emofeat.read_table(out)
    assert old.provenance["segments"] is None and len(old) == 3
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(command) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "did not record the tail rule" in err
    _named(err, a, 1)
    assert "more such row" not in err
    assert err.index("which a run now leaves out") < err.index("pass --overwrite")


def test_a_refused_resume_counts_the_other_rows_that_differ(gapped, tmp_path, monkeypatch,
                                                             capsys):
    """A folder of two such recordings (one short stretch in ``a``, two in ``b``): the
    first such row is named, the others counted."""
    from emofeat.cli import main

    folder, a, b = gapped
    out = tmp_path / "old.parquet"
    command = ["extract", str(folder), "--set", "eeg_stats", "-o", str(out)]
    with monkeypatch.context() as m, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _old_rows(m)
        assert main(command) == 0
    old = emofeat.read_table(out)
    assert len(old) == 8
    first = old.index["path"].tolist()[1]
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(command) == 2
    err = " ".join(capsys.readouterr().err.split())
    _named(err, a if first == str(a) else b, 1)
    assert "which a run now leaves out; 2 more such rows, of 2 inputs in all." in err, err


def test_a_refused_stack_names_the_input_and_the_stretch(gapped, monkeypatch):
    """FeatureTable.concat of such an older table and one made now, both orders, and an
    older table after a good one: the refusal names the older table's row and says how to
    extract it again."""
    _, a, _ = gapped
    good = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    with monkeypatch.context() as m, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _old_rows(m)
        old = run([a], [emofeat.get_extractor("eeg_stats")]).table
        old_good = run([good], [emofeat.get_extractor("eeg_stats")]).table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = run([a], [emofeat.get_extractor("eeg_stats")]).table
    for order in ([old, new], [new, old], [old_good, old, new], [new, old_good, old]):
        with pytest.raises(ValueError) as info:
            FeatureTable.concat(order)
        said = " ".join(str(info.value).split())
        assert ("extract the older table again (emofeat extract with --overwrite, or to a "
                "new output); its rows show it:") in said, said
        _named(said, a, 1)


@pytest.fixture(scope="module")
def muse():
    """The real Muse recording ``subjecta-relaxed-1`` (no gaps), as the command reads it."""
    from emofeat.datasets.eeg_corpora import read_muse

    return read_muse(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))


def _left_out(got) -> list[str]:
    return [" ".join(str(w.message).split()) for w in got
            if issubclass(w.category, UserWarning) and "left out" in str(w.message)]


@pytest.mark.parametrize("name", ["eeg_bands", "eeg_de"])
def test_a_sets_transform_computes_each_stretch_once_when_it_refuses_one(muse, name,
                                                                         monkeypatch):
    """Stretches of 1000 samples, five before and five after one of 150 that the set
    refuses (a 1.0-1.2 Hz band: its own minimum over 150, the rule's under): ``transform``
    computed the kept stretches together, and where the set refused one it threw away
    what it had computed and computed every stretch again, one at a time (15 stretches
    computed for 10 rows). Now each stretch is computed once (eeg_bands: a stack of five on
    either side; eeg_de, not stacked: one at a time), and the rows and warnings are bit for
    bit a run's."""
    bands = {"n": (1.0, 1.2), "alpha": (8, 13)}
    rec = _stretched(muse, [1000] * 5 + [150] + [1000] * 5)
    ext = emofeat.get_extractor(name, bands=bands)
    assert 150 < ext.min_samples(rec.sfreq) < 1000
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        want = run([rec], [ext]).table.X
    assert want.shape[0] == 10
    computed: list[int] = []  # the stretches computed, in the order computed
    cls = type(ext)
    one, stack = cls.features_of, getattr(cls, "_rows_of_stack", None)

    def features_of(self, signal, *args, **kwargs):
        got = one(self, signal, *args, **kwargs)  # a refusal raises: nothing computed
        computed.append(1)
        return got

    def rows_of_stack(self, x, signal):
        got = stack(self, x, signal)
        computed.append(x.shape[0])
        return got

    monkeypatch.setattr(cls, "features_of", features_of)
    if stack is not None:
        monkeypatch.setattr(cls, "_rows_of_stack", rows_of_stack)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        x = emofeat.get_extractor(name, bands=bands).fit([rec]).transform([rec])
    monkeypatch.undo()
    assert sum(computed) == 10, computed
    if name == "eeg_bands":
        assert computed == [5, 5]
    np.testing.assert_array_equal(x, want)
    assert _left_out(got) == _left_out(said)
    assert len(_left_out(got)) == 1 and "(epoch 5), too short: 150 samples" in _left_out(got)[0]


def test_rows_without_a_finite_start_or_end_are_said_in_good_grammar():
    """Review of 76da2cb: "1 of its 13 rows have no finite start or end, so its rows cannot
    show that a run now gives the same"."""
    from emofeat.compute import stretch_rows_said

    one = stretch_rows_said(["a.csv"] * 3, [0.0, 0.0, 0.0], [10.0, np.nan, 0.1])
    assert one.startswith("1 of its 3 rows has no finite start or end"), one
    two = stretch_rows_said(["a.csv"] * 3, [0.0, np.nan, 0.0], [10.0, 5.0, np.nan])
    assert two.startswith("2 of its 3 rows have no finite start or end"), two
