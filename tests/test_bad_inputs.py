"""One test per row of the bad-input tables of docs/inputs.md, through the API and the CLI.

API: the exception type and a message naming the input and the problem (or the defined
result). CLI (``emofeat extract``, run in-process): the exit code (2 usage / input
specification, 3 some inputs failed), the message on stderr, and the errors table row or the
output's content. ``test_every_documented_row_has_a_test`` parses the tables, so a row added
to the page without a test here fails.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import soundfile as sf
from conftest import shared_path

from emofeat import get_extractor, load_audio, read_table
from emofeat.audio import Audio
from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from emofeat.eeg_input import EEGReadWarning
from emofeat.errors import (
    AudioReadError,
    ChannelError,
    EEGReadError,
    EmptyInputError,
    InputError,
    NonFiniteInputError,
    SampleRateError,
    SignalTypeError,
    TooShortError,
)
from emofeat.readers import EEGChannelWarning

DOC = Path(__file__).resolve().parents[1] / "docs" / "inputs.md"
SR = 16000
EEG_SF = 128.0
MUSE = ("TP9", "AF7", "AF8", "TP10")

# (test id, section heading of docs/inputs.md, the row's first cell, why the CLI cannot
# express it or None when it has a CLI test)
ROWS = [
    ("audio-missing-corrupt", "Defined behaviour for every bad input",
     "missing file, folder, unreadable, corrupt or non-audio file", None),
    ("audio-empty", "Defined behaviour for every bad input",
     "empty file (0 bytes) or no samples", None),
    ("audio-nonfinite", "Defined behaviour for every bad input",
     "NaN or infinite samples", None),
    ("audio-masked", "Defined behaviour for every bad input",
     "a masked array (`numpy.ma`) masking samples, in memory (bare, `(array, sr)`, an `Audio`)",
     "a Python object: files hold no mask"),
    ("audio-too-short", "Defined behaviour for every bad input",
     "shorter than one analysis window (MFCC: `win_length` samples, 25 ms by default)", None),
    ("audio-egemaps-short", "Defined behaviour for every bad input",
     "under 160 ms of audio for `egemaps` / `gemaps`", None),
    ("audio-silence", "Defined behaviour for every bad input", "digital silence", None),
    ("audio-clipping-dc", "Defined behaviour for every bad input", "clipping, DC offset", None),
    ("audio-rate-no-resample", "Defined behaviour for every bad input",
     "other rate with `resample=False`", None),
    ("audio-stereo", "Defined behaviour for every bad input", "stereo", None),
    ("audio-truncated", "Defined behaviour for every bad input", "truncated file", None),
    ("audio-flac-unknown-length", "Defined behaviour for every bad input",
     "FLAC of unknown length (total samples 0 in its header, as an encoder writing to a pipe "
     "leaves it)", None),
    ("any-feature-matrix", "Not a signal (every modality)",
     "a numeric 2-D table (`np.ones((30, 5))`) given to any extractor",
     "a Python object: the command line reads files"),
    ("any-not-wrapped", "Not a signal (every modality)",
     "a single 1-D array, path or text not wrapped in a list",
     "a Python object: the command line always passes a list"),
    ("any-string-array", "Not a signal (every modality)",
     "a 1-D NumPy array of strings (`np.array([\"I am happy\", \"so sad\"])`, or of paths) "
     "or of bytes", "a Python object: the command line reads files"),
    ("any-complex", "Not a signal (every modality)", "complex samples",
     "a Python object: files hold real samples"),
    ("any-sparse", "Not a signal (every modality)", "a sparse matrix",
     "a Python object: the command line reads files"),
    ("any-not-iterable", "Not a signal (every modality)",
     "an object that is not iterable (a number)",
     "a Python object: the command line always passes a list"),
    ("eeg-nonfinite-channel", "EEG", "NaN or infinite samples in a channel", None),
    ("eeg-masked", "EEG", "a masked array (`numpy.ma`) masking samples, in memory "
     "(`(array, sfreq[, ch_names])`, 2-D or 3-D, an `EEGRecording`, an `EEGSignal`, an MNE "
     "`RawArray` made of one)", "a Python object: files hold no mask"),
    ("eeg-flat-channel", "EEG", "a flat channel", None),
    ("eeg-other-channels", "EEG", "other channels than the ones the extractor was fitted on", None),
    ("eeg-decomposed-name", "EEG", "a channel name written with a combining mark "
     "(`'Fe\\u0301'`, as macOS writes names)", None),
    ("eeg-invisible-name", "EEG", "a channel name holding an invisible character (zero-width "
     "joiner or space, soft hyphen, byte order mark, direction mark, a control character)",
     None),
    ("eeg-transposed", "EEG", '`(n_times, n_channels)` with more than 256 "channels"',
     "a Python array: CSV recordings have one column per channel"),
    ("eeg-no-rate", "EEG", "an array without a rate",
     "a Python array: a recording file carries its rate"),
    ("eeg-no-samples", "EEG", "no samples, or an empty (0-byte) file", None),
    ("eeg-unreadable", "EEG", "a missing, unreadable or corrupt file", None),
    ("eeg-truncated-edf", "EEG", "a truncated EDF", None),
    ("eeg-csv-time-unit", "EEG", "a CSV whose time column is not in seconds (milliseconds, "
     "microseconds, nanoseconds: a 256 Hz Muse read as 0.256 Hz), or gives a rate under 10 Hz",
     None),
    ("eeg-text-cell", "EEG", "a CSV channel column with a cell that is not a number", None),
    ("eeg-mind-monitor", "EEG", "a Mind Monitor CSV export (`TimeStamp` date-times such as "
     "`2021-05-01 12:34:56.789`, band powers, `RAW_TP9` ... `RAW_TP10`, `AUX_RIGHT`, "
     "accelerometer, gyro, `HeadBandOn`, `HSI_*`, `Battery`, `Elements`)", None),
    ("eeg-mind-monitor-interval", "EEG",
     "a Mind Monitor export recorded at an interval (0.5 s, 1 s, ...), under 100 Hz", None),
    ("eeg-mind-monitor-bad", "EEG", "a Mind Monitor export without `RAW_` columns, with "
     "markers only, or with a stamp that is not a date-time", None),
    ("eeg-too-short", "EEG", "a recording too short for a set (a band, or `eeg_spectral`'s "
     "range, without a frequency bin; Hjorth under 4 samples, 3 in the `mne_features` "
     "convention)", None),
    ("text-missing", "Text", "`None` or NaN (a missing manifest cell)", None),
    ("text-odd-unicode", "Text", "emoji-only texts, lone surrogates and other odd Unicode", None),
    ("text-long", "Text", "a text of 100,000 characters", None),
    ("text-not-a-string", "Text", "any other item that is not a string (a number, bytes)", None),
    ("text-jsonl-key", "Text", 'a JSON-lines record without the text key (`"Text": ...`, '
     '`"txt": ...` where the others have `"text"`), given to the command', None),
    ("text-time-axis", "Text", "`--segment`, or a manifest with `start`/`end`, for a text set",
     None),
    ("text-duplicate-labels", "Text", "one text listed twice (with the same or different labels)",
     None),
]
IDS = [r[0] for r in ROWS]
CLI_IDS = [r[0] for r in ROWS if r[3] is None]
API: dict = {}
CLI: dict = {}


def api(case_id):
    def register(fn):
        API[case_id] = fn
        return fn
    return register


def cli(case_id):
    def register(fn):
        CLI[case_id] = fn
        return fn
    return register


def documented_rows() -> list[tuple[str, str]]:
    """(section, first cell) of every row of every ``| input | result |`` table."""
    rows, section, in_table = [], None, False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, in_table = line[3:].strip(), False
        elif re.match(r"\|\s*input\s*\|\s*result\s*\|", line):
            in_table = True
        elif in_table and line.startswith("|---"):
            continue
        elif in_table and line.startswith("|"):
            rows.append((section, line.split("|")[1].strip()))
        else:
            in_table = False
    return rows


def test_every_documented_row_has_a_test():
    documented = documented_rows()
    assert len(documented) >= 20, "the tables of docs/inputs.md were not found"
    listed = {(sec, cell) for _, sec, cell, _ in ROWS}
    missing = [r for r in documented if r not in listed]
    assert not missing, f"rows of docs/inputs.md without a test in {__file__}: {missing}"
    stale = [r for r in listed if r not in set(documented)]
    assert not stale, f"tests for rows no longer in docs/inputs.md: {stale}"
    assert set(API) == set(IDS), "every row has an API test"
    assert set(CLI) == set(CLI_IDS), "every row has a CLI test or a reason why not"


# ----------------------------------------------------------------------------- helpers
def noise(n: int = SR, seed: int = 0) -> np.ndarray:
    return (0.1 * np.random.default_rng(seed).standard_normal(n)).astype(np.float32)


def wav(path: Path, data: np.ndarray, sr: int = SR, subtype: str | None = None) -> str:
    sf.write(path, data, sr, subtype=subtype)
    return str(path)


def mfcc(items, **params) -> np.ndarray:
    return get_extractor("mfcc", **params).fit_transform(list(items))


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def batch(tmp_path: Path, capsys, paths, *options, column: str = "path",
          name: str = "m.csv"):
    """``emofeat extract`` on a manifest of ``paths``: (code, stderr, errors table, table)."""
    manifest = tmp_path / name
    pd.DataFrame({column: [str(p) for p in paths]}).to_csv(manifest, index=False)
    out = tmp_path / "out.parquet"
    code, _, err = run_cli(capsys, "extract", manifest, "-o", out, "-q", *options)
    errors = tmp_path / "out.errors.csv"
    return (code, err, pd.read_csv(errors) if errors.exists() else None,
            read_table(out) if out.exists() else None)


def warned_line(err: str, pattern: str) -> None:
    """``emofeat`` showed a warning matching ``pattern`` as one line of its own
    (``emofeat extract: warning: ...``), with nothing of Python's warning format (the
    category, emofeat's file and line, the source line)."""
    lines = [line for line in err.splitlines() if line.startswith("emofeat extract: warning: ")]
    assert any(re.search(pattern, line) for line in lines), err
    assert "Warning: " not in err and ".py:" not in err, err


def assert_failed_rows(code, err, errors, expected: dict[str, tuple[str, str, str]]):
    """Exit 3; each failing file is one errors-table row (stage, type, message pattern) and
    is named on stderr."""
    assert code == EXIT_SOME_FAILED
    assert errors is not None and set(errors.columns) >= {"path", "stage", "error_type",
                                                          "message"}
    assert sorted(Path(p).name for p in errors.path) == sorted(expected)
    for row in errors.itertuples():
        stage, etype, pattern = expected[Path(row.path).name]
        assert (row.stage, row.error_type) == (stage, etype), row
        assert re.search(pattern, row.message), row.message
        assert Path(row.path).name in err and etype in err


@pytest.fixture()
def ok_wav(tmp_path):
    return wav(tmp_path / "ok.wav", noise())


@pytest.mark.parametrize("case_id", IDS)
def test_api(case_id, tmp_path):
    API[case_id](tmp_path)


@pytest.mark.parametrize("case_id", CLI_IDS)
def test_cli(case_id, tmp_path, capsys, ok_wav):
    CLI[case_id](tmp_path, capsys, ok_wav)


# ------------------------------------------------------------------------------- audio
def _broken_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "folder.wav").mkdir()
    (tmp_path / "corrupt.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk")
    (tmp_path / "notes.wav").write_text("this is text, not audio\n")
    return {"missing.wav": "no such file", "folder.wav": r"not a regular file \(a folder\)",
            "corrupt.wav": r"cannot decode audio \(", "notes.wav": r"cannot decode audio \("}


@api("audio-missing-corrupt")
def _(tmp_path):
    for name, problem in _broken_files(tmp_path).items():
        path = str(tmp_path / name)
        with pytest.raises(AudioReadError, match=re.escape(path) + ": " + problem) as exc:
            mfcc([path])
        assert exc.value.source == path and isinstance(exc.value, InputError)


@cli("audio-missing-corrupt")
def _(tmp_path, capsys, ok_wav):
    broken = _broken_files(tmp_path)
    code, err, errors, table = batch(tmp_path, capsys, [ok_wav, *(tmp_path / n for n in broken)])
    assert_failed_rows(code, err, errors,
                       {n: ("read", "AudioReadError", p) for n, p in broken.items()})
    assert len(table) == 1  # the good file is finished
    # a path typed on the command line that does not exist: usage error, nothing written
    out = tmp_path / "typo.parquet"
    code, _, err = run_cli(capsys, "extract", ok_wav, tmp_path / "typo.wav", "-o", out, "-q")
    assert code == EXIT_USAGE and "typo.wav: no such file" in err and not out.exists()


@api("audio-empty")
def _(tmp_path):
    zero = tmp_path / "zero.wav"
    zero.write_bytes(b"")
    no_samples = wav(tmp_path / "header_only.wav", np.zeros(0, np.float32))
    with pytest.raises(EmptyInputError, match=re.escape(str(zero)) + r": the file is empty"):
        mfcc([str(zero)])
    with pytest.raises(EmptyInputError, match=re.escape(no_samples) + ": .*no samples"):
        mfcc([no_samples])
    with pytest.raises(EmptyInputError, match=r"<array 0>: .*no samples"):
        mfcc([np.zeros(0, np.float32)])


@cli("audio-empty")
def _(tmp_path, capsys, ok_wav):
    (tmp_path / "zero.wav").write_bytes(b"")
    wav(tmp_path / "header_only.wav", np.zeros(0, np.float32))
    code, err, errors, table = batch(tmp_path, capsys, [ok_wav, tmp_path / "zero.wav",
                                                        tmp_path / "header_only.wav"])
    assert_failed_rows(code, err, errors, {
        "zero.wav": ("read", "EmptyInputError", r"empty \(0 bytes\)"),
        "header_only.wav": ("read", "EmptyInputError", "no samples")})
    assert len(table) == 1


def _nan_wav(tmp_path: Path) -> str:
    x = noise()
    x[[5, 50, 500]] = [np.nan, np.inf, -np.inf]
    return wav(tmp_path / "nan.wav", x, subtype="FLOAT")


@api("audio-nonfinite")
def _(tmp_path):
    path = _nan_wav(tmp_path)
    with pytest.raises(NonFiniteInputError,
                       match=re.escape(path) + ": 3 of 16000 samples are NaN or infinite"):
        mfcc([path])
    audio = load_audio(path, allow_nonfinite=True)  # read anyway when asked to
    assert audio.sr == SR and (~np.isfinite(audio.y)).sum() == 3


@cli("audio-nonfinite")
def _(tmp_path, capsys, ok_wav):
    code, err, errors, table = batch(tmp_path, capsys, [ok_wav, _nan_wav(tmp_path)])
    assert_failed_rows(code, err, errors, {
        "nan.wav": ("read", "NonFiniteInputError", "3 of 16000 samples are NaN or infinite")})


@api("audio-masked")
def _(tmp_path):
    y = noise()
    m = np.ma.MaskedArray(y, mask=np.arange(SR) < 3)
    for item in (m, (m, SR), Audio(m, SR, "<array 0>", SR, 1)):
        with pytest.raises(NonFiniteInputError,
                           match=r"<array 0>: 3 of 16000 samples are masked \(a numpy\.ma"):
            mfcc([item])
    with pytest.raises(NonFiniteInputError, match="3 of 16000 samples are NaN or infinite"):
        mfcc([m.filled(np.nan)])  # the rule it follows
    np.testing.assert_array_equal(mfcc([np.ma.MaskedArray(y)]), mfcc([y]))  # nothing masked


@api("audio-too-short")
def _(tmp_path):
    path = wav(tmp_path / "short.wav", noise(100))
    with pytest.raises(TooShortError, match=re.escape(path) + r": 100 samples .* \(400 samples\)"):
        mfcc([path])
    assert mfcc([noise(400)]).shape == (1, 663)  # exactly one window is enough


@cli("audio-too-short")
def _(tmp_path, capsys, ok_wav):
    short = wav(tmp_path / "short.wav", noise(100))
    code, err, errors, _ = batch(tmp_path, capsys, [ok_wav, short])
    assert_failed_rows(code, err, errors, {
        "short.wav": ("extract", "TooShortError", r"100 samples .*\(400 samples\)")})


def _short_speech(tmp_path: Path) -> dict[int, str]:
    """50, 70, 100 and 160 ms of real speech (a RAVDESS file, 16-bit), as WAV files."""
    y = load_audio(shared_path("speech", "ravdess", "Actor_01",
                               "03-01-05-02-02-01-01.flac"), SR).y
    return {ms: wav(tmp_path / f"cut{ms}.wav", y[20000:20000 + ms * SR // 1000],
                    subtype="PCM_16") for ms in (50, 70, 100, 160)}


# the statistics over every full 20 ms frame: openSMILE's at any length from 60 ms
_EGEMAPS_FRAME_STATS = ["egemaps_loudness_sma3_amean", "egemaps_spectralFlux_sma3_amean",
                        "egemaps_mfcc1_sma3_amean", "egemaps_mfcc4_sma3_stddevNorm",
                        "egemaps_equivalentSoundLevel_dBp", "egemaps_loudnessPeaksPerSec"]


def _check_short_egemaps(X: np.ndarray, names: list[str]):
    assert X.shape == (4, 88)
    assert np.isnan(X[0]).all()  # 50 ms: no 60 ms pitch frame
    cols = [names.index(n) for n in _EGEMAPS_FRAME_STATS]
    assert np.isfinite(X[1:, cols]).all()


@api("audio-egemaps-short")
def _(tmp_path):
    paths = _short_speech(tmp_path)
    ext = get_extractor("egemaps")
    with pytest.warns(UserWarning, match=re.escape(paths[50]) + r": 800 samples are shorter "
                      r"than one 60 ms pitch frame .* every eGeMAPS functional is NaN"):
        X = ext.fit_transform(list(paths.values()))
    _check_short_egemaps(X, list(ext.get_feature_names_out()))
    lld = get_extractor("egemaps", level="lld")
    for ms, path in paths.items():
        if ms >= 60:  # openSMILE's LLD rows
            rows = lld.fit_transform([path]).shape[0]
            assert rows == (ms * SR // 1000 - 960) // 160 + 2, (ms, rows)


@cli("audio-egemaps-short")
def _(tmp_path, capsys, ok_wav):
    paths = _short_speech(tmp_path)
    code, err, errors, table = batch(tmp_path, capsys, list(paths.values()), "--set", "egemaps")
    assert code == EXIT_OK and errors is None
    warned_line(err, re.escape(paths[50]) + ": 800 samples are shorter than one 60 ms pitch")
    _check_short_egemaps(table.X, list(table.feature_names))
    with pytest.warns(UserWarning, match="shorter than one 60 ms pitch frame"):
        api_x = get_extractor("egemaps").fit_transform(list(paths.values()))
    np.testing.assert_array_equal(table.X, api_x)


def _check_silence_features(X: np.ndarray, names: list[str]):
    assert np.isfinite(X).all()
    col = dict(zip(names, X[0], strict=True))
    # every mel energy at amin = -100 dB: the orthonormal DCT of 40 equal values
    np.testing.assert_allclose(col["mfcc0_mean"], -100 * np.sqrt(40), rtol=1e-5)
    for k in range(1, 13):
        assert abs(col[f"mfcc{k}_mean"]) < 1e-3
    moments = [n for n in names if n.endswith(("_skew", "_kurtosis"))]
    assert moments and all(col[n] == 0 for n in moments)


@api("audio-silence")
def _(tmp_path):
    path = wav(tmp_path / "silence.wav", np.zeros(SR, np.float32))
    ext = get_extractor("mfcc").fit(None)
    _check_silence_features(ext.transform([path]), list(ext.get_feature_names_out()))


@cli("audio-silence")
def _(tmp_path, capsys, ok_wav):
    path = wav(tmp_path / "silence.wav", np.zeros(SR, np.float32))
    code, _, errors, table = batch(tmp_path, capsys, [path])
    assert code == EXIT_OK and errors is None
    _check_silence_features(table.X, list(table.feature_names))


def _clipped_and_offset(tmp_path: Path) -> dict[str, str]:
    x = noise()
    return {"clipped.wav": wav(tmp_path / "clipped.wav", np.clip(30 * x, -1, 1)),
            "offset.wav": wav(tmp_path / "offset.wav", x + 0.5, subtype="FLOAT")}


@api("audio-clipping-dc")
def _(tmp_path):
    for path in _clipped_and_offset(tmp_path).values():
        y, _ = sf.read(path, dtype="float32")
        # the file's samples as they are: no declipping, no DC removal
        np.testing.assert_array_equal(mfcc([path]), mfcc([y]))
    offset = _clipped_and_offset(tmp_path)["offset.wav"]
    y, _ = sf.read(offset, dtype="float32")
    assert not np.allclose(mfcc([y]), mfcc([y - y.mean()]))  # the offset changes features


@cli("audio-clipping-dc")
def _(tmp_path, capsys, ok_wav):
    files = _clipped_and_offset(tmp_path)
    code, _, errors, table = batch(tmp_path, capsys, list(files.values()))
    assert code == EXIT_OK and errors is None
    np.testing.assert_allclose(table.X, mfcc(files.values()), rtol=1e-6)


@api("audio-rate-no-resample")
def _(tmp_path):
    path = wav(tmp_path / "r22.wav", noise(22050), sr=22050)
    with pytest.raises(SampleRateError, match=re.escape(path) + r": sample rate is 22050 Hz, "
                       r"16000 Hz was asked for and resample=False"):
        mfcc([path], resample=False)
    table = get_extractor("mfcc").extract([path])  # resampled by default, rate kept
    assert table.index.orig_sr.tolist() == [22050]


@cli("audio-rate-no-resample")
def _(tmp_path, capsys, ok_wav):
    path = wav(tmp_path / "r22.wav", noise(22050), sr=22050)
    code, err, errors, _ = batch(tmp_path, capsys, [ok_wav, path], "--param", "resample=False")
    assert_failed_rows(code, err, errors, {
        "r22.wav": ("read", "SampleRateError", "22050 Hz, 16000 Hz was asked for")})


def _stereo(tmp_path: Path) -> tuple[str, np.ndarray]:
    x = noise()
    both = np.stack([x, 0.25 * noise(seed=1)], axis=1)
    return wav(tmp_path / "stereo.wav", both, subtype="FLOAT"), both.mean(axis=1)


@api("audio-stereo")
def _(tmp_path):
    path, mono = _stereo(tmp_path)
    table = get_extractor("mfcc").extract([path])
    assert table.index.orig_channels.tolist() == [2]
    np.testing.assert_allclose(table.X, mfcc([mono]), rtol=1e-5, atol=1e-4)


@cli("audio-stereo")
def _(tmp_path, capsys, ok_wav):
    path, mono = _stereo(tmp_path)
    code, _, errors, table = batch(tmp_path, capsys, [path])
    assert code == EXIT_OK and errors is None
    assert table.index.orig_channels.tolist() == [2]
    np.testing.assert_allclose(table.X, mfcc([mono]), rtol=1e-5, atol=1e-4)


def _truncated(tmp_path: Path) -> tuple[str, str, np.ndarray]:
    """A 16-bit WAV and a FLAC of one second of noise, each cut to half its bytes, and the
    samples of the whole WAV."""
    x = noise()
    whole = wav(tmp_path / "whole.wav", x, subtype="PCM_16")
    flac = wav(tmp_path / "whole.flac", x, subtype="PCM_16")
    cut_wav, cut_flac = tmp_path / "cut.wav", tmp_path / "cut.flac"
    data = Path(whole).read_bytes()
    cut_wav.write_bytes(data[:len(data) // 2])
    data = Path(flac).read_bytes()
    cut_flac.write_bytes(data[:len(data) // 2])
    return str(cut_wav), str(cut_flac), load_audio(whole).y


@api("audio-truncated")
def _(tmp_path):
    cut_wav, cut_flac, whole = _truncated(tmp_path)
    from emofeat.errors import TruncatedAudioWarning

    with pytest.warns(TruncatedAudioWarning, match=re.escape(cut_wav) + ": the file is "
                      "truncated"):
        got = load_audio(cut_wav).y  # the first half, as libsndfile and librosa read it
    assert 0 < got.shape[0] < whole.shape[0]
    np.testing.assert_array_equal(got, whole[:got.shape[0]])
    with pytest.raises(AudioReadError, match=re.escape(cut_flac) + ": cannot decode audio"):
        mfcc([cut_flac])


@cli("audio-truncated")
def _(tmp_path, capsys, ok_wav):
    cut_wav, cut_flac, whole = _truncated(tmp_path)
    from emofeat.errors import TruncatedAudioWarning

    code, err, errors, table = batch(tmp_path, capsys, [cut_wav, cut_flac])
    warned_line(err, re.escape(cut_wav) + ": the file is truncated")
    assert_failed_rows(code, err, errors, {
        "cut.flac": ("read", "AudioReadError", "cannot decode audio: the FLAC file is "
                     "truncated or corrupt")})
    with pytest.warns(TruncatedAudioWarning):
        cut = load_audio(cut_wav).y
    np.testing.assert_allclose(table.X, mfcc([cut]), rtol=1e-5, atol=1e-4)


def _flac_unknown_length(tmp_path: Path) -> tuple[str, str]:
    """A FLAC of one second of noise, and a copy with STREAMINFO's total samples 0."""
    whole = wav(tmp_path / "whole.flac", noise(), subtype="PCM_16")
    data = bytearray(Path(whole).read_bytes())
    bits = int.from_bytes(data[18:26], "big") & ~((1 << 36) - 1)
    data[18:26] = bits.to_bytes(8, "big")
    streamed = tmp_path / "streamed.flac"
    streamed.write_bytes(bytes(data))
    return whole, str(streamed)


@api("audio-flac-unknown-length")
def _(tmp_path):
    whole, streamed = _flac_unknown_length(tmp_path)
    np.testing.assert_array_equal(load_audio(streamed).y, load_audio(whole).y)


@cli("audio-flac-unknown-length")
def _(tmp_path, capsys, ok_wav):
    whole, streamed = _flac_unknown_length(tmp_path)
    code, _, errors, table = batch(tmp_path, capsys, [whole, streamed])
    assert code == EXIT_OK and errors is None
    np.testing.assert_array_equal(table.X[0], table.X[1])


# ------------------------------------------------------- not a signal (every modality)
def _extractors():
    return [get_extractor("mfcc"), get_extractor("eeg_stats", sfreq=EEG_SF),
            get_extractor("text_surface")]


@api("any-feature-matrix")
def _(tmp_path):
    for ext in _extractors():
        with pytest.raises(SignalTypeError, match=r"looks like a feature matrix, not a list of "
                           f"{ext.modality} inputs"):
            ext.fit_transform(np.ones((30, 5)))


@api("any-not-wrapped")
def _(tmp_path):
    for ext in _extractors():
        for single in (np.zeros(SR), str(tmp_path / "a.wav"), "one text"):
            with pytest.raises(ValueError, match=r"wrap a single (signal|input) in a list"):
                ext.fit_transform(single)


@api("any-string-array")
def _(tmp_path):
    """A 1-D str array is the list of its items (it was refused as "a single signal"), for
    every modality; a bytes array is refused as the list of its bytes items is."""
    texts = ["I am happy", "so sad"]
    waves = [wav(tmp_path / f"{k}.wav", noise(seed=k)) for k in range(2)]
    csvs = [_muse_csv(tmp_path / f"{k}.csv", _eeg(k)) for k in range(2)]
    for items, name, kind in ((texts, "text_surface", "<text 0>: bytes is not a text"),
                              (waves, "mfcc", "<array 0>: bytes is not an audio input"),
                              (csvs, "eeg_stats", "<array 0>: bytes is not an EEG recording")):
        array = np.array(items)
        assert array.dtype.kind == "U"
        np.testing.assert_array_equal(get_extractor(name).fit_transform(array),
                                      get_extractor(name).fit_transform(items))
        coded = np.array([t.encode() for t in items])
        assert coded.dtype.kind == "S"
        for X in (coded, coded.tolist()):
            with pytest.raises(SignalTypeError, match=re.escape(kind)):
                get_extractor(name).fit_transform(X)


@api("any-complex")
def _(tmp_path):
    with pytest.raises(SignalTypeError, match=r"<array 0>: Complex data not supported"):
        mfcc([np.ones(SR, complex)])
    with pytest.raises(SignalTypeError, match=r"<array 0>: Complex data not supported"):
        get_extractor("eeg_stats").fit_transform([(np.ones((4, 256), complex), EEG_SF)])
    with pytest.raises(SignalTypeError, match=r"<text 0>: ndarray is not a text"):
        get_extractor("text_surface").fit_transform([np.ones(3, complex)])


@api("any-sparse")
def _(tmp_path):
    for ext in _extractors():
        with pytest.raises(TypeError, match="sparse input is not supported"):
            ext.fit_transform(sp.csr_matrix(np.ones((3, 256))))


@api("any-not-iterable")
def _(tmp_path):
    for ext in _extractors():
        with pytest.raises(ValueError, match=f"expected a list of {ext.modality} inputs, got int"):
            ext.fit_transform(5)


# --------------------------------------------------------------------------------- EEG
def _eeg(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((4, 1280))


def _muse_csv(path: Path, data: np.ndarray, names=MUSE) -> str:
    frame = pd.DataFrame(data.T, columns=list(names))
    frame.insert(0, "timestamps", np.arange(data.shape[1]) / EEG_SF)
    frame.to_csv(path, index=False)
    return str(path)


def _eeg_with(kind: str) -> np.ndarray:
    x = _eeg()
    if kind in ("nan", "inf"):
        x[2, 10] = np.nan if kind == "nan" else np.inf  # AF8
    else:
        x[0] = 3.0  # TP9 flat
    return x


def _only_channel_nan(X, names, channel):
    hit = np.array([channel in n for n in names])
    assert hit.any() and np.isnan(X[:, hit]).all() and np.isfinite(X[:, ~hit]).all()


def _one_warning(record, source, channel):
    messages = [str(w.message) for w in record if issubclass(w.category, EEGChannelWarning)]
    assert len(messages) == 1 and source in messages[0] and channel in messages[0], messages


@api("eeg-nonfinite-channel")
def _(tmp_path):
    for kind, name in itertools.product(("nan", "inf"),
                                        ("eeg_stats", "eeg_bands", "eeg_asymmetry")):
        x = _eeg_with(kind)  # an inf sample too: eeg_stats gave an infinite mean
        ext = get_extractor(name)
        with pytest.warns(EEGChannelWarning) as record:
            X = ext.fit_transform([(x, EEG_SF, MUSE)])
        _one_warning(record, "<array 0>", "AF8")
        if name != "eeg_asymmetry":  # pairs: AF8 takes part in the AF7-AF8 columns
            _only_channel_nan(X, list(ext.get_feature_names_out()), "AF8")
        good = get_extractor(name).fit_transform([(_eeg(), EEG_SF, MUSE)])
        keep = np.isfinite(X[0])
        np.testing.assert_array_equal(X[0, keep], good[0, keep])  # others untouched


@cli("eeg-nonfinite-channel")
def _(tmp_path, capsys, ok_wav):
    path = _muse_csv(tmp_path / "nan.csv", _eeg_with("nan"))
    out = tmp_path / "e.parquet"
    code, _, err = run_cli(capsys, "extract", "--set", "eeg_bands", path, "-o", out, "-q")
    warned_line(err, re.escape(path) + ".*AF8")
    assert code == EXIT_OK
    table = read_table(out)
    _only_channel_nan(table.X, list(table.feature_names), "AF8")


@api("eeg-masked")
def _(tmp_path):
    x = _eeg()
    m = np.ma.MaskedArray(x, mask=np.zeros(x.shape, bool))
    m.mask[2, 10] = True  # AF8
    for name in ("eeg_stats", "eeg_bands"):
        with pytest.warns(EEGChannelWarning, match=r"masked \(read as NaN\).*AF8") as record:
            X = get_extractor(name).fit_transform([(m, EEG_SF, MUSE)])
        _one_warning(record, "<array 0>", "AF8")
        _only_channel_nan(X, list(get_extractor(name).fit([(x, EEG_SF, MUSE)])
                                  .get_feature_names_out()), "AF8")
        with pytest.warns(EEGChannelWarning):
            nan = get_extractor(name).fit_transform([(_eeg_with("nan"), EEG_SF, MUSE)])
        np.testing.assert_array_equal(X, nan)  # as its NaN-filled array
        np.testing.assert_array_equal(
            get_extractor(name).fit_transform([(np.ma.MaskedArray(x), EEG_SF, MUSE)]),
            get_extractor(name).fit_transform([(x, EEG_SF, MUSE)]))  # nothing masked


@api("eeg-flat-channel")
def _(tmp_path):
    x = _eeg_with("flat")
    stats = get_extractor("eeg_stats")
    X = stats.fit_transform([(x, EEG_SF, MUSE)])
    col = dict(zip(stats.get_feature_names_out(), X[0], strict=True))
    assert np.isfinite(X).all()
    assert [col[f"eeg_stats_{s}_TP9"] for s in ("std", "skew", "kurtosis")] == [0, 0, 0]
    for name in ("eeg_bands", "eeg_de", "eeg_hjorth", "eeg_spectral"):
        ext = get_extractor(name)
        with pytest.warns(EEGChannelWarning) as record:
            X = ext.fit_transform([(x, EEG_SF, MUSE)])
        _one_warning(record, "<array 0>", "TP9")
        _only_channel_nan(X, list(ext.get_feature_names_out()), "TP9")


@cli("eeg-flat-channel")
def _(tmp_path, capsys, ok_wav):
    path = _muse_csv(tmp_path / "flat.csv", _eeg_with("flat"))
    out = tmp_path / "e.parquet"
    code, _, err = run_cli(capsys, "extract", "--set", "eeg_hjorth,eeg_stats", path, "-o",
                           out, "-q")
    warned_line(err, re.escape(path) + ".*TP9.*flat")
    assert code == EXIT_OK
    table = read_table(out)
    hjorth = [n.startswith("eeg_hjorth") for n in table.feature_names]
    X = table.X[:, np.array(hjorth)]
    _only_channel_nan(X, [n for n, h in zip(table.feature_names, hjorth, strict=True) if h],
                      "TP9")
    assert np.isfinite(table.X[:, ~np.array(hjorth)]).all()  # eeg_stats: finite


@api("eeg-other-channels")
def _(tmp_path):
    ext = get_extractor("eeg_bands").fit([(_eeg(), EEG_SF, MUSE)])
    with pytest.raises(ChannelError, match=r"<array 0>: channels differ from the ones the "
                       r"extractor was fitted on: missing 'TP10' \(\['TP9', 'AF7', 'AF8'\] "
                       r"against fitted \['TP9', 'AF7', 'AF8', 'TP10'\]\)"):
        ext.transform([(_eeg()[:3], EEG_SF, MUSE[:3])])


@cli("eeg-other-channels")
def _(tmp_path, capsys, ok_wav):
    first = _muse_csv(tmp_path / "four.csv", _eeg())
    other = _muse_csv(tmp_path / "three.csv", _eeg()[:3], MUSE[:3])
    code, err, errors, table = batch(tmp_path, capsys, [first, other], "--set", "eeg_bands")
    assert_failed_rows(code, err, errors, {
        "three.csv": ("extract", "ChannelError",
                      r"fitted on: missing 'TP10' \(\['TP9', 'AF7', 'AF8'\] against")})
    assert len(table) == 1


_COMPOSED = "F\u00e9"  # NFC
_DECOMPOSED = "Fe\u0301"  # its NFD


@api("eeg-decomposed-name")
def _(tmp_path):
    names = (*MUSE[:3], _DECOMPOSED)
    ext = get_extractor("eeg_hjorth")
    X = ext.fit_transform([(_eeg(), EEG_SF, names), (_eeg(), EEG_SF, (*MUSE[:3], _COMPOSED))])
    assert f"eeg_hjorth_activity_{_COMPOSED}" in ext.get_feature_names_out()
    np.testing.assert_array_equal(X[0], X[1])
    with pytest.raises(ChannelError, match=re.escape(
            "<array 0>: channel names 'F\\xe9' and 'Fe\\u0301' are one name")):
        get_extractor("eeg_hjorth").fit_transform([(_eeg(), EEG_SF,
                                                    (*MUSE[:2], _COMPOSED, _DECOMPOSED))])


@cli("eeg-decomposed-name")
def _(tmp_path, capsys, ok_wav):
    first = _muse_csv(tmp_path / "nfc.csv", _eeg(), (*MUSE[:3], _COMPOSED))
    other = _muse_csv(tmp_path / "nfd.csv", _eeg(), (*MUSE[:3], _DECOMPOSED))
    code, err, errors, table = batch(tmp_path, capsys, [first, other], "--set", "eeg_hjorth")
    assert code == EXIT_OK and errors is None and len(table) == 2
    assert f"eeg_hjorth_activity_{_COMPOSED}" in table.feature_names
    np.testing.assert_array_equal(table.X[0], table.X[1])


@api("eeg-invisible-name")
def _(tmp_path):
    with pytest.raises(ChannelError, match=re.escape(
            "<array 0>: channel name 'AF\\u200d8' holds U+200D (ZERO WIDTH JOINER), "
            "invisible")):
        get_extractor("eeg_hjorth").fit_transform([(_eeg(), EEG_SF,
                                                    ("TP9", "AF7", "AF\u200d8", "TP10"))])


@cli("eeg-invisible-name")
def _(tmp_path, capsys, ok_wav):
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    bad = _muse_csv(tmp_path / "soft.csv", _eeg(), ("TP9", "AF\u00ad7", "AF8", "TP10"))
    code, err, errors, table = batch(tmp_path, capsys, [good, bad], "--set", "eeg_hjorth")
    assert_failed_rows(code, err, errors, {
        "soft.csv": ("read", "ChannelError", re.escape(
            "channel name 'AF\\xad7' holds U+00AD (SOFT HYPHEN)"))})
    assert len(table) == 1


@api("eeg-transposed")
def _(tmp_path):
    with pytest.raises(SignalTypeError, match=r"<array 0>: shape \(1280, 300\) looks like "
                       r"\(n_times, n_channels\)"):
        get_extractor("eeg_stats").fit_transform([(np.ones((1280, 300)), EEG_SF)])


@api("eeg-no-rate")
def _(tmp_path):
    with pytest.raises(SignalTypeError, match="<array 0>: an EEG array needs its rate"):
        get_extractor("eeg_stats").fit_transform([_eeg()])


@api("eeg-no-samples")
def _(tmp_path):
    with pytest.raises(EmptyInputError, match=r"<array 0>: the recording has no samples"):
        get_extractor("eeg_stats").fit_transform([(np.zeros((4, 0)), EEG_SF)])
    for name in ("empty.edf", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(EmptyInputError, match=re.escape(str(tmp_path / name))
                           + r": the file is empty \(0 bytes\)"):
            get_extractor("eeg_stats").fit_transform([str(tmp_path / name)])


@cli("eeg-no-samples")
def _(tmp_path, capsys, ok_wav):
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    empty = _muse_csv(tmp_path / "empty.csv", np.zeros((4, 0)))
    (tmp_path / "zero.edf").write_bytes(b"")
    code, err, errors, table = batch(tmp_path, capsys, [good, empty, tmp_path / "zero.edf"],
                                     "--set", "eeg_stats")
    assert_failed_rows(code, err, errors, {
        "empty.csv": ("read", "EmptyInputError", "fewer than 2 rows"),
        "zero.edf": ("read", "EmptyInputError", r"\(0 bytes\)")})
    assert len(table) == 1


@api("eeg-unreadable")
def _(tmp_path):
    junk = tmp_path / "junk.edf"
    junk.write_bytes(b"not an EDF header" * 20)
    with pytest.raises(EEGReadError, match=re.escape(str(junk)) + ": cannot read EEG"):
        get_extractor("eeg_stats").fit_transform([str(junk)])
    with pytest.raises(EEGReadError, match="missing.edf: no such file"):
        get_extractor("eeg_stats").fit_transform([str(tmp_path / "missing.edf")])


@cli("eeg-unreadable")
def _(tmp_path, capsys, ok_wav):
    # the unreadable file first: the channels are learnt from the first readable input
    junk = tmp_path / "junk.edf"
    junk.write_bytes(b"not an EDF header" * 20)
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    code, err, errors, table = batch(tmp_path, capsys, [junk, good], "--set", "eeg_stats")
    assert_failed_rows(code, err, errors, {
        "junk.edf": ("read", "EEGReadError", "cannot read EEG")})
    assert list(table.index["path"]) == [good]


def _truncated_edf(tmp_path) -> Path:
    pytest.importorskip("mne")
    source = shared_path("eeg", "mne_testdata", "test.edf")  # skips when the data is absent
    data = source.read_bytes()
    trunc = tmp_path / "trunc.edf"
    trunc.write_bytes(data[: len(data) * 2 // 3])
    return trunc


@api("eeg-truncated-edf")
def _(tmp_path):
    trunc = _truncated_edf(tmp_path)
    with pytest.warns(EEGReadWarning, match=re.escape(str(trunc)) + ": Number of records"):
        X = get_extractor("eeg_stats").fit_transform([str(trunc)])
    assert X.shape[0] == 1


@cli("eeg-truncated-edf")
def _(tmp_path, capsys, ok_wav):
    trunc = _truncated_edf(tmp_path)
    out = tmp_path / "e.parquet"
    code, _, err = run_cli(capsys, "extract", "--set", "eeg_stats", trunc, "-o", out, "-q")
    warned_line(err, "trunc.edf")
    assert code == EXIT_OK and len(read_table(out)) == 1


def _mind_monitor(tmp_path: Path, every: int = 1, raw: bool = True) -> tuple[Path, Path]:
    """A Mind Monitor export of the shortest Muse recording (every ``every``-th sample: a
    recording interval; ``raw=False``: its RAW_ columns left out), and the Muse file."""
    from test_eeg_mind_monitor import MUSE as CORPUS
    from test_eeg_mind_monitor import _muse, _write_export

    name = "subjectd-concentrating-2.csv"
    muse = shared_path(*CORPUS, name)  # skips when the data is absent
    df, ms = _muse(name)
    path = tmp_path / f"mm_{every}{'' if raw else '_noraw'}.csv"
    _write_export(path, df.iloc[::every].reset_index(drop=True), ms[::every], markers=2)
    if not raw:
        lines = [line.split(",") for line in path.read_text().splitlines()]
        cut = [i for i, c in enumerate(lines[0]) if c.startswith("RAW_")]
        path.write_text("\n".join(",".join(c for i, c in enumerate(line) if i not in cut)
                                  for line in lines) + "\n")
    return path, muse


@api("eeg-mind-monitor")
def _(tmp_path):
    from emofeat.eeg_input import read_recording

    path, muse = _mind_monitor(tmp_path)
    rec, want = read_recording(path), read_recording(muse)
    assert rec.ch_names == MUSE == want.ch_names
    np.testing.assert_array_equal(rec.data, want.data)
    assert abs(float(rec.sfreq) / float(want.sfreq) - 1) < 1e-6


@cli("eeg-mind-monitor")
def _(tmp_path, capsys, ok_wav):
    path, _ = _mind_monitor(tmp_path)
    out = tmp_path / "mm.parquet"
    code, _, _ = run_cli(capsys, "extract", "--set", "eeg_stats", path, "-o", out, "-q")
    table = read_table(out)
    assert code == EXIT_OK and len(table) == 1
    assert any(n.endswith("_TP9") for n in table.feature_names)


@api("eeg-mind-monitor-interval")
def _(tmp_path):
    from emofeat.eeg_input import read_recording

    path, _ = _mind_monitor(tmp_path, every=256)
    with pytest.raises(InputError, match=re.escape(str(path)) + ": a Mind Monitor export at "
                       r"[\d.]+ Hz .*recording interval"):
        read_recording(path)


@cli("eeg-mind-monitor-interval")
def _(tmp_path, capsys, ok_wav):
    path, _ = _mind_monitor(tmp_path, every=256)
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    code, err, errors, _ = batch(tmp_path, capsys, [good, path], "--set", "eeg_stats")
    assert_failed_rows(code, err, errors, {
        path.name: ("read", "InputError", "recording interval")})


@api("eeg-mind-monitor-bad")
def _(tmp_path):
    from emofeat.eeg_input import read_recording

    path, _ = _mind_monitor(tmp_path, raw=False)
    with pytest.raises(EmptyInputError, match=re.escape(str(path)) + ": .*no RAW_ column"):
        read_recording(path)


@cli("eeg-mind-monitor-bad")
def _(tmp_path, capsys, ok_wav):
    path, _ = _mind_monitor(tmp_path, raw=False)
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    code, err, errors, _ = batch(tmp_path, capsys, [good, path], "--set", "eeg_stats")
    assert_failed_rows(code, err, errors, {
        path.name: ("read", "EmptyInputError", "no RAW_ column")})


def _muse_csv_in(path: Path, factor: int) -> str:
    """A Muse CSV whose stamps count seconds times ``factor`` (1000: milliseconds)."""
    frame = pd.read_csv(_muse_csv(path, _eeg()))
    frame["timestamps"] = (frame["timestamps"] * factor).round()
    frame.to_csv(path, index=False)
    return str(path)


@api("eeg-csv-time-unit")
def _(tmp_path):
    from emofeat.eeg_input import read_recording

    for factor, unit in ((1000, "milliseconds"), (10**6, "microseconds"),
                         (10**9, "nanoseconds")):
        path = _muse_csv_in(tmp_path / f"x{factor}.csv", factor)
        with pytest.raises(InputError, match=re.escape(
                f"{path}: its time column 'timestamps' gives ") + r"[\d.e+-]+ Hz, .*they look "
                f"like {unit} \\(128 Hz if so\\): divide the column by {factor}$"):
            read_recording(path)
    slow = pd.read_csv(_muse_csv(tmp_path / "slow.csv", _eeg()))
    slow["timestamps"] *= 128 / 4  # 4 Hz in seconds, or 4 kHz in milliseconds
    slow.to_csv(tmp_path / "slow.csv", index=False)
    with pytest.raises(InputError, match=r"gives 4 Hz, which no EEG recording has \(under 10 "
                       r"Hz\): the timestamps must be in seconds; they look like milliseconds "
                       r"\(4000 Hz if so\)"):
        read_recording(tmp_path / "slow.csv")


@cli("eeg-csv-time-unit")
def _(tmp_path, capsys, ok_wav):
    path = _muse_csv_in(tmp_path / "ms.csv", 1000)
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    code, err, errors, _ = batch(tmp_path, capsys, [good, path], "--set", "eeg_bands")
    assert_failed_rows(code, err, errors, {
        Path(path).name: ("read", "InputError", "they look like milliseconds")})


def _muse_with_text_cell(path: Path) -> str:
    frame = pd.read_csv(_muse_csv(path, _eeg()))
    frame["AF7"] = frame["AF7"].astype(object)
    frame.loc[49, "AF7"] = "bad"
    frame.to_csv(path, index=False)
    return str(path)


@api("eeg-text-cell")
def _(tmp_path):
    path = _muse_with_text_cell(tmp_path / "cell.csv")
    stats = get_extractor("eeg_hjorth")
    with pytest.warns(EEGChannelWarning, match=re.escape(path) + ".*AF7"):
        X = stats.fit_transform([path])
    _only_channel_nan(X, list(stats.get_feature_names_out()), "AF7")


@cli("eeg-text-cell")
def _(tmp_path, capsys, ok_wav):
    # first in the batch: the channel is kept, so the good file after it has the same ones
    bad = _muse_with_text_cell(tmp_path / "cell.csv")
    good = _muse_csv(tmp_path / "good.csv", _eeg(1))
    code, err, errors, table = batch(tmp_path, capsys, [bad, good], "--set", "eeg_hjorth")
    warned_line(err, "AF7")
    assert code == EXIT_OK and errors is None and len(table) == 2
    assert sum("AF7" in n for n in table.feature_names) > 0
    assert np.isfinite(table.X[1]).all()


@api("eeg-too-short")
def _(tmp_path):
    with pytest.raises(TooShortError, match=r"<array 0>: 10 samples .* 'eeg_bands'"):
        get_extractor("eeg_bands").fit_transform([(_eeg()[:, :10], EEG_SF, MUSE)])


@cli("eeg-too-short")
def _(tmp_path, capsys, ok_wav):
    good = _muse_csv(tmp_path / "good.csv", _eeg())
    short = _muse_csv(tmp_path / "short.csv", _eeg()[:, :12])
    code, err, errors, table = batch(tmp_path, capsys, [short, good], "--set", "eeg_bands")
    assert_failed_rows(code, err, errors, {
        "short.csv": ("extract", "TooShortError", "12 samples")})
    assert list(table.index["path"]) == [good]


# -------------------------------------------------------------------------------- text
def _surface(texts) -> np.ndarray:
    return get_extractor("text_surface").fit_transform(list(texts))


def _texts_cli(tmp_path, capsys, records, *options):
    path = tmp_path / "texts.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "t.parquet"
    code, _, err = run_cli(capsys, "extract", "--set", "text_surface", path, "-o", out, "-q",
                           *options)
    errors = tmp_path / "t.errors.csv"
    return (code, err, pd.read_csv(errors) if errors.exists() else None,
            read_table(out) if out.exists() else None)


@api("text-missing")
def _(tmp_path):
    X = _surface([None, float("nan"), ""])
    np.testing.assert_array_equal(X[0], X[2])
    np.testing.assert_array_equal(X[1], X[2])
    names = get_extractor("text_surface").fit(None).get_feature_names_out()
    counts = np.array([n.endswith(("_count", "_sum")) for n in names])
    assert (X[0, counts] == 0).all() and np.isnan(X[0, ~counts]).all()


@cli("text-missing")
def _(tmp_path, capsys, ok_wav):
    code, _, errors, table = _texts_cli(tmp_path, capsys, [{"text": "fine words", "id": 1},
                                                           {"text": None, "id": 2}])
    assert code == EXIT_OK and errors is None and len(table) == 2
    np.testing.assert_array_equal(table.X[1], _surface([""])[0])


ODD = ["\U0001f600\U0001f389", "bad \ud800 surrogate", "e\u0301\u200b\ufeff"]


@api("text-odd-unicode")
def _(tmp_path):
    X = _surface(ODD)
    counts = [n.endswith("_count") for n in
              get_extractor("text_surface").fit(None).get_feature_names_out()]
    assert np.isfinite(X[:, np.array(counts)]).all()
    assert X[1, 0] == 3  # the lone surrogate stays a token of its own: nothing dropped


@cli("text-odd-unicode")
def _(tmp_path, capsys, ok_wav):
    code, _, errors, table = _texts_cli(tmp_path, capsys, [{"text": t} for t in ODD])
    assert code == EXIT_OK and errors is None
    np.testing.assert_array_equal(table.X, _surface(ODD))  # features of the texts as they are
    assert table.index.text.tolist()[1] == "bad \\ud800 surrogate"  # stored as its escape


@api("text-long")
def _(tmp_path):
    X = _surface(["word " * 20_000])
    assert X[0, 0] == 20_000


@cli("text-long")
def _(tmp_path, capsys, ok_wav):
    code, _, errors, table = _texts_cli(tmp_path, capsys, [{"text": "word " * 20_000}])
    assert code == EXIT_OK and errors is None and table.X[0, 0] == 20_000


@api("text-not-a-string")
def _(tmp_path):
    for item, kind in ((5, "int"), (b"bytes", "bytes")):
        with pytest.raises(SignalTypeError, match=f"<text 0>: {kind} is not a text"):
            _surface([item])


@cli("text-not-a-string")
def _(tmp_path, capsys, ok_wav):
    code, err, errors, table = _texts_cli(tmp_path, capsys, [{"text": "fine"}, {"text": 5}])
    assert code == EXIT_SOME_FAILED and "int is not a text" in err
    assert errors.error_type.tolist() == ["SignalTypeError"] and len(table) == 1


@api("text-jsonl-key")
def _(tmp_path):
    # a DataFrame has no record of its own: a cell pandas filled for a key a record lacked
    # is a missing text, the empty one (the command reads the records: its test below)
    manifest = pd.DataFrame([{"text": "fine"}, {"Text": "lost"}])
    assert manifest["text"].isna().tolist() == [False, True]
    np.testing.assert_array_equal(_surface(manifest["text"].tolist())[1], _surface([""])[0])


@cli("text-jsonl-key")
def _(tmp_path, capsys, ok_wav):
    code, err, errors, table = _texts_cli(tmp_path, capsys, [{"text": "fine"}, {"Text": "x"}])
    assert code == EXIT_SOME_FAILED and "the record has no 'text' key" in err
    assert errors.error_type.tolist() == ["SignalTypeError"] and errors.path[0].endswith(":2")
    assert table.index.text.tolist() == ["fine"]


@api("text-time-axis")
def _(tmp_path):
    from emofeat.runner import run

    ext = [get_extractor("text_surface")]
    with pytest.raises(ValueError, match="text inputs have no time axis to cut into windows"):
        run(["some text"], ext, segment=3.0)
    spans = pd.DataFrame({"text": ["some text"], "start": [0.0], "end": [1.0]})
    with pytest.raises(ValueError, match="text inputs have no time axis: a manifest cannot"):
        run(spans, ext)


@cli("text-time-axis")
def _(tmp_path, capsys, ok_wav):
    code, err, _, table = _texts_cli(tmp_path, capsys, [{"text": "fine"}], "--segment", "3s")
    assert code == EXIT_USAGE and "no time axis" in err and table is None
    manifest = tmp_path / "spans.csv"
    pd.DataFrame({"text": ["hello"], "start": [0.0], "end": [1.0]}).to_csv(manifest, index=False)
    out = tmp_path / "spans.parquet"
    code, _, err = run_cli(capsys, "extract", "--set", "text_surface", manifest, "-o", out, "-q")
    assert code == EXIT_USAGE and "start/end" in err and not out.exists()


@api("text-duplicate-labels")
def _(tmp_path):
    import emofeat

    manifest = pd.DataFrame({"text": ["Thanks!", "Thanks!"], "emotion": ["joy", "anger"]})
    table = emofeat.extract(manifest, "text_surface")
    assert list(table.index["emotion"]) == ["joy", "anger"]
    assert list(table.index["occurrence"]) == [0, 1]
    np.testing.assert_array_equal(table.X[0], table.X[1])


@cli("text-duplicate-labels")
def _(tmp_path, capsys, ok_wav):
    code, err, _, table = _texts_cli(tmp_path, capsys, [{"text": "Thanks!", "emotion": "joy"},
                                                        {"text": "Thanks!", "emotion": "anger"}])
    assert code == EXIT_OK, err
    assert list(table.index["emotion"]) == ["joy", "anger"]
    assert list(table.index["occurrence"]) == [0, 1]


# ------------------------------------------------------- outputs (beside the tables)
@pytest.mark.parametrize("err", [errno.EROFS, errno.ENOENT, errno.EACCES])
def test_an_output_folder_that_cannot_be_made_is_a_usage_error(err, tmp_path, capsys, ok_wav,
                                                                monkeypatch):
    """A read-only file system raises a plain OSError (EROFS), not a PermissionError: it is
    exit 2 with one line, like the others, and not a reported bug."""
    def refuse(self, *args, **kwargs):
        raise OSError(err, os.strerror(err), str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = tmp_path / "new" / "sub" / "out.parquet"
    code, _, stderr = run_cli(capsys, "extract", ok_wav, "-o", out, "-q")
    assert code == EXIT_USAGE and "Traceback" not in stderr
    # the last line: run alone, the refused mkdir leaves no cache folder, and the kernels'
    # compile messages come first
    assert stderr.splitlines()[-1] == (f"emofeat: cannot write {out}: cannot create its "
                                       f"folder {out.parent} ({os.strerror(err)})")


@pytest.mark.parametrize("way", ["file", "broken link"])
def test_a_file_or_broken_link_on_the_output_folders_way_is_named(way, tmp_path, capsys,
                                                                   ok_wav):
    """The command makes the output's folder before the lock: a file or a broken link where
    that folder goes is named as what it is (it said "cannot create its folder notes.txt
    (File exists)"), as run() names it."""
    block = tmp_path / "notes.txt"
    if way == "file":
        block.write_text("a note")
        why = f"{block} is a file, not a folder; give an output in a folder"
    else:
        block.symlink_to(tmp_path / "gone" / "x")
        why = (f"{block} is a symbolic link to {tmp_path / 'gone' / 'x'}, which does not "
               "exist (a broken link); make that folder, remove the link, or give another "
               "output")
    out = block / "out.parquet"
    code, _, stderr = run_cli(capsys, "extract", ok_wav, "-o", out, "-q")
    assert code == EXIT_USAGE and "Traceback" not in stderr
    assert stderr == f"emofeat: cannot write {out}: {why}\n"
