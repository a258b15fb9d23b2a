"""Audio leftovers of session 42: the manifest segments of a file libsndfile cannot seek in
kept in one shard, so that worker processes do not each decode its start.

Every test runs on real EmoDB and RAVDESS files beside the repository (skipped when absent).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

import emofeat
from emofeat.runner import run
from emofeat.schedule import make_shards
from emofeat.table import FeatureTable

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def g721_long(emodb_dir, tmp_path_factory):
    """Four EmoDB clips joined (16 kHz, 8 s), written as G.721 ADPCM in AU, and its samples
    as soundfile.read decodes them."""
    y = np.concatenate([sf.read(emodb_dir / f"{name}.flac", dtype="float32")[0]
                        for name in ("03a01Fa", "03a01Nc", "03a01Wa", "03a02Fc")])
    path = tmp_path_factory.mktemp("g721") / "joined.au"
    sf.write(path, y, 16000, format="AU", subtype="G721_32")
    with sf.SoundFile(path) as f:
        assert not f.seekable()  # the case these tests are about
    return path, sf.read(path, dtype="float32")[0]


def _count_decoded_in_every_process(monkeypatch, path, log):
    """Append to ``log`` the frames each soundfile read of ``path`` decodes, from this
    process and the workers it forks (one small write each: appended whole)."""
    read = sf.SoundFile.read

    def counting(self, *args, **kwargs):
        got = read(self, *args, **kwargs)
        if str(self.name) == str(path):
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, f"{got.shape[0]}\n".encode())
            finally:
                os.close(fd)
        return got

    monkeypatch.setattr(sf.SoundFile, "read", counting)


def test_segments_of_an_unseekable_file_decode_it_once_with_two_workers(
        g721_long, ravdess_files, tmp_path, monkeypatch):
    """Eight manifest segments of one G.721 file, in rising order, between RAVDESS files, with
    -j 2: the default shards (one input each here) sent them to eight tasks, each decoding
    the file from its start up to its segment (313,600 frames decoded against 126,400 up to
    the last segment's end). They now stay in one shard, read forward once: exactly the frames up to the last
    segment's end are decoded, and the rows (in manifest order) equal the segments cut from
    soundfile.read's samples, exactly; the RAVDESS files keep shards of their own."""
    path, ref = g721_long
    sr = 16000
    spans = [(0.2 + k, 0.9 + k) for k in range(8)]
    paths = ([str(ravdess_files[0]), str(ravdess_files[1])] + [str(path)] * len(spans)
             + [str(ravdess_files[2])])
    bounds = [(np.nan, np.nan)] * 2 + spans + [(np.nan, np.nan)]
    manifest = pd.DataFrame({"path": paths, "start": [a for a, _ in bounds],
                             "end": [b for _, b in bounds]})
    log = tmp_path / "decoded.txt"
    _count_decoded_in_every_process(monkeypatch, path, log)
    mfcc = emofeat.get_extractor("mfcc")
    result = run(manifest, [mfcc], n_jobs=2, backend="fork")
    decoded = [int(n) for n in log.read_text().split()]
    assert sum(decoded) == round(spans[-1][1] * sr)

    table = result.table
    assert table.column("path").tolist() == paths
    for row, (a, b) in zip(table.X[2:-1], spans, strict=True):
        cut = ref[round(a * sr):round(b * sr)]
        np.testing.assert_array_equal(row, emofeat.extract([(cut, sr)], "mfcc").X[0])
    whole = emofeat.extract([str(p) for p in ravdess_files[:3]], "mfcc").X
    np.testing.assert_array_equal(table.X[[0, 1, -1]], whole)


def test_shards_of_seekable_files_and_other_files_keep_their_size(g721_long, ravdess_files):
    """Only consecutive segments of one file libsndfile cannot seek in are kept together:
    segments of a seekable file (FLAC) are cut as before, and so is a manifest whose runs
    are not asked to keep files (EEG, or audio without start/end)."""
    path, _ = g721_long
    flac = [str(ravdess_files[0])] * 12
    g721 = [str(path)] * 12
    for items, keep, sizes in ((flac, True, [2] * 6), (g721, True, [12]),
                               (g721, False, [2] * 6), (flac + g721, True, [2] * 6 + [12])):
        ident = pd.DataFrame({"path": items})
        positions = list(range(len(items)))
        shards = make_shards(positions, items, ident, None, None, 1, 2, forward_files=keep)
        assert [len(s.positions) for s in shards] == sizes
        assert [p for s in shards for p in s.positions] == positions


def test_a_shard_kept_together_is_sent_first_to_several_workers(g721_long, ravdess_files):
    """A shard grown past its size (one G.721 file's 12 segments kept together) placed after
    the others was sent last and ran alone at the end; with several workers it now comes
    first, the others in input order; with one worker every shard keeps input order."""
    path, _ = g721_long
    items = [str(ravdess_files[0])] * 6 + [str(path)] * 12
    ident = pd.DataFrame({"path": items})
    positions = list(range(len(items)))
    for n_jobs, firsts in ((2, [6, 0, 2, 4]), (-1, [6, 0, 2, 4]), (1, [0, 2, 4, 6])):
        shards = make_shards(positions, items, ident, None, None, n_jobs, 2,
                             forward_files=True)
        assert [s.positions[0] for s in shards] == firsts, n_jobs
        assert sorted(p for s in shards for p in s.positions) == positions


def test_segments_going_back_past_the_kept_frames_are_cut_into_shards(g721_long, tmp_path,
                                                                      monkeypatch):
    """Segments of one G.721 file listed out of order (a manifest grouped by emotion: starts
    7, 4, 1, 6, 3, 0, 5, 2 s) each reopen the file wherever they run, so keeping them in one
    shard only sent them all to one worker (508,800 frames decoded by it, 198,400 and
    339,200 by two workers at b808095): they are cut into the usual shards where a segment
    starts more than ForwardStream.KEEP seconds before the highest start the shard's stream
    has read (a chain stepping back 1.5 s at a time was kept in one shard, 235,200 frames
    decoded by one worker), kept where it does not, and all of them where the manifest has
    no start. The rows of a -j 2 run equal
    the segments cut from soundfile.read's samples, exactly."""
    from emofeat.segments import ForwardStream

    path, ref = g721_long
    sr = 16000
    back = [(k + 0.1, k + 0.8) for k in (7, 4, 1, 6, 3, 0, 5, 2)]
    near = [(a, a + 0.5) for a in (0.0, 3.0, 3.0 - ForwardStream.KEEP, 4.0, 2.5, 5.0)]
    # the stream keeps the frames from KEEP before the highest start read, not before the
    # last one: each of these steps back 1.5 s, two of them 3 s, so they reopen the file
    chain = [(a, a + 0.7) for a in (7.2, 5.7, 4.2, 2.7, 1.2, 0.0)]
    # a segment going forward stays in its shard: [0, 5] and the 2 after 5 cut
    for spans, sizes in ((back, [2, 2, 3, 1]), (near, [6]), (near + back[5:6], [6, 1]),
                         (chain, [2, 2, 2])):
        items = [str(path)] * len(spans)
        ident = pd.DataFrame({"path": items, "start": [a for a, _ in spans],
                              "end": [b for _, b in spans]})
        positions = list(range(len(items)))
        shards = make_shards(positions, items, ident, None, None, 1, 2, forward_files=True)
        assert [len(s.positions) for s in shards] == sizes, spans
        assert [p for s in shards for p in s.positions] == positions

    manifest = pd.DataFrame({"path": [str(path)] * len(back), "start": [a for a, _ in back],
                             "end": [b for _, b in back]})
    result = run(manifest, [emofeat.get_extractor("mfcc")], n_jobs=2, backend="fork")
    cuts = [(ref[round(a * sr):round(b * sr)], sr) for a, b in back]
    np.testing.assert_array_equal(result.table.X, emofeat.extract(cuts, "mfcc").X)


# ------------------------------------------------------------------- the EEG tail window rule
#: EEG sets whose own minimum at 256 Hz ranges from 3 samples (Hjorth, rqa_eeg) to 65 (the
#: band sets: the 1-4 Hz delta band needs bins under 4 Hz apart)
EEG_TAIL_SETS = ("eeg_bands", "eeg_de", "eeg_asymmetry", "eeg_stats", "eeg_hjorth",
                 "eeg_spectral", "rqa_eeg")


@pytest.fixture(scope="module")
def muse_relaxed():
    """A real Muse recording (4 channels, uV, gap-free) read as the command reads it."""
    from emofeat.datasets.eeg_corpora import read_muse

    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    rec = read_muse(path)
    assert not rec.breaks
    return path, rec


def test_every_eeg_set_gives_the_same_windows_of_a_recording_with_a_short_tail(muse_relaxed):
    """One rule for an EEG tail window: a quarter second or less is dropped whatever the set.
    2 s windows of the real Muse samples at 256 Hz with tails of 20 samples (78 ms), 64
    (exactly 250 ms) and 65: each set's own minimum kept the 20- and 64-sample tails in
    eeg_stats, eeg_hjorth, eeg_spectral and rqa_eeg (rows of statistics of 20 samples) and
    dropped them in the band sets, so two sets' tables did not join. Now every set gives
    the same windows, the 65-sample tail kept by all."""
    _, rec = muse_relaxed
    sr, seg = 256.0, 512
    for tail, windows in ((20, 3), (64, 3), (65, 4)):
        x = rec.data[:, :3 * seg + tail]
        ids = {}
        for name in EEG_TAIL_SETS:
            table = run([(x, sr, rec.ch_names)], [emofeat.get_extractor(name)],
                        segment=2.0).table
            ids[name] = table.index[["start", "end"]].to_numpy().tolist()
            assert np.isfinite(table.X).all(), name
        for name in EEG_TAIL_SETS[1:]:
            assert ids[name] == ids[EEG_TAIL_SETS[0]], (name, tail)
        assert len(ids["eeg_stats"]) == windows, tail


def test_the_eeg_tail_rule_at_a_rate_whose_quarter_is_not_whole():
    """The rule at the real rate of the Muse recording subjectb-relaxed-2, 254.224 Hz (a
    quarter second is 63.56 samples; the tests above run at 256 and 128 Hz, where it is
    whole): in 2 s windows (508 samples) of its first gap-free stretch, a tail of
    eeg_bands.min_samples(rate) samples is kept by every set, one sample less dropped by
    every set."""
    from emofeat.datasets.eeg_corpora import read_muse

    rec = read_muse(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    rate = rec.sfreq
    assert abs(rate - 254.224) < 1e-3 and rec.breaks[0] == 1116
    least = emofeat.get_extractor("eeg_bands").min_samples(rate)
    seg = round(2.0 * rate)
    for tail, windows in ((least - 1, 2), (least, 3)):
        x = rec.data[:, :2 * seg + tail]
        for name in EEG_TAIL_SETS:
            table = run([(x, rate, rec.ch_names)], [emofeat.get_extractor(name)],
                        segment=2.0).table
            assert len(table) == windows, (name, tail)
            last = x.shape[1] if windows == 3 else 2 * seg  # the tail's end, or the 2nd's
            assert table.index["end"].iloc[-1] == pytest.approx(last / rate), name


def test_a_short_stretch_between_gaps_is_left_out_by_every_eeg_set(muse_relaxed):
    """A gap-free stretch of a quarter second or less is the tail rule's window too: the real
    Muse samples cut to 2,088 with breaks at 1,024 and 1,064 (a 40-sample, 0.156 s stretch
    between two 4 s ones) in 2 s windows gave eeg_stats, eeg_hjorth, eeg_spectral and
    rqa_eeg a row of the 40 samples (the first window of a signal was kept however short)
    and the band sets none; now every set gives the same 4 windows and says which stretch it
    left out. The only signal of an input keeps its only window, as each set takes it."""
    import dataclasses

    path, rec = muse_relaxed
    cut = dataclasses.replace(rec, data=rec.data[:, :2088], breaks=(1024, 1064))
    ids = {}
    for name in EEG_TAIL_SETS:
        with pytest.warns(UserWarning, match=r"1 of 3 epochs left out \(epoch 1\), too short: "
                          r"40 samples"):
            table = run([cut], [emofeat.get_extractor(name)], segment=2.0).table
        ids[name] = table.index[["start", "end"]].to_numpy().tolist()
    for name in EEG_TAIL_SETS[1:]:
        assert ids[name] == ids[EEG_TAIL_SETS[0]], name
    # two windows (at 256.02 Hz) of each 4 s stretch
    assert np.allclose(ids["eeg_stats"], [[0.0, 2.0], [2.0, 4.0]] * 2, atol=1e-3)

    alone = dataclasses.replace(rec, data=rec.data[:, :40], breaks=())
    table = run([alone], [emofeat.get_extractor("eeg_stats")], segment=2.0).table
    assert len(table) == 1 and np.isfinite(table.X).all()


def test_a_stretch_under_a_sets_own_minimum_is_refused_by_the_set_not_the_tail_rule(
        muse_relaxed):
    """The tail rule rules out a stretch under a quarter second, or under a whole window
    where windows are shorter; a set's own longer minimum is the set's to say: a stretch of
    150 samples (0.59 s) between gaps, under the 214 of eeg_bands with a band of 0.2 Hz,
    was blamed on the quarter-second rule ('under the 214 the tail rule of EEG windows
    keeps'), and a 20-sample stretch in 0.1 s windows too, where a whole window set it."""
    import dataclasses

    path, rec = muse_relaxed
    narrow = emofeat.get_extractor("eeg_bands", bands={"n": (1.0, 1.2), "alpha": (8, 13)})
    least = int(narrow.min_samples(rec.sfreq))
    assert 150 < least and 150 / rec.sfreq > 0.25  # the case: the set's minimum, not the rule
    cut = dataclasses.replace(rec, data=rec.data[:, :6150], breaks=(3000, 3150))
    with pytest.warns(UserWarning) as got:
        table = run([cut], [narrow], segment=10.0).table
    said = " ".join(" ".join(str(w.message).split()) for w in got)
    assert "1 of 3 epochs left out (epoch 1), too short: 150 samples" in said
    assert "too short for the 'eeg_bands' set" in said and f"{least} samples" in said
    assert "tail rule" not in said and "quarter second" not in said
    assert len(table) == 4

    whole = round(0.1 * rec.sfreq)
    cut = dataclasses.replace(rec, data=rec.data[:, :2020], breaks=(1000, 1020))
    with pytest.warns(UserWarning) as got:
        run([cut], [emofeat.get_extractor("eeg_stats")], segment=0.1)
    said = " ".join(" ".join(str(w.message).split()) for w in got)
    assert f"too short: 20 samples (0.078 s at {rec.sfreq:g} Hz), under the {whole} of a " \
        "whole 0.1 s window" in said
    assert "quarter second" not in said


def test_an_eeg_output_cut_before_the_tail_rule_is_not_resumed(muse_relaxed, tmp_path,
                                                              monkeypatch, capsys):
    """The EEG rule is recorded with the windows as the audio one is ({"tail": 0.25}): an
    output of --segment windows written before it (its tails cut by each set's own
    minimum) is refused, exit 2, saying why in the EEG rule's words and time, and
    --overwrite extracts it again; concat refuses such a table beside one made now, saying
    which; the audio rule's words are unchanged."""
    from emofeat.cli import main
    from emofeat.runner import _segments_of
    from emofeat.segments import FixedSegments
    from emofeat.table import FeatureTable

    path, _ = muse_relaxed
    assert _segments_of(FixedSegments(1.0), None, [emofeat.get_extractor("eeg_hjorth")]) == {
        "segment": 1.0, "hop": 1.0, "tail": 0.25}
    out = tmp_path / "windows.parquet"
    command = ["extract", str(path), "--set", "eeg_stats", "--segment", "20s", "-o", str(out),
               "-q"]
    with monkeypatch.context() as m:  # the record before the rule
        m.setattr(FixedSegments, "describe",
                  lambda self, tail=None: {"segment": self.segment, "hop": self.step})
        assert main(command) == 0
        old = emofeat.read_table(out)
    capsys.readouterr()
    assert main(command) == 2
    err = capsys.readouterr().err
    said = ("written by an emofeat that did not record the tail rule (before 2026-12-06 "
            "04:00 UTC); before that rule each set dropped a short tail window by its own "
            "minimum (the tables of two sets did not join), now a tail of 250 ms or less is "
            "dropped whatever the set")
    assert said in " ".join(err.split()), err
    assert main([*command, "--overwrite"]) == 0
    assert main(command) == 0  # written with the rule: resumed
    with pytest.raises(ValueError) as info:
        FeatureTable.concat([emofeat.read_table(out), old])
    assert f"table 2's windows were {said}" in str(info.value)


def test_an_output_of_the_band_sets_cut_before_the_tail_rule_is_resumed(tmp_path,
                                                                        monkeypatch, capsys):
    """The band sets' own minimum is the tail rule's (floor(rate / 4) + 1 samples), so their
    rows are the same under both: an output of eeg_bands, or of eeg_de and eeg_asymmetry
    (a dataset folder: the rate read from its parts), written before the rule was recorded
    is resumed, not refused ("the tables of two sets did not join" was untrue of it), and
    a run adding an input records the rule; its rows equal a fresh output's. Resumed with
    nothing to do, such an output records the rule (a file output kept its old record
    until session 43, a folder did not), and its table stacks with one made now
    (FeatureTable.concat refused it with the same untrue words). One with eeg_stats beside
    them is still refused, by resume and by concat (its 20-sample tails were rows)."""
    from emofeat.cli import main
    from emofeat.segments import FixedSegments

    paths = [str(shared_path("eeg", "muse_mental_state", f"subjecta-relaxed-{k}.csv"))
             for k in (1, 2)]
    for sets, name, kept in ((["eeg_bands"], "bands.parquet", True),
                             (["eeg_de", "eeg_asymmetry"], "de", True),
                             (["eeg_bands", "eeg_stats"], "mixed.parquet", False)):
        out = tmp_path / name
        options = [f"--set={s}" for s in sets] + ["--segment", "2s", "-q"]
        with monkeypatch.context() as m:  # the record before the rule
            m.setattr(FixedSegments, "describe",
                      lambda self, tail=None: {"segment": self.segment, "hop": self.step})
            assert main(["extract", paths[0], *options, "-o", str(out)]) == 0
        capsys.readouterr()
        assert main(["extract", paths[0], *options, "-o", str(out)]) == (0 if kept else 2), sets
        resumed = emofeat.read_table(out)
        if kept:  # nothing to do: the record says the rule, a file's as a folder's (s43)
            assert resumed.provenance["segments"] == {"segment": 2.0, "hop": 2.0,
                                                      "tail": 0.25}, name
        now = tmp_path / f"now-{name}"
        assert main(["extract", paths[0], *options, "-o", str(now)]) == 0
        made_now = emofeat.read_table(now)
        if not kept:
            assert "did not record the tail rule" in capsys.readouterr().err
            with pytest.raises(ValueError, match="did not record the tail rule"):
                FeatureTable.concat([resumed, made_now])
            continue
        for pair in ([resumed, made_now], [made_now, resumed]):
            stacked = FeatureTable.concat(pair)
            np.testing.assert_array_equal(stacked.X, np.concatenate([t.X for t in pair]))
            assert stacked.provenance["segments"] == made_now.provenance["segments"]
        assert main(["extract", *paths, *options, "-o", str(out)]) == 0
        table = emofeat.read_table(out)
        assert table.provenance["segments"] == {"segment": 2.0, "hop": 2.0, "tail": 0.25}
        fresh = tmp_path / f"fresh-{name}"
        assert main(["extract", *paths, *options, "-o", str(fresh)]) == 0
        again = emofeat.read_table(fresh)
        assert table.column("path").tolist() == again.column("path").tolist()
        np.testing.assert_array_equal(table.X, again.X)


def test_one_tail_rule_record_gives_the_windows_the_record_and_the_words():
    """Each modality's tail rule is one record (compute.TailRule): the seconds a run records
    with its windows name it back, and the refusal of an output recorded without it says
    its time and its words (audio: under 60 ms, since 01:48 UTC; EEG: 250 ms or less,
    since 04:00 UTC, d8bc8a8's commit time)."""
    from emofeat.compute import TAIL_RULES, recorded_tail_rule, tail_rule
    from emofeat.runner import _segments_of
    from emofeat.segments import FixedSegments
    from emofeat.store import tail_rule_said

    for name, modality, words in (("mfcc", "audio", "a tail under 60 ms"),
                                  ("eeg_stats", "eeg", "a tail of 250 ms or less")):
        sets = [emofeat.get_extractor(name)]
        rule = tail_rule(sets)
        assert rule is TAIL_RULES[modality]
        now = _segments_of(FixedSegments(2.0), None, sets)
        assert recorded_tail_rule(now["tail"]) is rule
        said = tail_rule_said({"segment": 2.0, "hop": 2.0}, now)
        assert f"(before {rule.since})" in said and f"now {words} is dropped" in said
    assert tail_rule([emofeat.get_extractor("text_surface")]) is None
    assert recorded_tail_rule(0.5) is None
