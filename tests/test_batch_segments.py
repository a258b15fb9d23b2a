"""Segments: fixed windows (--segment/--hop) and segment manifests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from emofeat.audio import load_audio
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.segments import FixedSegments, parse_duration
from emofeat.table import FeatureTable


@pytest.mark.parametrize("text, seconds", [("3s", 3.0), ("500ms", 0.5), ("1.5", 1.5),
                                           ("2min", 120.0), (0.25, 0.25)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["", "3 parsecs", "-1s", "0"])
def test_parse_duration_refuses(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_fixed_spans_cover_the_input():
    assert FixedSegments(3.0, 1.0).spans(55, 10) == [(0, 30), (10, 40), (20, 50), (30, 55)]
    assert FixedSegments(3.0).spans(55, 10) == [(0, 30), (30, 55)]
    assert FixedSegments(3.0, 1.0).spans(12, 10) == [(0, 12)]


def test_window_rows_equal_features_of_the_cut_signal(sample):
    path = sample["path"].iat[0]
    mfcc = get_extractor("mfcc")
    table = run([path], [mfcc], segment="1s", hop="0.5s").table
    audio = load_audio(path, 16000)
    starts = table.index["start"].to_numpy()
    np.testing.assert_allclose(starts, 0.5 * np.arange(len(table)))
    assert table.index["end"].iat[-1] == pytest.approx(audio.duration)
    assert np.all(table.index["end"].iloc[:-1].to_numpy() - starts[:-1] == pytest.approx(1.0))
    for k in (0, len(table) - 1):
        a, b = (int(round(x * 16000)) for x in table.index.loc[k, ["start", "end"]])
        np.testing.assert_array_equal(table.X[k], mfcc.transform([audio.y[a:b]])[0])


def test_lld_frame_times_count_from_the_file_start(sample):
    path = sample["path"].iat[1]
    lld = run([path], [get_extractor("mfcc", level="lld")], segment="1s").table
    second = lld.index[lld.index["start"] == 1.0]
    assert second["time"].iat[0] == pytest.approx(1.0)
    assert list(second["frame"][:3]) == [0, 1, 2]


def test_segment_manifest_via_cli(tmp_path, sample):
    paths = list(sample["path"].iloc[:2])
    seg = pd.DataFrame({
        "path": [paths[0], paths[0], paths[1]],
        "start": [0.0, 1.2, 0.5],
        "end": [1.0, 2.5, 2.0],
        "emotion": ["neutral", "neutral", "calm"],
        "speaker": ["09", "09", "09"],
    })
    csv = tmp_path / "segments.csv"
    seg.to_csv(csv, index=False)
    out = tmp_path / "seg.parquet"
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    table = FeatureTable.read_parquet(out)
    assert len(table) == 3
    pd.testing.assert_frame_equal(table.index[["path", "start", "end", "emotion"]],
                                  seg[["path", "start", "end", "emotion"]])
    assert list(table.index["speaker"]) == ["09", "09", "09"]
    y = load_audio(paths[0], 16000).y
    ref = get_extractor("mfcc").transform([y[int(1.2 * 16000):int(2.5 * 16000)]])
    np.testing.assert_allclose(table.X[1], ref[0], rtol=1e-6, atol=1e-6)
    # resumable per segment: a new segment of a file already done is extracted alone
    seg.loc[3] = [paths[1], 2.0, 3.0, "calm", "09"]
    seg.to_csv(csv, index=False)
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    assert len(FeatureTable.read_parquet(out)) == 4


def test_segment_cli_windows(tmp_path, sample):
    files = list(sample["path"].iloc[:3])
    out = tmp_path / "w"
    assert main(["extract", *files, "-o", str(out), "--segment", "2s", "--hop", "1s",
                 "-q"]) == 0
    table = FeatureTable.read_parquet(out)
    ref = run(files, [get_extractor("mfcc")], segment=2.0, hop=1.0).table
    np.testing.assert_array_equal(table.X, ref.X)
    assert table.provenance["segments"] == {"segment": 2.0, "hop": 1.0, "tail": 0.06}
    assert main(["extract", *files, "-o", str(out), "--hop", "1s", "-q"]) == 2


def test_bad_segment_bounds_name_the_row_and_failures_keep_their_bounds(tmp_path, sample):
    from emofeat.cli import main

    path = sample["path"].iloc[0]
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"path": [path, path], "start": ["0.5", "abc"], "end": [1.0, 2.0]}).to_csv(
        bad, index=False)
    with pytest.raises(ValueError, match=r"manifest row 3 .* got start='abc', end=2.0 for"):
        run(pd.read_csv(bad), [get_extractor("mfcc")])
    assert main(["extract", str(bad), "-o", str(tmp_path / "o.parquet"), "-q"]) == 2
    past = pd.DataFrame({"path": [path, path], "start": [0.0, 500.0], "end": [1.0, 501.0]})
    res = run(past, [get_extractor("mfcc")], on_error="record")
    assert list(res.errors.columns) == ["path", "stage", "error_type", "message", "start", "end"]
    assert res.errors[["start", "end"]].to_numpy().tolist() == [[500.0, 501.0]]


@pytest.mark.parametrize("extra, level, names", [
    # 'column(s)' for both until 2026-12-05
    ({"orig_sr": [44100]}, "functionals", "a column 'orig_sr'"),
    ({"frame": [7], "time": ["morning"]}, "lld", "columns 'frame', 'time'"),
])
def test_manifest_columns_named_like_added_ones_are_refused(tmp_path, sample, extra, level,
                                                            names):
    # these columns are computed per row (the file's rate, the frame's number and time); a
    # manifest's own values used to replace them silently
    manifest = pd.DataFrame({"path": [sample["path"].iat[0]], **extra})
    with pytest.raises(ValueError, match=f"the manifest has {names}, which emofeat adds"):
        run(manifest, [get_extractor("mfcc", level=level)])
    csv = tmp_path / "m.csv"
    manifest.to_csv(csv, index=False)
    argv = ["extract", "--set", "mfcc", str(csv), "-o", str(tmp_path / "o.parquet")]
    assert main(argv + (["--level", "lld"] if level == "lld" else [])) == 2
    assert not (tmp_path / "o.parquet").exists()


def test_eeg_manifest_with_an_epoch_column_is_refused(tmp_path):
    mne = pytest.importorskip("mne")
    rng = np.random.default_rng(0)
    path = tmp_path / "rec_raw.fif"
    info = mne.create_info(["AF3", "AF4"], 128.0, "eeg")
    mne.io.RawArray(1e-5 * rng.standard_normal((2, 1024)), info, verbose="error").save(
        path, verbose="error")
    manifest = pd.DataFrame({"path": [str(path)], "epoch": ["session1"]})
    ext = get_extractor("eeg_stats", sfreq=128.0)
    if "epoch" not in ext.reader().meta_columns:  # pragma: no cover - the reader's contract
        pytest.fail("the EEG reader no longer adds 'epoch'")
    with pytest.raises(ValueError, match="'epoch', which emofeat adds"):
        run(manifest, [ext])


@pytest.mark.parametrize("given", ["start", "end"])
def test_a_lone_start_or_end_column_is_refused(sample, given):
    # one bound alone is not a segment: the whole file was analysed and the row still said
    # start=7 s, end=<the file's duration>
    manifest = pd.DataFrame({"path": [sample["path"].iat[0]], given: [0.5]})
    other = "end" if given == "start" else "start"
    article = "an" if given == "end" else "a"  # "has a 'end' column" until session 51
    with pytest.raises(ValueError, match=f"has {article} {given!r} column but no {other!r}"):
        run(manifest, [get_extractor("mfcc")])


def test_text_manifests_keep_start_or_time_columns_as_labels():
    # texts add no time columns: a manifest's own 'start' or 'time' is just a label
    manifest = pd.DataFrame({"text": ["good day", "bad day"], "start": [1.0, 2.0],
                             "time": ["am", "pm"]})
    table = run(manifest, [get_extractor("text_surface")]).table
    assert list(table.index["start"]) == [1.0, 2.0]
    assert list(table.index["time"]) == ["am", "pm"]


def test_a_manifest_column_named_like_a_feature_is_refused(tmp_path, sample):
    # the parquet file had two 'mfcc0_mean' columns, which neither emofeat nor pandas read
    csv = tmp_path / "m.csv"
    pd.DataFrame({"path": [sample["path"].iat[0]], "mfcc0_mean": ["hello"]}).to_csv(
        csv, index=False)
    out = tmp_path / "o.parquet"
    assert main(["extract", "--set", "mfcc", str(csv), "-o", str(out)]) == 2
    assert not out.exists()
    # 'column(s) ... rename them' for one column until 2026-12-05
    with pytest.raises(ValueError, match="the manifest has a column named like features of "
                       "this run \\('mfcc0_mean'\\); rename it$"):
        run(pd.read_csv(csv), [get_extractor("mfcc")])
