"""Audio leftovers of session 41: files libsndfile cannot seek in, warnings that name the
window they are about, and the one rule for a short tail window.

Every test runs on real EmoDB and RAVDESS files beside the repository (skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import emofeat
from emofeat.cli import main
from emofeat.errors import TruncatedAudioWarning
from emofeat.runner import run
from emofeat.segments import ForwardStream, read_span

sf = pytest.importorskip("soundfile")

#: the codecs libsndfile (1.2) decodes forward only (SoundFile.seekable() is False), in each
#: container soundfile writes them to
UNSEEKABLE = [("AU", "G721_32", "au"), ("AU", "G723_24", "au"), ("AU", "G723_40", "au"),
              ("WAV", "G721_32", "wav"), ("WAV", "GSM610", "wav"),
              ("WAV", "NMS_ADPCM_16", "wav"), ("WAV", "NMS_ADPCM_32", "wav"),
              ("W64", "GSM610", "w64"), ("AIFF", "GSM610", "aiff"), ("XI", "DPCM_16", "xi")]


@pytest.fixture(scope="module")
def emodb_clip(emodb_dir):
    """A real EmoDB clip (16 kHz) as float32 samples."""
    y, sr = sf.read(emodb_dir / "03a01Fa.flac", dtype="float32")
    assert sr == 16000
    return y, sr


def _written(tmp_path, y, sr, fmt, subtype, ext):
    path = tmp_path / f"clip_{subtype}.{ext}"
    sf.write(path, y, sr, format=fmt, subtype=subtype)
    with sf.SoundFile(path) as f:
        assert not f.seekable()  # the case this test is about
    return path


@pytest.mark.parametrize("fmt,subtype,ext", UNSEEKABLE)
def test_a_file_libsndfile_cannot_seek_in_decodes_as_soundfile_read(
        tmp_path, emodb_clip, fmt, subtype, ext):
    """A G.721 AU file (and every other codec libsndfile cannot seek in) failed with
    soundfile's "frames must be specified for non-seekable files"; soundfile.read reads it.
    The samples are soundfile.read's, exactly (its float32), and the MFCC functionals
    those of soundfile.read's array, exactly."""
    path = _written(tmp_path, *emodb_clip, fmt, subtype, ext)
    ref, sr = sf.read(path, dtype="float32")
    got = emofeat.load_audio(path, sr=None)
    assert got.sr == sr
    np.testing.assert_array_equal(got.y, ref)
    table = emofeat.extract([str(path)], "mfcc")
    expected = emofeat.extract([(ref, sr)], "mfcc")
    np.testing.assert_array_equal(table.X, expected.X)


def _count_decoded(monkeypatch, path):
    """A list whose sum is the frames soundfile has decoded from ``path`` since."""
    decoded = []
    read = sf.SoundFile.read

    def counting(self, *args, **kwargs):
        got = read(self, *args, **kwargs)
        if str(self.name) == str(path):
            decoded.append(got.shape[0])
        return got

    monkeypatch.setattr(sf.SoundFile, "read", counting)
    return decoded


def test_unseekable_file_through_the_command_segments_and_long_file_paths(
        tmp_path, emodb_clip, monkeypatch):
    """The same G.721 AU file through the command, a segment manifest (a span read from
    disk: it seeked, which such a stream refuses), --segment windows of a long file (read
    from disk window by window) and a long file in blocks: the rows of soundfile.read's
    array, cut the same way, exactly. The manifest's segments in rising order and the
    windows decode the file once, read forward (each decoded it from its start, and a long
    file's windows were cut from it decoded whole); a segment before the frames kept opens
    it again."""
    y, sr = emodb_clip
    path = _written(tmp_path, y, sr, "AU", "G721_32", "au")
    ref, _ = sf.read(path, dtype="float32")
    mfcc = emofeat.get_extractor("mfcc")

    out = tmp_path / "cli.parquet"
    assert main(["extract", str(path), "-o", str(out), "-q"]) == 0
    np.testing.assert_array_equal(emofeat.read_table(out).X,
                                  emofeat.extract([(ref, sr)], "mfcc").X)

    decoded = _count_decoded(monkeypatch, path)
    for spans in ([(0.5, 1.0), (1.2, 1.9)], [(1.2, 1.9), (0.5, 1.0)]):
        manifest = pd.DataFrame({"path": [str(path)] * 2, "start": [a for a, _ in spans],
                                 "end": [b for _, b in spans]})
        decoded.clear()
        with monkeypatch.context() as m:
            m.setattr(ForwardStream, "KEEP", 0.1)  # 1.1 s (0.5 s back) not kept: reopened
            got = run(manifest, [mfcc]).table.X
        for row, (a, b) in zip(got, spans, strict=True):
            cut = ref[round(a * sr):round(b * sr)]
            np.testing.assert_array_equal(row, emofeat.extract([(cut, sr)], "mfcc").X[0])
        if spans[0] < spans[1]:  # once, to the end of the last segment
            assert sum(decoded) == round(1.9 * sr)
        else:
            assert sum(decoded) == round(1.9 * sr) + round(1.0 * sr)

    windows = run([(ref, sr)], [mfcc], segment=0.5).table
    for long_file in (None, 0):  # read whole, then as a long file (windows from disk)
        decoded.clear()
        got = run([str(path)], [mfcc], segment=0.5, long_file_seconds=long_file).table
        np.testing.assert_array_equal(got.X, windows.X)
        np.testing.assert_array_equal(got.column("start"), windows.column("start"))
        assert sum(decoded) <= ref.shape[0]  # one decode (a 40-frame tail dropped unread)
    blocks = run([str(path)], [mfcc], long_file_seconds=0).table
    np.testing.assert_array_equal(blocks.X, emofeat.extract([(ref, sr)], "mfcc").X)


def test_a_failed_read_of_an_unseekable_file_does_not_shift_its_next_segment(
        tmp_path, emodb_clip, monkeypatch):
    """A read that failed after libsndfile had decoded frames left the shard's stream of the
    file where it stopped, and the file's next segment was read from there: three G.721
    segments, the second's read failing (on_error="record"), gave the third the MFCCs of
    shifted frames (up to 892 from the sliced decode). The failed read closes the stream;
    the third segment opens the file again and equals the sliced decode exactly."""
    y, sr = emodb_clip
    path = _written(tmp_path, np.concatenate([y] * 3), sr, "AU", "G721_32", "au")
    ref, _ = sf.read(path, dtype="float32")
    spans = [(0.5, 1.0), (1.5, 2.0), (2.5, 3.0)]
    manifest = pd.DataFrame({"path": [str(path)] * 3, "start": [a for a, _ in spans],
                             "end": [b for _, b in spans]})
    read = sf.SoundFile.read
    calls = []

    def failing_second(self, *args, **kwargs):
        got = read(self, *args, **kwargs)  # the frames decoded, then the error
        if str(self.name) == str(path):
            calls.append(got.shape[0])
            if len(calls) == 2:
                raise RuntimeError("simulated libsndfile error after a partial read")
        return got

    monkeypatch.setattr(sf.SoundFile, "read", failing_second)
    result = run(manifest, [emofeat.get_extractor("mfcc")], on_error="record")
    assert result.errors["start"].tolist() == [1.5]
    assert result.table.column("start").tolist() == [0.5, 2.5]
    for row, (a, b) in zip(result.table.X, [spans[0], spans[2]], strict=True):
        cut = ref[round(a * sr):round(b * sr)]
        np.testing.assert_array_equal(row, emofeat.extract([(cut, sr)], "mfcc").X[0])
    assert sum(calls[2:]) == round(3.0 * sr)  # the third segment: the file from its start


def test_a_forward_stream_keeps_no_view_of_a_buffer_it_dropped(tmp_path, emodb_clip):
    """The frames kept after a read that drops most of the buffer, and the empty buffer of a
    closed stream, were views holding the whole previous buffer alive: they are copies, and
    the frames read are soundfile.read's."""
    y, sr = emodb_clip
    path = _written(tmp_path, np.concatenate([y] * 4), sr, "AU", "G721_32", "au")
    ref, _ = sf.read(path, dtype="float32")
    stream = ForwardStream(str(path))
    np.testing.assert_array_equal(stream.read(0, 5 * sr)[:, 0], ref[:5 * sr])
    before = stream.buf
    # within the frames read, kept from 2 s before 4.6 s on: 2.6 s of the 5 s buffer dropped
    np.testing.assert_array_equal(stream.read(sr * 46 // 10, sr * 4 // 10)[:, 0],
                                  ref[sr * 46 // 10:5 * sr])
    assert stream.start == sr * 26 // 10
    assert not np.shares_memory(stream.buf, before)
    before = stream.buf
    stream.close()
    assert stream.buf.shape == (0, 1) and stream.buf.base is None
    assert not np.shares_memory(stream.buf, before)


def test_a_forward_stream_reports_its_read_error_not_its_close_error(tmp_path, emodb_clip):
    """A read that fails closes the stream; a close that failed too was the error raised,
    the read's only its context, and the stream kept the file it could not close."""
    y, sr = emodb_clip
    path = _written(tmp_path, y, sr, "AU", "G721_32", "au")
    stream = ForwardStream(str(path))
    stream.read(0, sr // 2)

    class Broken:  # a stream whose decoder fails, and its close with it
        samplerate, channels = sr, 1

        def read(self, *args, **kwargs):
            raise RuntimeError("decode failed")

        def close(self):
            raise OSError("close failed")

    stream.file = Broken()
    with pytest.raises(RuntimeError, match="decode failed"):
        stream.read(sr, sr * 4)  # past the frames kept: read from the file
    assert stream.file is None
    ref, _ = sf.read(path, dtype="float32")
    np.testing.assert_array_equal(stream.read(0, sr // 2)[:, 0], ref[:sr // 2])  # opened again


def test_a_stream_longer_than_its_frame_count_is_read_to_its_end(tmp_path, emodb_clip):
    """read_all past the frame count a SoundFile reports (a header's promise, which a
    stream may exceed): a GSM 6.10 WAV whose SoundFile says 5000 frames is read in blocks
    beyond them, to soundfile.read's samples exactly."""
    import emofeat.audio

    path = _written(tmp_path, *emodb_clip, "WAV", "GSM610", "wav")
    ref, _ = sf.read(path, dtype="float32")
    assert ref.shape[0] > 5000

    class FewerFrames:  # the count too small, the rest of the file as it is
        frames = 5000

        def __init__(self, f):
            self.f = f

        def __getattr__(self, name):
            return getattr(self.f, name)

    with sf.SoundFile(path) as f:
        got = emofeat.audio.read_all(FewerFrames(f))
    np.testing.assert_array_equal(got[:, 0], ref)


def test_unseekable_long_file_windows_at_other_rates_equal_those_of_its_samples(
        tmp_path, emodb_clip):
    """Windows of a long G.721 file read forward for a set at another rate (each window
    read with 50 ms of context, on the rates' common grid: 320 frames for 22.05 kHz) give
    the rows of the same samples in a seekable float WAV read window by window, exactly."""
    from emofeat.extractors.mfcc import MFCC

    y, sr = emodb_clip
    path = _written(tmp_path, y, sr, "AU", "G721_32", "au")
    ref, _ = sf.read(path, dtype="float32")
    wav = tmp_path / "same.wav"
    sf.write(wav, ref, sr, subtype="FLOAT")
    for rate in (22050, 8000):
        got, expected = (run([str(p)], [MFCC(sr=rate)], segment=0.4, hop=0.3,
                             long_file_seconds=0).table for p in (path, wav))
        assert len(got) > 4
        np.testing.assert_array_equal(got.X, expected.X)
        np.testing.assert_array_equal(got.column("end"), expected.column("end"))


def test_unseekable_file_cut_short_warns_and_reads_what_is_there(tmp_path, emodb_clip):
    """A G.721 AU file cut to two thirds: the samples there (soundfile.read's), with the
    warning that the file is truncated, as for a PCM file cut short."""
    path = _written(tmp_path, *emodb_clip, "AU", "G721_32", "au")
    data = path.read_bytes()
    path.write_bytes(data[:len(data) * 2 // 3])
    ref, _ = sf.read(path, dtype="float32")
    with pytest.warns(TruncatedAudioWarning, match="truncated"):
        got = emofeat.load_audio(path, sr=None)
    np.testing.assert_array_equal(got.y, ref)


def test_unseekable_file_read_in_many_blocks_equals_soundfile_read(
        tmp_path, emodb_clip, monkeypatch):
    """read_all and read_frames_at read such a stream in blocks of _STREAM_BLOCK frames
    (2**20): an EmoDB clip is one block, so their loops ran once. In blocks of 1000
    frames: the whole file (33 blocks), a segment 1.5 s in (24 blocks read and dropped
    before it) and a long file in 0.5 s blocks give soundfile.read's samples, and the MFCCs
    of its array, exactly."""
    import emofeat.audio

    monkeypatch.setattr(emofeat.audio, "_STREAM_BLOCK", 1000)
    path = _written(tmp_path, *emodb_clip, "AU", "G721_32", "au")
    ref, sr = sf.read(path, dtype="float32")
    assert ref.shape[0] > 30 * 1000  # several blocks
    np.testing.assert_array_equal(emofeat.load_audio(path, sr=None).y, ref)
    np.testing.assert_array_equal(read_span(path, sr, 1.5, 1.9).y,
                                  ref[round(1.5 * sr):round(1.9 * sr)])
    mfcc = emofeat.get_extractor("mfcc")
    blocks = run([str(path)], [mfcc], long_file_seconds=0, block_seconds=0.5).table
    np.testing.assert_array_equal(blocks.X, emofeat.extract([(ref, sr)], "mfcc").X)


def test_unseekable_file_is_read_into_one_array(tmp_path, emodb_clip, monkeypatch):
    """read_all kept a list of blocks and joined them: the samples twice in memory (an hour
    of G.721 decoded whole peaked at 581 MB, in one array 412 MB). The frames are read into one
    array of the header's count: numpy's peak allocation (tracemalloc) during the read of
    a clip in 33 blocks stays within a quarter above the array itself (it was twice)."""
    import tracemalloc

    import emofeat.audio

    monkeypatch.setattr(emofeat.audio, "_STREAM_BLOCK", 1000)
    path = _written(tmp_path, *emodb_clip, "AU", "G721_32", "au")
    with sf.SoundFile(path) as f:
        tracemalloc.start()
        try:
            y = emofeat.audio.read_all(f)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    np.testing.assert_array_equal(y[:, 0], sf.read(path, dtype="float32")[0])
    assert peak <= 1.25 * y.nbytes, (peak, y.nbytes)


# ----------------------------------------------------------------------- short tail windows
#: every audio set with a minimum of its own (mfcc 25 ms, paa 50 ms, rqa_speech 20 ms) or
#: none (librosa and prosody zero pad; egemaps gave an all-NaN row under 60 ms)
TAIL_SETS = ["mfcc", "librosa", "prosody", "paa", "rqa_speech", "egemaps"]


def _window_ids(table):
    frame = table.to_pandas()
    return list(zip(frame["path"], frame["start"].round(6), frame["end"].round(6),
                    strict=True))


@pytest.mark.filterwarnings("ignore:.*no voiced frame")
@pytest.mark.parametrize("long_file", [None, 0])
def test_every_audio_set_gives_the_same_windows_of_a_file_with_a_short_tail(
        ravdess_dir, emodb_dir, long_file):
    """One rule for a tail window: dropped under 60 ms (AUDIO_TAIL_SECONDS) whatever the
    set. Real files whose length leaves a tail of 3 ms, 36 ms and 70 ms after 1 s windows
    (RAVDESS), and 10 ms after 0.995 s windows (EmoDB, 2.0 s): each set's own minimum
    kept the 36 ms tail in mfcc, librosa, prosody, rqa_speech and egemaps (all NaN there)
    and dropped it in paa; the 3 ms and 10 ms tails were rows of librosa and prosody (and
    an all-NaN egemaps row), so two sets' tables did not join. Now every set gives the
    same windows, read whole or, as a long file, window by window from disk."""
    layouts = [
        ([ravdess_dir / "Actor_13" / "03-01-02-02-02-01-13.flac",  # 48048 samples: 3 ms tail
          ravdess_dir / "Actor_13" / "03-01-02-02-02-02-13.flac",  # 48582: 36.4 ms
          ravdess_dir / "Actor_05" / "03-01-06-01-02-02-05.flac"],  # 49116: 69.75 ms
         1.0, [3, 3, 4]),
        ([emodb_dir / "03a01Fa.flac"], 0.995, [2]),  # 32000 samples: a 10 ms tail
    ]
    for paths, segment, windows in layouts:
        inputs = [str(p) for p in paths]
        for p in paths:
            assert p.exists(), p
        ids, all_nan = {}, {}
        for name in TAIL_SETS:
            table = run(inputs, [emofeat.get_extractor(name)], segment=segment,
                        long_file_seconds=long_file).table
            ids[name] = _window_ids(table)
            all_nan[name] = int(np.isnan(table.X).all(axis=1).sum())
        for name in TAIL_SETS[1:]:
            assert ids[name] == ids[TAIL_SETS[0]], (name, segment)
        assert all_nan["egemaps"] == 0  # a tail kept is analysed: no all-NaN row
        counts = [sum(1 for path, _, _ in ids["mfcc"] if path == p) for p in inputs]
        assert counts == windows
        ends = [end - start for _, start, end in ids["mfcc"]]
        assert min(ends) >= 0.06


def test_windows_shorter_than_the_tail_rule_keep_every_full_window(ravdess_dir):
    """--segment 40ms (shorter than the 60 ms tail rule, longer than mfcc's 25 ms frame):
    every full window is kept, the tail shorter than a window dropped, by mfcc and
    librosa alike (the rows join)."""
    path = str(ravdess_dir / "Actor_13" / "03-01-02-02-02-02-13.flac")  # 48582 samples
    full = 48582 // 640
    got = [_window_ids(run([path], [emofeat.get_extractor(name)], segment="40ms").table)
           for name in ("mfcc", "librosa")]
    assert got[0] == got[1]
    assert len(got[0]) == full  # 75 full windows; the 582-sample (36 ms) tail dropped


def test_an_output_cut_before_the_tail_rule_is_not_resumed(ravdess_dir, tmp_path,
                                                           monkeypatch, capsys):
    """An output of --segment windows written before the one tail rule (its tails cut by
    each set's own minimum) was resumed silently, its old rows kept beside new ones cut the
    new way. The rule is part of the windows' record (the fingerprint) now: the old output
    (written here with the old record) is refused, exit 2, saying why, and --overwrite
    extracts it again; an output written now resumes; EEG windows record their own rule
    (test_audio_left42.py), not the audio one."""
    from emofeat.runner import _segments_of
    from emofeat.segments import FixedSegments

    path = str(ravdess_dir / "Actor_13" / "03-01-02-02-02-02-13.flac")  # a 36 ms tail
    out = tmp_path / "windows.parquet"
    command = ["extract", path, "--set", "mfcc", "--segment", "1s", "-o", str(out), "-q"]
    with monkeypatch.context() as m:  # the record before the rule
        m.setattr(FixedSegments, "describe",
                  lambda self, tail=None: {"segment": self.segment, "hop": self.step})
        assert main(command) == 0
    capsys.readouterr()
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "other extraction parameters" in err, err
    # not "cut before 2026-12-06": outputs written after the rule, before it was recorded;
    # not the day alone: that day's outputs before 7ad05b3 (01:47:39 UTC) lack the record too
    assert ("written by an emofeat that did not record the tail rule (before 2026-12-06 "
            "01:48 UTC)" in err), err
    assert main([*command, "--overwrite"]) == 0
    assert main(command) == 0  # written with the rule: resumed
    eeg = [emofeat.get_extractor("eeg_hjorth")]
    assert _segments_of(FixedSegments(1.0), None, eeg)["tail"] != 0.06


def test_windows_recorded_before_the_tail_rule_are_not_stacked_without_saying_why(
        ravdess_dir, monkeypatch):
    """concat refused a --segment table made before the tail rule was recorded next to one
    made now with only "extracted differently (segments: {...} vs {..., 'tail': 0.06})", the
    parameters the user gave being the same. The refusal says which table lacks the rule,
    why that matters and to extract the older table again, whichever comes first."""
    from emofeat.segments import FixedSegments
    from emofeat.table import FeatureTable

    path = str(ravdess_dir / "Actor_13" / "03-01-02-02-02-02-13.flac")
    mfcc = [emofeat.get_extractor("mfcc")]
    with monkeypatch.context() as m:  # the record before the rule
        m.setattr(FixedSegments, "describe",
                  lambda self, tail=None: {"segment": self.segment, "hop": self.step})
        old = run([path], mfcc, segment=1.0).table
    new = run([path], mfcc, segment=1.0).table
    assert "tail" in new.provenance["segments"] and "tail" not in old.provenance["segments"]
    for tables, older in (([old, new], 1), ([new, new, old], 3)):
        with pytest.raises(ValueError) as info:
            FeatureTable.concat(tables)
        said = str(info.value)
        assert f"table {older}'s windows were written by an emofeat that did not record the " \
               "tail rule (before 2026-12-06 01:48 UTC)" in said, said
        assert "extract the older table again" in said, said
    other = run([path], mfcc, segment=0.5).table  # another segment length: no such reason
    with pytest.raises(ValueError, match="extracted differently") as info:
        FeatureTable.concat([old, other])
    assert "tail rule" not in str(info.value)


# ------------------------------------------------------------ warnings that name the window
#: a real RAVDESS clip whose first second and last 0.8 s hold no voiced frame (eGeMAPS)
QUIET_ENDS = ("Actor_01", "03-01-01-01-01-01-01.flac")
NO_VOICED = "no voiced frame"


def _named_windows(message):
    """The ``start-end`` pairs a window warning names, as floats."""
    import re

    where = message.split(": ", 1)[0].split(", windows ", 1)[1]
    return [(float(a), float(b)) for a, b in re.findall(r"([0-9.]+)-([0-9.]+)", where)]


def _unvoiced_windows(table):
    frame = table.to_pandas()
    col = next(c for c in table.feature_names if "F0semitone" in c and c.endswith("_amean"))
    rows = frame[frame[col].isna()]
    return [(round(a, 4), round(b, 4)) for a, b in zip(rows["start"], rows["end"],
                                                        strict=True)]


@pytest.mark.parametrize("long_file", [None, 0])
def test_a_windows_warning_names_the_windows_once_per_file(ravdess_dir, long_file):
    """egemaps over 0.5 s windows of a real clip, some of which have no voiced frame.
    The warning named the file only, once per window (or once in all under Python's
    default filter), so a user could not find the windows; now one warning for the file
    names them, as the table's start/end give them (checked against the rows whose F0
    mean is NaN), read whole or window by window from disk."""
    path = str(ravdess_dir.joinpath(*QUIET_ENDS))
    with pytest.warns(UserWarning) as record:
        table = run([path], [emofeat.get_extractor("egemaps")], segment="0.5s",
                    long_file_seconds=long_file).table
    said = [str(w.message) for w in record if NO_VOICED in str(w.message)]
    assert len(said) == 1, said
    assert said[0].startswith(f"{path}, windows ")
    unvoiced = _unvoiced_windows(table)
    assert 1 < len(unvoiced) <= 5 < len(table)  # the clip's quiet ends: all named
    assert f"({len(unvoiced)} of {len(table)})" in said[0]
    assert _named_windows(said[0]) == unvoiced


def test_many_windows_are_counted_past_the_first_five_and_the_command_says_so(
        ravdess_dir, tmp_path, capsys):
    """0.25 s windows, more than five of them unvoiced: the first five are named and the
    rest counted, in one warning, and the command prints that one line."""
    path = str(ravdess_dir.joinpath(*QUIET_ENDS))
    with pytest.warns(UserWarning, match=NO_VOICED) as record:
        table = run([path], [emofeat.get_extractor("egemaps")], segment="0.25s").table
    said = [str(w.message) for w in record if NO_VOICED in str(w.message)]
    unvoiced = _unvoiced_windows(table)
    assert len(said) == 1 and 5 < len(unvoiced) < len(table)  # the case of this test
    assert f" s and {len(unvoiced) - 5} more ({len(unvoiced)} of {len(table)}): " in said[0]
    assert _named_windows(said[0]) == unvoiced[:5]

    out = tmp_path / "windows.parquet"
    capsys.readouterr()
    assert main(["extract", path, "--set", "egemaps", "--segment", "0.25s", "-o", str(out),
                 "-q"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if NO_VOICED in line]
    # the command records a file given on its command line under its parent folder resolved
    # (../shared may be a link, as on CI)
    given = Path(path).parent.resolve() / Path(path).name
    assert lines == [f"emofeat extract: warning: {said[0].replace(path, str(given), 1)}"]


def test_a_warning_from_a_file_of_no_module_does_not_scan_the_modules_each_time(
        tmp_path, monkeypatch):
    """Each window warning said looks up the module of the file it came from, scanning the
    modules loaded (a thousand and more); found modules were kept, a file of no module (a
    script's) was scanned for again at every warning. It is kept too, until other modules
    are loaded."""
    import sys
    import types

    from emofeat._window_warnings import _module_of

    asked = []

    class Probe:  # a module entry that counts the scans reading its file
        @property
        def __file__(self):
            asked.append(1)
            return str(tmp_path / "probe.py")

    monkeypatch.setitem(sys.modules, "_emofeat_test_probe", Probe())
    script = str(tmp_path / "script.py")
    assert _module_of(script) is None
    assert _module_of(script) is None
    assert len(asked) == 1
    monkeypatch.setitem(sys.modules, "_emofeat_test_loaded", types.ModuleType("loaded"))
    assert _module_of(script) is None  # another module loaded: looked for again
    assert len(asked) == 2
    assert _module_of(emofeat.__file__) is emofeat
    # review of 95de86e: one module unloaded and the script's own loaded left the count of
    # modules alone, and the file was still said to be of no module
    monkeypatch.delitem(sys.modules, "_emofeat_test_loaded")
    own = types.ModuleType("script")
    own.__file__ = script
    monkeypatch.setitem(sys.modules, "_emofeat_test_script", own)
    assert _module_of(script) is own


def test_a_manifest_segment_warning_names_the_segment(ravdess_dir):
    """A segment manifest's row is read on its own; its warning named the file only, and
    two segments of one file said the same words."""
    path = str(ravdess_dir.joinpath(*QUIET_ENDS))
    manifest = pd.DataFrame({"path": [path, path], "start": [0.0, 1.0], "end": [0.9, 2.0]})
    with pytest.warns(UserWarning, match=NO_VOICED) as record:
        run(manifest, [emofeat.get_extractor("egemaps")])
    said = [str(w.message) for w in record if NO_VOICED in str(w.message)]
    assert said == [f"{path}, segment 0-0.9 s: {said[0].split(': ', 1)[1]}"]


def test_a_window_warning_made_an_error_still_fails_the_input(ravdess_dir):
    """Under an ``error`` filter the set's warning failed the input; said once for the file
    afterwards, it still does, and the error names the windows."""
    import warnings

    path = str(ravdess_dir.joinpath(*QUIET_ENDS))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run([path], [emofeat.get_extractor("egemaps")], segment="0.5s",
                     on_error="record")
    assert len(result.errors) == 1
    assert f"{path}, windows 0-0.5, 0.5-1, " in str(result.errors["message"].iloc[0])


@pytest.mark.parametrize("filter_,shown", [
    ("ignore::UserWarning:emofeat.extractors.egemaps", False),
    ("ignore:no voiced frame", True)])
def test_the_command_leaves_out_a_window_warning_by_the_sets_module(
        ravdess_dir, tmp_path, filter_, shown):
    """What docs/batch.md and docs/cli.md tell: from the command line a window warning is
    left out by a module filter; a message filter, matched literally from the warning's
    start (now the file's name), does not match it."""
    import os
    import subprocess
    import sys

    path = str(ravdess_dir.joinpath(*QUIET_ENDS))
    done = subprocess.run(
        [sys.executable, "-m", "emofeat", "extract", path, "--set", "egemaps", "--segment",
         "0.5s", "-o", str(tmp_path / "w.parquet"), "-q"],
        env={**os.environ, "PYTHONWARNINGS": filter_}, capture_output=True, text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr
    assert (NO_VOICED in done.stderr) is shown, done.stderr
