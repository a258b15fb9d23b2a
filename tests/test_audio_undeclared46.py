"""A WAV file whose header declares less audio than follows its data chunk (a recorder or
program stopped before it wrote the final size): the declared samples are read, as
libsndfile and librosa read them, with an UndeclaredAudioWarning naming the file, the
declared duration, the bytes that follow and how to read them; a header that declares no
audio at all is an EmptyInputError saying so. RIFF chunks after the samples (with or without
the pad byte after an odd size, or with a size running past the end), ID3 tags, zero padding
to a block, a few stray bytes and a header libsndfile reads past (never closed) give no
warning."""

from __future__ import annotations

import re
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import emofeat_program

from emofeat.audio import load_audio
from emofeat.errors import EmptyInputError, UndeclaredAudioWarning


@pytest.fixture(scope="module")
def speech(emodb_dir):
    """A real EmoDB recording (16 kHz mono) as float64 samples and its rate."""
    return sf.read(sorted(emodb_dir.glob("*.flac"))[0], dtype="float64")


def _data_at(data: bytes | bytearray, order: str = "<") -> tuple[int, int]:
    """``(offset, size)`` of the first data chunk."""
    at = bytes(data).index(b"data")
    return at, struct.unpack(order + "I", data[at + 4:at + 8])[0]


def _declare(path: Path, out: Path, size: int, order: str = "<") -> Path:
    """``path`` with its data chunk's size field set to ``size``, every byte after it kept."""
    data = bytearray(path.read_bytes())
    at, _ = _data_at(data, order)
    data[at + 4:at + 8] = struct.pack(order + "I", size)
    out.write_bytes(bytes(data))
    return out


def _quiet(path: Path) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndeclaredAudioWarning)
        return load_audio(path, sr=None).y


@pytest.mark.parametrize("fmt, subtype, endian, order", [
    ("WAV", "PCM_16", "FILE", "<"), ("WAV", "PCM_24", "FILE", "<"),
    ("WAVEX", "FLOAT", "FILE", "<"), ("WAV", "PCM_16", "BIG", ">"),  # RIFX
], ids=["pcm16", "pcm24", "wavex-float", "rifx"])
def test_less_declared_than_follows_warns_and_reads_what_librosa_reads(
        tmp_path, speech, fmt, subtype, endian, order):
    import librosa

    y, sr = speech
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, format=fmt, subtype=subtype, endian=endian)
    _, size = _data_at(whole.read_bytes(), order)
    width = size // y.shape[0]
    keep = y.shape[0] // 3
    odd = _declare(whole, tmp_path / "unfinished.wav", keep * width, order)
    native, _ = librosa.load(odd, sr=None, mono=True)
    assert native.shape[0] == keep  # librosa reads what the header declares
    extra = (y.shape[0] - keep) * width
    message = (re.escape(f"{odd}: its header declares {keep} samples ({keep / sr:.3f} s) of "
                         f"audio, but {extra} more bytes follow its data chunk (about "
                         f"{(y.shape[0] - keep) / sr:.3f} s of audio, not read")
               + ".*ffmpeg -ignore_length 1")
    with pytest.warns(UndeclaredAudioWarning, match=message):
        got = load_audio(odd, sr=None).y
    np.testing.assert_array_equal(got, native)


def test_no_audio_declared_but_audio_follows_is_an_error_saying_so(tmp_path, speech):
    """Data size 0 with the RIFF size written: libsndfile (and librosa) read no sample,
    ffmpeg reads to the end. The message says audio follows, where it said only "a header
    without audio, or a truncated or corrupt stream"."""
    y, sr = speech
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    empty = _declare(whole, tmp_path / "zero.wav", 0)
    assert sf.info(empty).frames == 0
    with pytest.raises(EmptyInputError, match=re.escape(
            f"{empty}: the file decodes to no samples: its header declares no audio, but "
            f"{2 * y.shape[0]} bytes follow its data chunk (about {y.shape[0] / sr:.3f} s")):
        load_audio(empty)


def test_header_never_closed_is_read_whole_without_a_warning(tmp_path, speech):
    """RIFF size 8 and data size 0: libsndfile reads every sample, so nothing is left out."""
    y, sr = speech
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    data = bytearray(_declare(whole, tmp_path / "x.wav", 0).read_bytes())
    data[4:8] = struct.pack("<I", 8)
    unclosed = tmp_path / "unclosed.wav"
    unclosed.write_bytes(bytes(data))
    np.testing.assert_array_equal(_quiet(unclosed), sf.read(whole, dtype="float32")[0])


@pytest.mark.parametrize("pad", [True, False], ids=["pad-byte", "no-pad-byte"])
def test_chunks_after_an_odd_data_chunk_do_not_warn(tmp_path, speech, pad):
    """A LIST chunk after 24-bit mono samples of an odd count (an odd data size), after the
    pad byte RIFF asks for or, as some writers do, without it."""
    y, sr = speech
    whole = tmp_path / "odd.wav"
    sf.write(whole, y[:10001], sr, subtype="PCM_24")
    data = whole.read_bytes()
    at, size = _data_at(data)
    assert size % 2 == 1
    body = data[:at + 8 + size] + (b"\0" if pad else b"")
    body += b"LIST" + struct.pack("<I", 12) + b"INFOISFT\0\0\0\0"
    body = body[:4] + struct.pack("<I", len(body) - 8) + body[8:]
    listed = tmp_path / "listed.wav"
    listed.write_bytes(body)
    np.testing.assert_array_equal(_quiet(listed), sf.read(whole, dtype="float32")[0])


@pytest.mark.parametrize("tail", ["stray", "id3v1", "id3v2", "zero-pad", "list-too-long",
                                  "lgwv-too-long"])
@pytest.mark.parametrize("rate, subtype", [(16000, "PCM_16"), (8000, "PCM_U8")],
                         ids=["16k-pcm16", "8k-u8"])
def test_tags_padding_and_stray_bytes_after_the_samples_do_not_warn(tmp_path, speech, tail,
                                                                    rate, subtype):
    """What writers put after the data chunk that is no audio (review 1 of e27aeb8 found
    each warned 'about N s of audio, not read', and the advice would turn it into clicks):
    under 10 ms of stray bytes, an ID3v1 tag (128 bytes: 16 ms of 8 kHz u8), an ID3v2 tag,
    zero padding to a 4096-byte block, a LIST chunk whose size runs past the end."""
    y, sr = speech
    whole = tmp_path / "whole.wav"
    sf.write(whole, y[::sr // rate], rate, subtype=subtype)
    data = whole.read_bytes()
    extra = {"stray": b"\0" * 60,
             "id3v1": b"TAG" + b"Title".ljust(125, b"\0"),
             "id3v2": b"ID3\x04\x00\x00\x00\x00\x1f\x76" + bytes(range(256)) * 16,
             "zero-pad": b"\0" * (4096 - len(data) % 4096),
             "list-too-long": b"LIST" + struct.pack("<I", 4 + 300 + 8) + b"INFO" + b"x" * 300,
             # Logic's chunk cut short (review 3 of 3a12f7d: ids beyond LIST's warned)
             "lgwv-too-long": b"LGWV" + struct.pack("<I", 400) + b"x" * 300,
             }[tail]
    odd = tmp_path / "tail.wav"
    odd.write_bytes(data + extra)
    np.testing.assert_array_equal(_quiet(odd), sf.read(whole, dtype="float32")[0])


@pytest.mark.parametrize("how", ["long-file blocks", "manifest span", "long-file windows"])
def test_paths_reading_piece_by_piece_warn_too(tmp_path, speech, how):
    """A long file in blocks or windows and a manifest's start/end segment warn as a whole
    read does; the declared part's rows are written."""
    from emofeat.extractors import MFCC

    from emofeat.runner import run

    y, sr = speech
    whole = tmp_path / "long.wav"
    sf.write(whole, np.tile(y, 3), sr, subtype="PCM_16")
    keep = 2 * y.shape[0]
    odd = _declare(whole, tmp_path / "unfinished.wav", 2 * keep)
    kwargs: dict = {"long_file_seconds": 1.0}
    inputs: object = [str(odd)]
    if how == "manifest span":
        import pandas as pd

        inputs = pd.DataFrame({"path": [str(odd)], "start": [0.5], "end": [2.0]})
        kwargs = {}
    elif how == "long-file windows":
        kwargs["segment"] = "1s"
    with pytest.warns(UndeclaredAudioWarning, match=re.escape(
            f"{odd}: its header declares {keep} samples")):
        result = run(inputs, [MFCC()], on_error="record", **kwargs)
    assert result.n_failed == 0 and len(result.table.X) >= 1
    if how == "long-file windows":  # windows up to the declared end, none after it
        assert result.table.index["end"].max() == pytest.approx(keep / sr, abs=1.0)


@pytest.mark.slow
def test_command_warns_once_in_its_style_and_records_the_empty_one(tmp_path, speech):
    """``emofeat extract`` (a real process): one warning line for the file declaring less,
    its row written; the one declaring nothing is a failed input whose message says why."""
    y, sr = speech
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    less = _declare(whole, tmp_path / "less.wav", y.shape[0])
    none = _declare(whole, tmp_path / "none.wav", 0)
    manifest = tmp_path / "m.csv"
    manifest.write_text("path\n" + "".join(f"{p}\n" for p in (whole, less, none)))
    out = tmp_path / "out.parquet"
    proc, _ = emofeat_program(["extract", str(manifest), "-o", str(out), "-q", "-j", "1"],
                              "0", cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count(
        f"emofeat extract: warning: {less}: its header declares {y.shape[0] // 2} samples") == 1
    assert "UndeclaredAudioWarning" not in proc.stderr
    import pandas as pd

    from emofeat import read_table

    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert list(errors["error_type"]) == ["EmptyInputError"]
    assert "the file decodes to no samples: its header declares no audio" in (
        errors["message"][0])
    assert errors["path"][0].endswith("none.wav")

    assert sorted(Path(p).name for p in read_table(out).index["path"]) == [
        "less.wav", "whole.wav"]


def test_undeclared_audio_whose_first_bytes_are_printable_still_warns(tmp_path, speech):
    # review 2 of 2f305c2: any four printable bytes were taken for a chunk, so a quarter of
    # the places in 8-bit audio (7 % in 16-bit) hid the undeclared audio that followed
    y, sr = speech
    whole = tmp_path / "u8.wav"
    sf.write(whole, y, sr, subtype="PCM_U8")
    data = whole.read_bytes()
    at, size = _data_at(data)
    start = at + 8

    def printable_place(k: int) -> bool:
        head = data[start + k:start + k + 8]
        return (all(32 <= c < 127 for c in head[:4]) and head[:4] != b"LIST"
                and start + k + 8 + int.from_bytes(head[4:8], "little") > len(data))

    keep = next(k for k in range(size // 3, size) if printable_place(k))
    odd = _declare(whole, tmp_path / "unfinished.wav", keep)
    with pytest.warns(UndeclaredAudioWarning, match=re.escape(
            f"its header declares {keep} samples")):
        got = load_audio(odd, sr=None).y
    assert got.shape[0] == keep
