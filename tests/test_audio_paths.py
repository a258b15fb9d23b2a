"""The audio paths around the default one, against librosa on the same real speech: a file at
another rate read whole, in blocks (``long_file_seconds``) and in windows read from disk."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC

from emofeat.audio import load_audio
from emofeat.runner import run

librosa = pytest.importorskip("librosa")
soxr = pytest.importorskip("soxr")


@pytest.fixture(scope="module")
def speech_44k(ravdess_files, tmp_path_factory):
    """Real speech at 44.1 kHz (16-bit WAV), cut to a length whose 16 kHz version soxr makes
    one sample shorter than librosa, which zero-pads it to ``ceil(n * 16000 / 44100)``
    samples, a whole number of 160-sample hops: librosa's MFCC has one frame more."""
    y, sr = sf.read(ravdess_files[0], dtype="float64")
    y = soxr.resample(y, sr, 44100, quality="VHQ")
    for m in range(len(y) - 2000, len(y)):
        exact = m * 16000 / 44100
        if 0 < exact % 1 < 0.5 and int(np.ceil(exact)) % 160 == 0:
            break
    else:  # pragma: no cover - every 2000 samples hold such a length
        raise AssertionError("no length found")
    path = tmp_path_factory.mktemp("paths") / "speech_44k.wav"
    sf.write(path, y[:m], 44100, subtype="PCM_16")
    return path


def _librosa_mfcc(y: np.ndarray) -> np.ndarray:
    return librosa.feature.mfcc(y=y, sr=16000, n_mfcc=13, n_fft=400, hop_length=160,
                                n_mels=40, center=True, pad_mode="constant").T


def test_a_resampled_file_is_librosa_loads_signal(speech_44k):
    """``librosa.load(sr=16000)`` (soxr_hq, then ``fix_length`` to ``ceil``): the same samples
    and length. Before, soxr's own length (one sample shorter) dropped the last MFCC frame."""
    ref, _ = librosa.load(speech_44k, sr=16000, res_type="soxr_hq")
    got = load_audio(speech_44k).y
    assert got.shape == ref.shape
    np.testing.assert_array_equal(got, ref)  # the same resampler and float32 samples
    ours, _ = MFCC(level="lld", deltas=0).fit().features_of(load_audio(speech_44k))
    want = _librosa_mfcc(ref)
    assert ours.shape == want.shape
    np.testing.assert_allclose(ours, want, atol=1e-3, rtol=0)  # float32 spectra both ways


def test_blocks_and_windows_of_a_resampled_file_have_its_length(speech_44k):
    """A file analysed in blocks (streaming resampler) and windows read from disk one by one
    end where the file read whole ends: librosa's length, frame for frame."""
    ref, _ = librosa.load(speech_44k, sr=16000, res_type="soxr_hq")
    ext = MFCC(level="lld", deltas=0)
    whole = run([speech_44k], [ext], long_file_seconds=None).table
    blocks = run([speech_44k], [ext], long_file_seconds=0.0, block_seconds=1.0).table
    assert whole.X.shape[0] == blocks.X.shape[0] == _librosa_mfcc(ref).shape[0]
    np.testing.assert_allclose(blocks.X, whole.X, atol=1e-3, rtol=0)  # streaming soxr
    np.testing.assert_array_equal(blocks.index["end"], len(ref) / 16000)
    seg = {lf: run([speech_44k], [MFCC()], segment="1s", hop="0.7s",
                   long_file_seconds=lf).table for lf in (None, 0.0)}
    for table in seg.values():
        assert table.index["end"].iloc[-1] == len(ref) / 16000
    np.testing.assert_array_equal(seg[0.0].index["start"], seg[None].index["start"])
    np.testing.assert_array_equal(seg[0.0].index["end"], seg[None].index["end"])


@pytest.mark.parametrize("n_tail,kept", [(960, True), (959, False)])
def test_a_tail_window_of_the_shortest_kept_length_is_kept_in_both_paths(
        tmp_path, emodb_dir, n_tail, kept):
    """Real speech of 1.1 s and a tail in 1.1 s windows. A tail of 400 samples (one MFCC
    frame, the shortest tail kept before 2026-12-06) was kept by the in-memory cut and
    dropped by windows read from disk (a file longer than ``long_file_seconds``), which
    measured it in float seconds (1.025 - 1.0 = 0.02499999999999991 s, under the 0.025 s
    frame). Now the shortest tail kept is 60 ms (960 samples, compute.AUDIO_TAIL_SECONDS):
    kept in both paths, one sample less dropped in both. The windows are 1.1 s so that the
    float seconds of the 960-sample tail fall below the rule (1.16 - 1.1 =
    0.05999999999999983): after 1 s windows they come out at 0.06 exactly and the test
    passed with the tail measured in seconds."""
    n = 17600 + n_tail
    y, sr = sf.read(sorted(emodb_dir.glob("*.flac"))[0], dtype="float32")
    assert sr == 16000 and y.shape[0] >= n
    path = tmp_path / f"speech_{n}.wav"
    sf.write(path, y[:n], sr, subtype="FLOAT")
    tail = tmp_path / "tail.wav"
    sf.write(tail, y[17600:n], sr, subtype="FLOAT")
    memory = run([path], [MFCC()], segment="1.1s", long_file_seconds=None).table
    disk = run([path], [MFCC()], segment="1.1s", long_file_seconds=0.0).table
    windows = [[0.0, 17600 / sr], [17600 / sr, n / sr]] if kept else [[0.0, 17600 / sr]]
    assert memory.index[["start", "end"]].to_numpy().tolist() == windows
    np.testing.assert_array_equal(disk.index[["start", "end"]], memory.index[["start", "end"]])
    np.testing.assert_array_equal(disk.X, memory.X)  # the same samples at the file's rate
    if kept:  # the tail's row is the set on the tail cut out and saved as a file
        np.testing.assert_array_equal(memory.X[1], run([tail], [MFCC()]).table.X[0])


def test_manifest_segments_are_the_files_samples_between_rounded_bounds(tmp_path, emodb_dir,
                                                                        speech_44k):
    """A segment manifest's bounds, off any sample grid: at the file's rate the segment is
    ``y[round(start * sr):round(end * sr)]`` of the file read whole, to the bit; at another
    rate the same cut of the file read whole and resampled (to float32 rounding: each segment
    is read with 50 ms on each side, resampled and cut, not resampled on its own as
    ``librosa.load(offset=..., duration=...)`` does, which leaves the resampler's edge
    effects in its first and last milliseconds). A segment past the end of the file is
    analysed to its end, and its row keeps the manifest's end."""
    import pandas as pd

    at_16k = sorted(emodb_dir.glob("*.flac"))[1]
    bounds = [(0.0, 1.0), (0.73331, 1.91234), (1.23456789, 1.98765), (1e-5, 0.5), (1.5, 9.0)]
    manifest = pd.DataFrame([(str(p), s, e) for p in (at_16k, speech_44k) for s, e in bounds],
                            columns=["path", "start", "end"])
    table = run(manifest, [MFCC()]).table
    np.testing.assert_array_equal(table.index["end"], manifest["end"])
    whole = {p: load_audio(p).y for p in (at_16k, speech_44k)}
    for k, (p, s, e) in enumerate(manifest.itertuples(index=False)):
        y = whole[at_16k if p == str(at_16k) else speech_44k]
        sf.write(tmp_path / "cut.wav", y[round(s * 16000):round(e * 16000)], 16000,
                 subtype="FLOAT")
        want = run([tmp_path / "cut.wav"], [MFCC()]).table.X[0]
        if p == str(at_16k):
            np.testing.assert_array_equal(table.X[k], want)
        else:  # samples equal to float32 rounding (3.6e-7 at most seen)
            np.testing.assert_allclose(table.X[k], want, rtol=0, atol=1e-3, err_msg=str((s, e)))


@pytest.mark.parametrize("sr", [8000, 22050])
def test_manifest_segments_of_a_resampled_file_are_cut_from_it_resampled_whole(sr, emodb_dir,
                                                                               ravdess_files):
    """Real 16 kHz speech (2 RAVDESS, 2 EmoDB files) analysed at another rate: a manifest
    segment's MFCC row equals that of the file resampled whole and cut at the segment's
    bounds on the set's grid, as ``--segment`` windows are cut (tolerance 1e-3). Resampled on
    its own, as before, a segment's first and last frames were off by a median 1 dB at 8 kHz
    (3 dB at 22.05 kHz) and up to 8 (16) dB, its functionals by up to one between-segment
    standard deviation (60 random RAVDESS and EmoDB segments)."""
    import pandas as pd

    from emofeat.audio import Audio

    files = [ravdess_files[0], ravdess_files[7], *sorted(emodb_dir.glob("*.flac"))[:2]]
    bounds = [(0.0, 0.9), (0.61803, 1.71828), (1.3, 9.0)]
    manifest = pd.DataFrame([(str(p), s, e) for p in files for s, e in bounds],
                            columns=["path", "start", "end"])
    ext = MFCC(sr=sr)
    table = run(manifest, [ext]).table
    ext.fit([])
    for k, (p, s, e) in enumerate(manifest.itertuples(index=False)):
        whole = load_audio(p, sr)
        cut = Audio(y=whole.y[round(s * sr):round(e * sr)], sr=sr, source=p, orig_sr=16000,
                    orig_channels=1)
        np.testing.assert_allclose(table.X[k], ext.transform([cut])[0], rtol=0, atol=1e-3,
                                   err_msg=str((p, s, e)))


def test_info_shows_the_segmentation_and_the_parameters(tmp_path, emodb_dir, capsys):
    """``emofeat info`` of windows, and of a segment manifest, says how the rows were cut
    (it said nothing: the provenance held it), beside the parameters given with --param,
    which the numbers follow."""
    import pandas as pd

    from emofeat.cli import main
    from emofeat.table import FeatureTable

    path = str(sorted(emodb_dir.glob("*.flac"))[0])
    out = tmp_path / "w.parquet"
    assert main(["extract", path, "-o", str(out), "--segment", "1s", "--hop", "500ms",
                 "--param", "n_mfcc=20", "--param", "fmax=4000", "-q"]) == 0
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "segments: windows of 1.0 s every 0.5 s" in shown
    assert "fmax=4000" in shown and "n_mfcc=20" in shown
    table = FeatureTable.read_parquet(out)
    want = run([path], [MFCC(n_mfcc=20, fmax=4000)], segment="1s", hop="500ms").table
    np.testing.assert_array_equal(table.X, want.X)
    csv = tmp_path / "m.csv"
    pd.DataFrame({"path": [path], "start": [0.2], "end": [1.1]}).to_csv(csv, index=False)
    assert main(["extract", str(csv), "-o", str(tmp_path / "m.parquet"), "-q"]) == 0
    capsys.readouterr()
    assert main(["info", str(tmp_path / "m.parquet")]) == 0
    assert "segments: listed by the manifest (start, end)" in capsys.readouterr().out


def test_a_manifest_segment_without_a_sample_says_which(emodb_dir):
    """A segment whose bounds round to the same sample: the error names the segment and the
    sample (it said "the signal has no samples")."""
    import pandas as pd

    from emofeat.errors import EmptyInputError

    path = str(sorted(emodb_dir.glob("*.flac"))[0])
    manifest = pd.DataFrame({"path": [path], "start": [0.5], "end": [0.50001]})
    with pytest.raises(EmptyInputError, match=r"segment 0.5-0.50001 s holds no sample of the "
                       r"file \(its bounds round to sample 8000 at 16000 Hz\)"):
        run(manifest, [MFCC()])
