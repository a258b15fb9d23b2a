"""Session 43: the EEG tail rule for recordings read whole (no ``--segment``).

A recording with gaps (Muse timestamp gaps, MNE's ``BAD_ACQ_SKIP``) read whole gives one row
per gap-free stretch (``epoch`` k). Each set's own minimum decided whether a short stretch
was a row: 40 samples between two gaps were a row of eeg_stats and no row of eeg_bands, so
the two sets' tables did not join, while one run of both left the stretch out. Now the
rule of ``--segment`` runs holds: a stretch of a quarter second or less among longer ones
is left out of every set, recorded as provenance ``segments`` ``{"tail": 0.25}`` (was
``None``), so that outputs written before are refused on resume, as are their tables by
concat, except those of the band sets, whose rows cannot differ.

Every test runs on the real Muse recordings beside the repository (skipped when absent):
``subjecta-relaxed-1`` with rows cut out of it, which makes gaps in its timestamps.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

import emofeat
from emofeat.runner import run
from emofeat.table import FeatureTable

#: EEG sets whose own minimum at 256 Hz ranges from 3 samples (Hjorth, rqa_eeg) to 65 (the
#: band sets: the 1-4 Hz delta band needs bins under 4 Hz apart)
EEG_SETS = ("eeg_bands", "eeg_de", "eeg_asymmetry", "eeg_stats", "eeg_hjorth",
            "eeg_spectral", "rqa_eeg")

#: the rule's warning, as --segment runs word it for a stretch between gaps
LEFT_OUT = r"1 of 3 epochs left out \(epoch 1\), too short: 40 samples"


def _muse(name: str = "subjecta-relaxed-1"):
    return shared_path("eeg", "muse_mental_state", f"{name}.csv")


@pytest.fixture(scope="module")
def gapped(tmp_path_factory):
    """The real Muse CSV with rows 2000-2199 and 2240-2439 cut out: stretches of 2000, 40
    (0.156 s) and 2000 samples between two timestamp gaps, and the recording as read."""
    from emofeat.datasets.eeg_corpora import read_muse

    df = pd.read_csv(_muse())
    cut = pd.concat([df.iloc[:2000], df.iloc[2200:2240], df.iloc[2440:4440]])
    path = tmp_path_factory.mktemp("gapped") / "subjecta-relaxed-1-gapped.csv"
    cut.to_csv(path, index=False, float_format="%.3f")
    rec = read_muse(path)
    assert rec.breaks == (2000, 2040)  # the case: a 40-sample stretch between two gaps
    return path, rec


@pytest.fixture(scope="module")
def relaxed():
    """The real gap-free Muse recording, read as the command reads it."""
    from emofeat.datasets.eeg_corpora import read_muse

    rec = read_muse(_muse())
    assert not rec.breaks
    return rec


def _rows(table: FeatureTable) -> list[tuple]:
    return [tuple(r) for r in table.index[["epoch", "start", "end"]].to_numpy().tolist()]


def test_every_eeg_set_leaves_out_a_short_stretch_of_a_recording_read_whole(gapped):
    """The real Muse CSV with a 40-sample stretch between two gaps, read whole: eeg_stats,
    eeg_hjorth, eeg_spectral and rqa_eeg gave 3 rows (one of the 40 samples), the band
    sets 2, and a run of eeg_stats with eeg_bands 2. Now every set, alone (the one-set path)
    or beside another, gives the rows of epochs 0 and 2 and says which it left out, in
    the rule's words; the rows of the stretches kept are those of the stretches alone."""
    path, rec = gapped
    rows = {}
    for name in EEG_SETS:
        with pytest.warns(UserWarning, match=LEFT_OUT) as got:
            table = run([path], [emofeat.get_extractor(name)]).table
        said = " ".join(" ".join(str(w.message).split()) for w in got)
        assert ("under the 65 the tail rule of EEG keeps (a gap-free stretch of 250 ms or "
                "less among longer ones is left out of every set)") in said, name
        rows[name] = _rows(table)
        assert table.provenance["segments"] == {"tail": 0.25}, name
    for name in EEG_SETS:
        assert rows[name] == rows["eeg_bands"], name
    assert [r[0] for r in rows["eeg_stats"]] == [0, 2]

    with pytest.warns(UserWarning, match=LEFT_OUT):
        both = run([path], [emofeat.get_extractor("eeg_stats"),
                            emofeat.get_extractor("eeg_bands")]).table
    assert _rows(both) == rows["eeg_stats"]
    # the rows kept are the stretches' own: each stretch alone, as an input of its own
    stretches = [dataclasses.replace(rec, data=rec.data[:, a:b], breaks=())
                 for a, b in ((0, 2000), (2040, 4040))]
    alone = run(stretches, [emofeat.get_extractor("eeg_stats"),
                            emofeat.get_extractor("eeg_bands")]).table
    np.testing.assert_array_equal(both.X, alone.X)


def test_the_rule_at_the_recordings_own_rate(relaxed):
    """At the real recording's estimated rate (256.02 Hz, a quarter second 64.0 samples), a
    stretch of eeg_bands.min_samples(rate) samples between two gaps is a row of every set,
    one sample less a row of none (eeg_stats and eeg_hjorth kept it)."""
    rate = relaxed.sfreq
    least = emofeat.get_extractor("eeg_bands").min_samples(rate)
    for n, kept in ((least - 1, False), (least, True)):
        cut = dataclasses.replace(relaxed, data=relaxed.data[:, :2000 + n],
                                  breaks=(1000, 1000 + n))
        for name in ("eeg_stats", "eeg_hjorth", "eeg_bands"):
            with warnings.catch_warnings(record=True) as got:
                warnings.simplefilter("always")
                table = run([cut], [emofeat.get_extractor(name)]).table
            assert table.column("epoch").tolist() == ([0, 1, 2] if kept else [0, 2]), (name, n)
            assert kept == (not got), (name, n, [str(w.message) for w in got])


def test_stretches_all_short_and_a_sets_own_minimum_are_the_sets_to_decide(relaxed):
    """The rule leaves out a short stretch only among longer ones: stretches all that short
    are kept, as each set takes them (eeg_stats a row of each), as with --segment. A
    stretch longer than a quarter second under a set's own minimum (eeg_bands with a
    1.0-1.2 Hz band) is refused in the set's words. Where the sets refuse all the rule
    leaves them, the input fails with the set's refusal, not the rule's: a 40-sample and a
    150-sample stretch failed with the rule's words for the 40 samples."""
    from emofeat.errors import TooShortError

    short = dataclasses.replace(relaxed, data=relaxed.data[:, :90], breaks=(40,))
    table = run([short], [emofeat.get_extractor("eeg_stats")]).table
    assert table.column("epoch").tolist() == [0, 1] and np.isfinite(table.X).all()

    narrow = emofeat.get_extractor("eeg_bands", bands={"n": (1.0, 1.2), "alpha": (8, 13)})
    least = int(narrow.min_samples(relaxed.sfreq))
    assert 150 < least  # the case: the set's minimum, not the rule
    cut = dataclasses.replace(relaxed, data=relaxed.data[:, :6150], breaks=(3000, 3150))
    with pytest.warns(UserWarning) as got:
        table = run([cut], [narrow]).table
    said = " ".join(" ".join(str(w.message).split()) for w in got)
    assert "1 of 3 epochs left out (epoch 1), too short: 150 samples" in said
    assert "too short for the 'eeg_bands' set" in said and "tail rule" not in said
    assert table.column("epoch").tolist() == [0, 2]

    both = dataclasses.replace(relaxed, data=relaxed.data[:, :190], breaks=(40,))
    with pytest.raises(TooShortError) as info:
        run([both], [narrow], on_error="raise")
    assert "150 samples" in str(info.value) and "'eeg_bands' set" in str(info.value)
    assert "tail rule" not in str(info.value)


def test_the_rule_is_recorded_for_eeg_recordings_read_whole_only(gapped, tmp_path, capsys):
    """Provenance ``segments`` of EEG recordings read whole is ``{"tail": 0.25}`` (was
    ``None``), a run's and an output's; audio read whole and a manifest's segments record
    as before. ``info`` does not take the record for windows, and a model trained on a
    table recorded ``None`` finds no other rows in a table recorded with the rule."""
    from emofeat.classifiers.compatibility import feature_provenance, provenance_differences

    from emofeat.cli import main
    from emofeat.runner import _segments_of

    eeg = [emofeat.get_extractor("eeg_stats")]
    assert _segments_of(None, None, eeg) == {"tail": 0.25}
    assert _segments_of(None, [(0.0, 1.0)], eeg) == "manifest"
    assert _segments_of(None, None, [emofeat.get_extractor("mfcc")]) is None
    assert _segments_of(None, None, [emofeat.get_extractor("text_surface")]) is None

    path, _ = gapped
    out = tmp_path / "whole.parquet"
    assert main(["extract", str(path), "--set", "eeg_stats", "-o", str(out), "-q"]) == 0
    assert "1 of 3 epochs left out (epoch 1)" in capsys.readouterr().err  # the CLI says it
    table = emofeat.read_table(out)
    assert table.provenance["segments"] == {"tail": 0.25}
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    assert "windows of" not in capsys.readouterr().out
    old = feature_provenance({**table.provenance, "segments": None})
    assert provenance_differences(old, table.provenance) == []


def _old_record(m):
    """Runs record a recording read whole as before the rule: ``segments`` ``None``."""
    import emofeat.runner as runner

    was = runner._segments_of
    m.setattr(runner, "_segments_of", lambda fixed, spans, exts: (
        None if fixed is None and not spans else was(fixed, spans, exts)))


def test_an_output_of_recordings_read_whole_before_the_rule_is_not_resumed(
        gapped, tmp_path, monkeypatch, capsys):
    """An eeg_stats output of the gapped recording read whole, recorded as before the rule
    (its 40-sample stretch a row), is refused on resume, exit 2, saying why in the rule's
    words and time; --overwrite extracts it again (2 rows), resumed after. concat refuses
    its table beside one made now, saying which table is the older."""
    from emofeat.cli import main
    from emofeat.compute import TAIL_RULES

    path, _ = gapped
    out = tmp_path / "stats.parquet"
    command = ["extract", str(path), "--set", "eeg_stats", "-o", str(out), "-q"]
    with monkeypatch.context() as m:
        _old_record(m)
        m.setattr("emofeat.compute.Plan.short_stretch", lambda self, sig: None)  # old rows
        assert main(command) == 0
        old = emofeat.read_table(out)
    assert old.provenance["segments"] is None and len(old) == 3
    capsys.readouterr()
    assert main(command) == 2
    err = " ".join(capsys.readouterr().err.split())
    said = ("written by an emofeat that did not record the tail rule for recordings read "
            f"whole (before {TAIL_RULES['eeg'].stretches_since}); before that rule each set "
            "left out a short gap-free stretch by its own minimum (the tables of two sets "
            "did not join), now a gap-free stretch of 250 ms or less among longer ones is "
            "left out whatever the set")
    assert f"Its rows were {said}." in err, err
    assert main([*command, "--overwrite"]) == 0
    assert main(command) == 0  # written with the rule: resumed
    new = emofeat.read_table(out)
    assert len(new) == 2
    for pair, older in (([new, old], 2), ([old, new], 1)):
        with pytest.raises(ValueError) as info:
            FeatureTable.concat(pair)
        assert f"table {older}'s rows were {said}; extract the older table again" in \
            " ".join(str(info.value).split())


def test_an_output_of_the_band_sets_read_whole_before_the_rule_is_resumed(
        gapped, tmp_path, monkeypatch, capsys):
    """The band sets' own minimum is the rule's (floor(rate / 4) + 1 samples), so their rows
    are the same under both: an eeg_bands file output and an eeg_de + eeg_asymmetry
    dataset folder of the gapped recording read whole, recorded as before the rule, are
    resumed; resumed with nothing to do, each records the rule (the folder did; the file
    kept its old record), and its table stacks with one made now, both orders. A run
    adding an input gives the rows of a fresh output. With eeg_stats beside them one run
    left the 40-sample stretch out before the rule too (the band set refused it): its rows
    show they cannot differ and it is resumed as well (refused until session 43; an
    output whose rows differ: test_an_output_of_recordings_read_whole_before_the_rule_is_
    not_resumed)."""
    from emofeat.cli import main

    paths = [str(gapped[0]), str(_muse("subjecta-relaxed-2"))]
    for sets, name in ((["eeg_bands"], "bands.parquet"), (["eeg_de", "eeg_asymmetry"], "de"),
                       (["eeg_bands", "eeg_stats"], "mixed.parquet")):
        out = tmp_path / name
        options = [f"--set={s}" for s in sets] + ["-q"]
        with monkeypatch.context() as m, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _old_record(m)
            assert main(["extract", paths[0], *options, "-o", str(out)]) == 0
        assert emofeat.read_table(out).provenance["segments"] is None
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(["extract", paths[0], *options, "-o", str(out)])
        assert code == 0, sets
        resumed = emofeat.read_table(out)
        now = tmp_path / f"now-{name}"
        assert main(["extract", paths[0], *options, "-o", str(now)]) == 0
        made_now = emofeat.read_table(now)
        # resumed with nothing to do: the record says the rule, the rows as they were
        assert resumed.provenance["segments"] == {"tail": 0.25}, name
        assert resumed.provenance["fingerprint"] == made_now.provenance["fingerprint"]
        np.testing.assert_array_equal(resumed.X, made_now.X)
        for pair in ([resumed, made_now], [made_now, resumed]):
            stacked = FeatureTable.concat(pair)
            assert stacked.provenance["segments"] == {"tail": 0.25}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["extract", *paths, *options, "-o", str(out)]) == 0
            fresh = tmp_path / f"fresh-{name}"
            assert main(["extract", *paths, *options, "-o", str(fresh)]) == 0
        table, again = emofeat.read_table(out), emofeat.read_table(fresh)
        assert table.provenance["segments"] == {"tail": 0.25}
        assert _rows(table) == _rows(again)
        assert table.column("path").tolist() == again.column("path").tolist()
        np.testing.assert_array_equal(table.X, again.X)


def test_a_table_of_band_sets_read_whole_before_the_rule_stacks_with_one_made_now(gapped,
                                                                                   monkeypatch):
    """concat decides as resume does, in memory too: the eeg_bands table of the gapped
    recording recorded as before the rule stacks with one made now (recording the rule),
    in both orders; an eeg_stats one, its 40-sample stretch a row, is refused (its rows
    made as before the rule: a table whose rows the rule does not change stacks)."""
    path, _ = gapped
    for name, kept in (("eeg_bands", True), ("eeg_stats", False)):
        with monkeypatch.context() as m, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _old_record(m)
            m.setattr("emofeat.compute.Plan.short_stretch", lambda self, sig: None)
            old = run([path], [emofeat.get_extractor(name)]).table
        with pytest.warns(UserWarning, match=LEFT_OUT):
            new = run([path], [emofeat.get_extractor(name)]).table
        assert old.provenance["segments"] is None
        for pair in ([old, new], [new, old]):
            if not kept:
                with pytest.raises(ValueError, match="rows were written by an emofeat"):
                    FeatureTable.concat(pair)
                continue
            stacked = FeatureTable.concat(pair)
            assert stacked.provenance["segments"] == {"tail": 0.25}
            np.testing.assert_array_equal(stacked.X, np.concatenate([t.X for t in pair]))


def test_a_short_stretch_between_bad_acq_skips_and_epochs_all_alike(tmp_path):
    """The rule holds for MNE's BAD_ACQ_SKIP stretches too: the real BrainVision test
    recording (1000 Hz) with skips at 0.5-1.0 s and 1.1-1.6 s, saved as FIF, gave eeg_stats
    3 rows (one of the 0.1 s between the skips) and eeg_bands 2; now both 2. An epochs
    file's epochs, all of one length (0.2 s here, under the rule's quarter second), are
    all kept as each set takes them, as before."""
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    raw.pick("eeg")
    raw.set_annotations(mne.Annotations([0.5, 1.1], [0.5, 0.5], ["BAD_ACQ_SKIP"] * 2))
    path = tmp_path / "skips_raw.fif"
    raw.save(path, verbose="error")
    for name in ("eeg_stats", "eeg_bands"):
        with pytest.warns(UserWarning, match=r"1 of 3 epochs left out \(epoch 1\), too short: "
                          r"100 samples \(0.100 s at 1000 Hz\), under the 251 the tail rule"):
            table = run([path], [emofeat.get_extractor(name)]).table
        assert table.column("epoch").tolist() == [0, 2], name
        assert table.provenance["segments"] == {"tail": 0.25}

    raw.set_annotations(None)
    events = mne.make_fixed_length_events(raw, duration=0.5)
    epochs = mne.Epochs(raw, events, tmin=0.0, tmax=0.199, baseline=None, preload=True,
                        verbose="error")
    path = tmp_path / "short-epo.fif"
    epochs.save(path, verbose="error")
    table = run([path], [emofeat.get_extractor("eeg_stats")]).table
    assert table.column("epoch").tolist() == list(range(len(epochs)))
    assert len(epochs) > 1 and np.isfinite(table.X).all()


def _said(got) -> str:
    return " ".join(" ".join(str(w.message).split()) for w in got)


def test_a_sets_transform_leaves_out_a_short_stretch_as_a_run_does(gapped):
    """A set's own ``transform`` (the scikit-learn path, which does not go through the
    runner) of the real Muse CSV with a 40-sample stretch between two gaps gave 3 rows of
    eeg_stats, eeg_hjorth, eeg_spectral and rqa_eeg and failed the whole recording with
    eeg_bands, eeg_de and eeg_asymmetry (TooShortError of the 40 samples), where a run
    gives each 2 rows. Now every set's ``fit_transform`` of the file, of the recording in
    memory, and ``transform`` of the file listed twice give the run's rows, bit for bit,
    with the run's warning in the rule's words."""
    path, rec = gapped
    for name in EEG_SETS:
        with pytest.warns(UserWarning, match=LEFT_OUT):
            ref = run([path], [emofeat.get_extractor(name)]).table.X
        assert ref.shape[0] == 2, name
        for item in (str(path), rec):
            with pytest.warns(UserWarning, match=LEFT_OUT) as got:
                X = emofeat.get_extractor(name).fit_transform([item])
            assert ("under the 65 the tail rule of EEG keeps (a gap-free stretch of 250 ms or "
                    "less among longer ones is left out of every set)") in _said(got), name
            np.testing.assert_array_equal(X, ref, err_msg=name)
        ext = emofeat.get_extractor(name).fit([path])
        with pytest.warns(UserWarning, match=LEFT_OUT):
            X = ext.transform([path, path])
        np.testing.assert_array_equal(X, np.concatenate([ref, ref]), err_msg=name)


def test_a_sets_transform_leaves_out_a_stretch_under_its_own_minimum_as_a_run_does(relaxed):
    """A stretch longer than a quarter second but under a set's own minimum (150 samples,
    eeg_bands with a 1.0-1.2 Hz band) among longer ones failed the whole recording in a
    set's ``transform``; a run leaves it out in the set's words. Now ``transform`` does the
    same, with the run's rows; a recording whose stretches the set all refuses still fails
    with the set's refusal (both paths), and stretches all under the quarter second are
    kept by eeg_stats, a row each, as in a run."""
    from emofeat.errors import TooShortError

    bands = {"n": (1.0, 1.2), "alpha": (8, 13)}
    cut = dataclasses.replace(relaxed, data=relaxed.data[:, :6150], breaks=(3000, 3150))
    with pytest.warns(UserWarning, match=r"1 of 3 epochs left out \(epoch 1\), too short: "
                      r"150 samples"):
        ref = run([cut], [emofeat.get_extractor("eeg_bands", bands=bands)]).table.X
    with pytest.warns(UserWarning) as got:
        X = emofeat.get_extractor("eeg_bands", bands=bands).fit_transform([cut])
    said = _said(got)
    assert "1 of 3 epochs left out (epoch 1), too short: 150 samples" in said
    assert "too short for the 'eeg_bands' set" in said and "tail rule" not in said
    np.testing.assert_array_equal(X, ref)

    both = dataclasses.replace(relaxed, data=relaxed.data[:, :190], breaks=(40,))
    with pytest.raises(TooShortError) as info:
        emofeat.get_extractor("eeg_bands", bands=bands).fit_transform([both])
    assert "150 samples" in str(info.value) and "'eeg_bands' set" in str(info.value)
    assert "tail rule" not in str(info.value)

    short = dataclasses.replace(relaxed, data=relaxed.data[:, :90], breaks=(40,))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X = emofeat.get_extractor("eeg_stats").fit_transform([short])
    np.testing.assert_array_equal(X, run([short], [emofeat.get_extractor("eeg_stats")]).table.X)
    assert X.shape[0] == 2


def test_a_sets_transform_counts_the_stretches_kept_in_its_flat_warning(gapped):
    """AF7 flat in the gapped Muse recording: a run says it of the 2 stretches it keeps
    (``2 of 2 gap-free stretches``); a set's ``transform`` says the same words, not of the
    3 stretches read."""
    path, rec = gapped
    data = rec.data.copy()
    data[list(rec.ch_names).index("AF7")] = 5.0
    flat = dataclasses.replace(rec, data=data)
    for name in ("eeg_hjorth", "eeg_de"):
        said = []
        for get in (lambda n=name: run([flat], [emofeat.get_extractor(n)]),
                    lambda n=name: emofeat.get_extractor(n).fit_transform([flat])):
            with warnings.catch_warnings(record=True) as got:
                warnings.simplefilter("always")
                get()
            said.append(sorted(str(w.message) for w in got if "flat (constant)" in
                               str(w.message)))
        assert len(said[0]) == 1 and "(2 of 2 gap-free stretches)" in said[0][0], said
        assert said[1] == said[0], name
