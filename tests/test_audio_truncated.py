"""Audio files cut short (a download or copy that stopped early): the samples they hold are
read, as librosa and libsndfile read them, with a TruncatedAudioWarning naming the file, the
duration its header promises and the duration read; a whole file, or a header that does not
know its length, gives no warning."""

from __future__ import annotations

import inspect
import re
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import emofeat_program

from emofeat.audio import load_audio
from emofeat.errors import AudioReadError, TruncatedAudioWarning

# (suffix, soundfile format, subtype): the formats whose header says how long the data is
FORMATS = [(".wav", "WAV", "PCM_16"), (".wav", "WAV", "PCM_24"), (".wav", "WAVEX", "FLOAT"),
           (".wav", "RF64", "PCM_16"), (".aiff", "AIFF", "PCM_16"), (".au", "AU", "PCM_16")]


@pytest.fixture(scope="module")
def speech(emodb_dir, ravdess_files):
    """A mono 16 kHz EmoDB recording and a RAVDESS one (48 kHz) made stereo (the two channels
    differ), as float64 arrays with their rates."""
    mono, sr = sf.read(sorted(emodb_dir.glob("*.flac"))[0], dtype="float64")
    y, sr2 = sf.read(ravdess_files[3], dtype="float64")
    return (mono, sr), (np.stack([y, -0.5 * np.roll(y, 50)], axis=1), sr2)


def _cut(path: Path, fraction: float = 0.5) -> Path:
    data = path.read_bytes()
    cut = path.with_name("cut_" + path.name)
    cut.write_bytes(data[:int(len(data) * fraction)])
    return cut


def _read_quietly(path, **kwargs):
    """load_audio with a TruncatedAudioWarning made an error: a file that must not warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedAudioWarning)
        return load_audio(path, **kwargs)


def _promise(path: Path, whole: int, got: int, rate: int) -> str:
    return (re.escape(str(path)) + ": the file is truncated: its header promises "
            + re.escape(f"{whole} samples ({whole / rate:.3f} s) of audio, {got} "
                        f"({got / rate:.3f} s) are there and read"))


@pytest.mark.parametrize("suffix, fmt, subtype", FORMATS)
@pytest.mark.parametrize("which", [0, 1], ids=["mono16k", "stereo48k"])
def test_cut_file_warns_and_reads_what_libsndfile_reads(tmp_path, speech, suffix, fmt,
                                                       subtype, which):
    y, sr = speech[which]
    whole = tmp_path / f"x{suffix}"
    sf.write(whole, y, sr, format=fmt, subtype=subtype)
    assert _read_quietly(whole, sr=None).y.shape[0] == y.shape[0]  # a whole file: silent
    for fraction in (0.5, 0.9):
        cut = _cut(whole, fraction)
        ref, ref_sr = sf.read(cut, dtype="float32", always_2d=True)
        assert 0 < ref.shape[0] < y.shape[0]
        with pytest.warns(TruncatedAudioWarning,
                          match=_promise(cut, y.shape[0], ref.shape[0], sr)) as caught:
            got = load_audio(cut, sr=None)
        assert len([w for w in caught if w.category is TruncatedAudioWarning]) == 1
        np.testing.assert_array_equal(got.y, ref.mean(axis=1) if ref.shape[1] > 1 else ref[:, 0])
        assert (got.sr, got.orig_channels) == (ref_sr, ref.shape[1])


def test_cut_wav_equals_librosas_reading_at_16k(tmp_path, speech):
    """The features' input is librosa's reading of the same cut file: its samples (mean of the
    channels, soxr_hq to 16 kHz), with the warning on top."""
    librosa = pytest.importorskip("librosa")
    for y, sr in speech:
        whole = tmp_path / f"w{sr}.wav"
        sf.write(whole, y, sr, subtype="PCM_16")
        cut = _cut(whole)
        with pytest.warns(TruncatedAudioWarning, match=re.escape(str(cut))):
            got = load_audio(cut)  # 16 kHz
        ref, _ = librosa.load(cut, sr=16000, res_type="soxr_hq", mono=True)
        np.testing.assert_allclose(got.y, ref, rtol=0, atol=1e-6)
        native, _ = librosa.load(cut, sr=None, mono=True)
        with pytest.warns(TruncatedAudioWarning):
            np.testing.assert_array_equal(load_audio(cut, sr=None).y, native)


def _patched(path: Path, out: Path, chunk: bytes, size: int, riff: int | None = None) -> Path:
    """``path`` with the size field of its first ``chunk`` (and the RIFF size) set."""
    data = bytearray(path.read_bytes())
    at = data.index(chunk)
    data[at + 4:at + 8] = struct.pack("<I", size)
    if riff is not None:
        data[4:8] = struct.pack("<I", riff)
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("size, riff", [
    (0xFFFFFFFF, None),        # length unknown: ffmpeg and others writing to a pipe
    (0xFFFFFFFF, 0xFFFFFFFF),
    (0x7FFFFF00, None),        # arecord's, to a pipe
    (0x7FFFF000, None),        # SoX's
    (20000, None),             # smaller than the data: the header's length is read (with
                               # an UndeclaredAudioWarning, test_audio_undeclared46.py)
    (0, 8),                    # a recorder that never closed the file (libsndfile fixes it)
], ids=["ffffffff", "both-ffffffff", "arecord", "sox", "smaller", "unclosed"])
def test_unknown_or_smaller_size_fields_do_not_warn(tmp_path, speech, size, riff):
    """What a header says when it does not know the length is no promise: read as libsndfile
    reads it, without a warning."""
    y, sr = speech[0]
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    odd = _patched(whole, tmp_path / "odd.wav", b"data", size, riff)
    ref, _ = sf.read(odd, dtype="float32")
    assert ref.shape[0] > 0
    np.testing.assert_array_equal(_read_quietly(odd, sr=None).y, ref)


def test_cut_in_a_chunk_after_the_samples_does_not_warn(tmp_path, speech):
    """A WAV whose LIST chunk, after the samples, is cut: every sample is there."""
    y, sr = speech[0]
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    data = whole.read_bytes() + b"LIST" + struct.pack("<I", 100) + b"INFO" + b"x" * 96
    data = data[:4] + struct.pack("<I", len(data) - 8) + data[8:]
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[:-50])
    got = _read_quietly(cut, sr=None).y
    assert got.shape[0] == y.shape[0]
    np.testing.assert_array_equal(got, sf.read(cut, dtype="float32")[0])


def test_vbr_mp3_without_xing_header_does_not_warn(tmp_path, speech):
    """An MP3's frame count is mpg123's estimate, which for a VBR file without a Xing header
    is far off (twice the length here): no promise, so no warning for a whole file."""
    if "MP3" not in sf.available_formats():
        pytest.skip("libsndfile without MP3")
    if "bitrate_mode" not in inspect.signature(sf.write).parameters:
        pytest.skip(f"soundfile {sf.__version__} writes no VBR MP3 (bitrate_mode is 0.13's)")
    y, sr = speech[1]
    path = tmp_path / "v.mp3"
    sf.write(path, y[:, 0], sr, format="MP3", subtype="MPEG_LAYER_III",
             bitrate_mode="VARIABLE")
    data = path.read_bytes()
    if data.find(b"Xing") < 0:
        pytest.skip("the encoder wrote no Xing header")
    # drop the first MPEG frame (after any ID3v2 tag), which holds the Xing header
    tagged = data[:3] == b"ID3"  # its size: four 7-bit bytes
    start = 10 + sum(b << (21 - 7 * i) for i, b in enumerate(data[6:10])) if tagged else 0
    nxt = start + 4
    while not (data[nxt] == 0xFF and data[nxt + 1] & 0xE0 == 0xE0):  # the next frame's sync
        nxt += 1
    bare = tmp_path / "bare.mp3"
    bare.write_bytes(data[:start] + data[nxt:])
    with sf.SoundFile(bare) as f:
        estimate, ref = f.frames, f.read(dtype="float32")
    assert estimate > ref.shape[0]  # the case this is about
    np.testing.assert_array_equal(_read_quietly(bare, sr=None).y, ref)


def _audio_start(data: bytes) -> int:
    """Where a FLAC file's first audio frame starts: after its metadata blocks, each a 4-byte
    header (last-block flag and type, 24-bit size) and its body."""
    pos, last = 4, False
    while not last:
        last = bool(data[pos] & 0x80)
        pos += 4 + int.from_bytes(data[pos + 1:pos + 4], "big")
    return pos


#: cut points of a FLAC file: (bytes kept, given its bytes), and the message they give
FLAC_CUTS = {
    "in-header": (lambda d: 20, r"the FLAC file is truncated: it ends inside its header "
                  r"\(20 bytes\)"),
    "in-metadata": (lambda d: _audio_start(d) - 3, r"the FLAC file is truncated: it ends inside "
                    r"its metadata \(\d+ bytes\), before any audio; {promise}"),
    "after-metadata": (lambda d: _audio_start(d), r"the FLAC file is truncated: it ends after "
                       r"its metadata, before any audio; {promise}"),
    "in-first-frame": (lambda d: _audio_start(d) + 200, r"the FLAC file is truncated or corrupt: "
                       r"{promise}, none of them can be decoded"),
    "mid-stream": (lambda d: len(d) // 2, r"the FLAC file is truncated or corrupt: {promise}, "
                   r"only (\d+) \(([0-9.]+) s\) can be decoded"),
    "last-byte": (lambda d: len(d) - 1, r"the FLAC file is truncated or corrupt: {promise}, "
                  r"only (\d+) \(([0-9.]+) s\) can be decoded"),
}


@pytest.mark.parametrize("where", list(FLAC_CUTS))
def test_cut_flac_is_an_error_saying_it_is_truncated(tmp_path, ravdess_files, where):
    """A RAVDESS FLAC file cut short stays an AudioReadError (libsndfile and librosa refuse
    it too: no partial signal), and the message says so in a user's words, naming the file,
    the length its header promises and what can be decoded (before: libsndfile's "flac
    decoder lost sync", "unknown error in flac decoder", "Internal psf_fseek() failed")."""
    src = ravdess_files[5]
    data = src.read_bytes()
    info = sf.info(src)
    cut_at, pattern = FLAC_CUTS[where]
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[:cut_at(data)])
    promise = re.escape(f"its header promises {info.frames} samples "
                        f"({info.frames / info.samplerate:.3f} s) of audio")
    with pytest.raises(AudioReadError) as err:
        load_audio(cut)
    text = str(err.value)
    got = re.fullmatch(re.escape(f"{cut}: cannot decode audio: ") + pattern.format(
        promise=promise), text)
    assert got is not None, text
    assert "lost sync" not in text and "LibsndfileError" not in text
    if got.groups():  # what libsndfile decodes of the cut file before it fails
        n = int(got.group(1))
        assert 0 < n < info.frames and got.group(2) == f"{n / info.samplerate:.3f}"
        whole = sf.read(src, dtype="float32")[0]
        np.testing.assert_array_equal(sf.read(cut, frames=n - 1, dtype="float32")[0],
                                      whole[:n - 1])
        with pytest.raises(Exception):  # noqa: B017 - libsndfile's refusal, of any kind
            sf.read(cut, frames=n + 1, dtype="float32")
    with pytest.raises(Exception):  # noqa: B017 - libsndfile refuses the cut file whole
        sf.read(cut)


def test_cut_flac_stays_an_error_as_for_librosa(tmp_path, speech):
    """librosa refuses a FLAC stream cut short too, and so does every way a run reads a file
    (in blocks, a manifest's span after the cut), each with the same message."""
    y, sr = speech[0]
    whole = tmp_path / "x.flac"
    sf.write(whole, np.tile(y, 2), sr, subtype="PCM_16")
    _read_quietly(whole)
    cut = _cut(whole)
    problem = re.escape("cannot decode audio: the FLAC file is truncated or corrupt: its "
                        f"header promises {2 * y.shape[0]} samples")
    with pytest.raises(AudioReadError, match=re.escape(f"{cut}: ") + problem):
        load_audio(cut)
    import pandas as pd
    from emofeat.extractors import MFCC

    from emofeat.runner import run

    span = pd.DataFrame({"path": [str(cut)], "start": [0.0], "end": [2 * y.shape[0] / sr]})
    for inputs, kwargs in (([str(cut)], {"long_file_seconds": 1.0}), (span, {})):
        result = run(inputs, [MFCC()], on_error="record", **kwargs)
        assert result.n_failed == 1
        row = dict(zip(result.error_columns, result.error_rows[0], strict=True))
        assert row["error_type"] == "AudioReadError" and re.match(problem, row["message"]), row
    librosa = pytest.importorskip("librosa")
    with pytest.raises(Exception), warnings.catch_warnings():  # noqa: B017 - any refusal
        warnings.simplefilter("ignore")
        librosa.load(cut, sr=None)


def test_cut_flac_without_dr_flac_still_says_truncated(tmp_path, ravdess_files, monkeypatch):
    """Without miniaudio's dr_flac (libsndfile decodes), the message still says what is
    wrong and what the header promises."""
    import emofeat.audio as audio

    monkeypatch.setattr(audio, "_dr_flac", lambda: None)
    data = ravdess_files[5].read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[:len(data) // 2])
    info = sf.info(ravdess_files[5])
    with pytest.raises(AudioReadError, match=re.escape(
            f"{cut}: cannot decode audio: the FLAC file is truncated or corrupt: its header "
            f"promises {info.frames} samples")):
        load_audio(cut)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_names_each_cut_file_once_and_writes_its_row(tmp_path, speech, jobs):
    """``emofeat extract`` (a real process: warnings as a user sees them, from the workers
    too): one warning per cut file, naming it; every file gets its row."""
    y, sr = speech[0]
    paths = []
    for i in range(4):
        whole = tmp_path / f"f{i}.wav"
        sf.write(whole, np.roll(y, 1000 * i), sr, subtype="PCM_16")
        paths.append(whole)
    cuts = [_cut(paths[1]), _cut(paths[3])]
    manifest = tmp_path / "m.csv"
    manifest.write_text("path\n" + "".join(f"{p}\n" for p in paths + cuts))
    out = tmp_path / "out.parquet"
    proc, _ = emofeat_program(["extract", str(manifest), "-o", str(out), "-q", "-j", jobs],
                              "0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for p in paths:
        assert str(p) + ":" not in proc.stderr
    for cut in cuts:  # one line each, in the program's style (tests/test_cli_warnings.py)
        assert proc.stderr.count(f"emofeat extract: warning: {cut}: the file is truncated") == 1
    assert "TruncatedAudioWarning" not in proc.stderr
    from emofeat import read_table

    table = read_table(out)
    assert sorted(Path(p).name for p in table.index["path"]) == sorted(
        p.name for p in paths + cuts)


def _unknown_length(path: Path, out: Path) -> Path:
    """A copy of a FLAC file with STREAMINFO's total-samples field 0, as an encoder writing
    to a pipe leaves it ("length unknown"); every audio frame unchanged."""
    data = bytearray(path.read_bytes())
    bits = int.from_bytes(data[18:26], "big") & ~((1 << 36) - 1)
    data[18:26] = bits.to_bytes(8, "big")
    out.write_bytes(data)
    return out


@pytest.mark.parametrize("which", [0, 1, 2], ids=["mono16k", "stereo48k", "mono16k-75s"])
def test_flac_of_unknown_length_is_read_whole(tmp_path, speech, which):
    """libsndfile takes a FLAC stream of unknown length for one of 2**63 frames and fails
    (librosa too: "array is too big"); it is decoded to its end, the same samples as the file
    with its length written, with no warning. The 75 s file spans several decoding blocks."""
    y, sr = speech[which % 2]
    if which == 2:
        y = np.tile(y, int(np.ceil(75 * sr / len(y))))[: 75 * sr]
    whole = tmp_path / "whole.flac"
    sf.write(whole, y, sr, format="FLAC", subtype="PCM_16")
    streamed = _unknown_length(whole, tmp_path / "streamed.flac")
    with pytest.raises(Exception, match="too big"):  # what libsndfile makes of it
        sf.read(streamed)
    got = _read_quietly(streamed, sr=None)
    want = load_audio(whole, sr=None)
    assert got.sr == want.sr == sr and got.y.shape == want.y.shape
    np.testing.assert_array_equal(got.y, want.y)
    np.testing.assert_array_equal(_read_quietly(streamed, sr=16000).y,
                                  load_audio(whole, sr=16000).y)


@pytest.mark.parametrize("extra", [[], ["--segment", "1s"], ["--long-file", "1"]])
def test_flac_of_unknown_length_in_a_run_is_read_whole(tmp_path, speech, extra):
    """In a run, the long-file check finds no length in such a stream (libsndfile's 2**63
    frames sent it to be read block by block, which failed: 'psf_fseek() failed'): it is
    read whole, its rows equal to those of the file with its length written."""
    from emofeat.cli import main

    y, sr = speech[0]
    whole = tmp_path / "whole.flac"
    sf.write(whole, y, sr, format="FLAC", subtype="PCM_16")
    streamed = _unknown_length(whole, tmp_path / "streamed.flac")
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "mfcc", str(whole), str(streamed), "-o", str(out), "-q",
                 *extra]) == 0
    import pandas as pd

    df = pd.read_parquet(out)
    feats = [c for c in df.columns if c.startswith("mfcc")]
    a, b = (df[df["path"].str.endswith(n)][feats].to_numpy() for n in ("whole.flac",
                                                                        "streamed.flac"))
    assert len(a) == len(b) >= 1
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("how", ["long-file blocks", "manifest span", "long-file windows"])
def test_cut_wav_read_from_disk_piece_by_piece_warns_too(tmp_path, speech, how):
    """The paths that read a file from disk piece by piece (a long file in blocks or in
    windows, a manifest's start/end segment) warn as a whole read does, and their rows are
    still written."""
    from emofeat.extractors import MFCC

    from emofeat.runner import run

    y, sr = speech[0]
    whole = tmp_path / "long.wav"
    sf.write(whole, np.tile(y, 3), sr, subtype="PCM_16")
    cut = _cut(whole, 0.6)
    kwargs = {"long_file_seconds": 1.0}
    inputs: object = [str(cut)]
    if how == "manifest span":
        import pandas as pd

        inputs = pd.DataFrame({"path": [str(cut)], "start": [0.5], "end": [2.0]})
        kwargs = {}
    elif how == "long-file windows":
        kwargs["segment"] = "1s"
    with pytest.warns(TruncatedAudioWarning, match=re.escape(str(cut)) + ": the file is "
                      "truncated"):
        result = run(inputs, [MFCC()], on_error="record", **kwargs)
    assert result.n_failed == 0 and len(result.table.X) >= 1
