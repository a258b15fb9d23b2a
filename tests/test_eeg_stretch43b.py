"""Session 43, review mends of the EEG tail rule for recordings read whole (c9eebc4,
9b6ef5e): a set's own ``transform`` computes the stretches it keeps together again, an old
output whose rows cannot differ is resumed, the reasons for leaving stretches out are each
said, and the command says when it recorded the rule.

Every test runs on the real Muse recordings beside the repository (skipped when absent).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from conftest import shared_path

import emofeat
from emofeat.runner import run


@pytest.fixture(scope="module")
def relaxed():
    """The real gap-free Muse recording ``subjecta-relaxed-1``, read as the command reads
    it."""
    from emofeat.datasets.eeg_corpora import read_muse

    rec = read_muse(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    assert not rec.breaks
    return rec


def _stretched(rec, lengths):
    """``rec``'s first samples cut into gap-free stretches of ``lengths`` samples."""
    ends = np.cumsum(lengths)
    return dataclasses.replace(rec, data=rec.data[:, :int(ends[-1])],
                               breaks=tuple(int(e) for e in ends[:-1]))


def test_a_sets_transform_computes_stretches_of_one_length_together(relaxed, monkeypatch):
    """A recording with many gaps (18 stretches of 246 samples, a 40-sample one among them):
    a set's ``transform`` computed stretch by stretch (9b6ef5e) where before it stacked the
    stretches of one length in one call, 2-4 times slower for eeg_bands. The stretches the
    rule keeps reach the set's batched computation together again; the rows are bit for bit
    a run's."""
    lengths = [246] * 9 + [40] + [246] * 9
    rec = _stretched(relaxed, lengths)
    for name in ("eeg_bands", "eeg_hjorth"):
        ext = emofeat.get_extractor(name)
        with pytest.warns(UserWarning, match=r"1 of 19 epochs left out \(epoch 9\)"):
            want = run([rec], [ext]).table.X
        stacks = []
        cls = type(ext)
        real = cls._rows_of_stack

        def counted(self, x, signal, real=real, stacks=stacks):
            stacks.append(x.shape[0])
            return real(self, x, signal)

        monkeypatch.setattr(cls, "_rows_of_stack", counted)
        with pytest.warns(UserWarning, match=r"1 of 19 epochs left out \(epoch 9\)"):
            got = emofeat.get_extractor(name).fit([rec]).transform([rec])
        monkeypatch.undo()
        np.testing.assert_array_equal(got, want)
        assert stacks == [18], (name, stacks)


def _said(got) -> list[str]:
    return [" ".join(str(w.message).split()) for w in got
            if issubclass(w.category, UserWarning) and "left out" in str(w.message)]


def test_stretches_left_out_for_two_reasons_are_said_with_each_reason(relaxed):
    """Stretches of 40, 150 and 3000 samples, eeg_bands with a 1.0-1.2 Hz band (its own
    minimum over 150): the 40 are the tail rule's, the 150 the set's. One warning said "2 of
    3 epochs left out (epoch 0, 1), too short: 40 samples ..., under the 65 the tail rule
    of EEG keeps": the set's refusal put under the rule. Now each reason is said with its
    epochs, in a run read whole, in a set's ``transform`` and with ``--segment``."""
    bands = {"n": (1.0, 1.2), "alpha": (8, 13)}
    rec = _stretched(relaxed, [40, 150, 3000])
    assert 150 < emofeat.get_extractor("eeg_bands", bands=bands).min_samples(rec.sfreq)
    xs = {}
    for how in ("run", "transform", "segment"):
        ext = emofeat.get_extractor("eeg_bands", bands=bands)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            if how == "transform":
                xs[how] = ext.fit_transform([rec])
            else:
                table = run([rec], [ext], segment=4.0 if how == "segment" else None).table
                xs[how] = table.X
                assert set(table.column("epoch").tolist()) == {2}, how
        said = _said(got)
        assert len(said) == 2, (how, said)
        rule = next(w for w in said if "tail rule" in w)
        own = next(w for w in said if "'eeg_bands' set" in w)
        assert ": 1 of 3 epochs left out (epoch 0), too short: 40 samples" in rule, how
        assert ": 1 of 3 epochs left out (epoch 1), too short: 150 samples" in own, how
        assert "tail rule" not in own, how
    assert xs["run"].shape[0] == 1
    np.testing.assert_array_equal(xs["transform"], xs["run"])


def _old_rows(m):
    """Runs write rows and record as before the tail rule for recordings read whole: each
    set's own minimum decides a stretch, ``segments`` ``None``; and each stretch timed from
    its own start, as rows were until session 54."""
    import emofeat.runner as runner

    was = runner._segments_of
    m.setattr(runner, "_segments_of", lambda fixed, spans, exts: (
        None if fixed is None and not spans else was(fixed, spans, exts)))
    m.setattr("emofeat.compute.Plan.short_stretch", lambda self, sig: None)
    m.setattr("emofeat.compute._clock", lambda sig: 0.0)


@pytest.mark.parametrize("rate", [256.0, 254.2])
def test_old_rows_show_whether_the_rule_changes_them(relaxed, monkeypatch, rate):
    """The rows of a recording read whole written before the rule (eeg_stats: a row per
    stretch however short) tell whether a run now gives others: a stretch of floor(rate /
    4) samples beside a longer one is left out now, one of a sample more is not. Decided
    from the rows' start and end at the recorded rate, as the rule decides (256 Hz, and a
    Muse rate, 254.2 Hz, whose quarter second is no whole number of samples)."""
    from emofeat.compute import TAIL_RULES, stretch_rows_moot

    rec = dataclasses.replace(relaxed, sfreq=rate)
    rule = TAIL_RULES["eeg"]
    least = int(round(rule.shortest(rate) * rate))  # the rule's fewest samples kept
    assert least == int(rate // 4) + 1
    for n, same in ((least - 1, False), (least, True)):
        cut = _stretched(rec, [1000, n, 1000])
        with monkeypatch.context() as m:
            _old_rows(m)
            old = run([cut, rec], [emofeat.get_extractor("eeg_stats")]).table
        assert len(old) == 4  # the short stretch a row
        idx = old.index
        assert stretch_rows_moot(idx["path"], idx["start"], idx["end"]) is same, n
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            now = run([cut, rec], [emofeat.get_extractor("eeg_stats")]).table
        assert (len(now) == len(old)) is same, n
    # stretches all that short are kept, as each set takes them: no row differs
    short = _stretched(rec, [least - 1, least - 1])
    assert stretch_rows_moot(["a", "a"], [0.0, 0.0], [s.duration for s in _signals(short)])


def test_old_rows_of_a_recording_at_another_rate_than_the_recorded_one(relaxed, monkeypatch):
    """Regression (review of a139652): the rows were counted in samples at the one recorded
    rate, the run's first recording's. A run takes recordings within 2 % of it, and the rule
    counts each at its own: 64 samples of a 256 Hz recording (a quarter second, left out
    now) read as 64 at the recorded 254.2 Hz were over its 63, so an output whose rows a run
    now changes was resumed as unchanged."""
    from emofeat.compute import stretch_rows_moot

    first = dataclasses.replace(relaxed, sfreq=254.2)
    cut = _stretched(dataclasses.replace(relaxed, sfreq=256.0), [1000, 64, 1000])
    with monkeypatch.context() as m:
        _old_rows(m)
        old = run([first, cut], [emofeat.get_extractor("eeg_stats")]).table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        now = run([first, cut], [emofeat.get_extractor("eeg_stats")]).table
    assert old.provenance["sfreq"] == pytest.approx(254.2) and len(old) == len(now) + 1
    idx = old.index
    assert not stretch_rows_moot(idx["path"], idx["start"], idx["end"])


def test_concat_checks_every_older_table(relaxed, monkeypatch):
    """Regression (review of a139652): concat checked the rows of the first older table
    against a table with the rule; a second older table, its record equal to the first's,
    was never checked, so ``[old_good, old_bad, new]`` stacked under the rule with old_bad's
    40-sample row. Every order of the three is refused now; the good ones stack."""
    from emofeat.table import FeatureTable

    good, bad = _stretched(relaxed, [1000, 1000]), _stretched(relaxed, [1000, 40, 1000])
    with monkeypatch.context() as m, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _old_rows(m)
        old_good = run([good], [emofeat.get_extractor("eeg_stats")]).table
        old_bad = run([bad], [emofeat.get_extractor("eeg_stats")]).table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = run([good], [emofeat.get_extractor("eeg_stats")]).table
    assert len(old_bad) == 3 and new.provenance["segments"] == {"tail": 0.25}
    for order in ([old_good, old_bad, new], [old_bad, old_good, new], [new, old_good, old_bad],
                  [old_bad, new], [old_good, new, old_bad]):
        with pytest.raises(ValueError, match="extracted differently"):
            FeatureTable.concat(order)
    stacked = FeatureTable.concat([old_good, old_good, new])
    assert stacked.provenance["segments"] == {"tail": 0.25} and len(stacked) == 6

    # review of 1a25277: a table recording no provenance (from_pandas of a frame) is none of
    # the older tables (it stacks with the usual warning, in any order), and a table sharing
    # the first's provenance object is checked by its own rows
    nop = FeatureTable(X=old_good.X, feature_names=old_good.feature_names,
                       index=old_good.index, provenance={})
    bare = FeatureTable(X=old_good.X, feature_names=old_good.feature_names,
                        index=old_good.index[["path"]], provenance={})  # no start, end
    for t in (nop, bare):
        for order in ([old_good, t, new], [new, old_good, t], [t, old_good, new]):
            with pytest.warns(UserWarning, match="provenance"):
                assert len(FeatureTable.concat(order)) == 6
    shared = FeatureTable(X=old_bad.X, feature_names=old_bad.feature_names,
                          index=old_bad.index, provenance=old_good.provenance)
    with pytest.raises(ValueError, match=r"tables 2 and 3 were extracted differently"):
        FeatureTable.concat([old_good, shared, new])


def _signals(rec):
    return emofeat.get_extractor("eeg_stats").read(rec)


def test_an_old_output_whose_rows_cannot_differ_is_resumed(tmp_path, monkeypatch, capsys):
    """An eeg_stats output of the real subjectb-relaxed-2 (gaps, no stretch of a quarter
    second or less) written before the rule was refused on resume (exit 2) though a run
    gives the same rows: its rows show they cannot differ. Now it is resumed, the rule
    recorded, the command saying so; its table stacks with one made now. The gapped
    recording's output (a 40-sample stretch a row) is still refused, by resume and concat."""
    import pandas as pd

    from emofeat.cli import main
    from emofeat.table import FeatureTable

    muse = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    gapped = tmp_path / "gapped.csv"
    pd.concat([df.iloc[:2000], df.iloc[2200:2240], df.iloc[2440:4440]]).to_csv(
        gapped, index=False, float_format="%.3f")
    for path, same in ((muse, True), (gapped, False)):
        out = tmp_path / f"old-{same}.parquet"
        command = ["extract", str(path), "--set", "eeg_stats", "-o", str(out)]
        with monkeypatch.context() as m, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _old_rows(m)
            assert main(command) == 0
        old = emofeat.read_table(out)
        assert old.provenance["segments"] is None
        now = tmp_path / f"now-{same}.parquet"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["extract", str(path), "--set", "eeg_stats", "-o", str(now)]) == 0
        made_now = emofeat.read_table(now)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(command)
        err = " ".join(capsys.readouterr().err.split())
        if not same:
            assert code == 2 and "did not record the tail rule" in err
            with pytest.raises(ValueError, match="did not record the tail rule"):
                FeatureTable.concat([old, made_now])
            continue
        assert code == 0, err
        assert f"recorded the tail rule in {out} (rows unchanged)" in err
        resumed = emofeat.read_table(out)
        assert resumed.provenance["segments"] == {"tail": 0.25}
        assert resumed.provenance["fingerprint"] == made_now.provenance["fingerprint"]
        np.testing.assert_array_equal(resumed.X, made_now.X)
        for pair in ([old, made_now], [made_now, old]):
            assert FeatureTable.concat(pair).provenance["segments"] == {"tail": 0.25}
        capsys.readouterr()
        assert main(command) == 0
        assert "is up to date" in capsys.readouterr().err


def test_a_band_set_output_resumed_to_record_the_rule_says_so(tmp_path, monkeypatch, capsys):
    """An eeg_bands file output and dataset folder of the real subjectb-relaxed-2 written
    before the rule, resumed with nothing to do, are rewritten to record it, rows unchanged:
    the command said "nothing new to write: OUT is up to date". Now it says it recorded the
    tail rule; a second resume is up to date."""
    from emofeat.cli import main

    muse = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    for name in ("bands.parquet", "bands"):
        out = tmp_path / name
        command = ["extract", str(muse), "--set", "eeg_bands", "-o", f"{out}"]
        if name == "bands":
            command[-1] += "/"
        with monkeypatch.context() as m, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _old_rows(m)
            assert main(command) == 0
        assert emofeat.read_table(out).provenance["segments"] is None
        capsys.readouterr()
        assert main(command) == 0
        err = " ".join(capsys.readouterr().err.split())
        assert "recorded the tail rule in" in err and "(rows unchanged)" in err, name
        assert "up to date" not in err, name
        assert emofeat.read_table(out).provenance["segments"] == {"tail": 0.25}
        assert main(command) == 0
        assert "is up to date" in capsys.readouterr().err, name
