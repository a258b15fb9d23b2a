"""Bad input at the file level: byte-order marks and encodings of text files, named pipes
and broken links among audio inputs, where a failing text cell is, manifest line numbers,
invalid sample rates, inputs with nothing to extract (docs/inputs.md, docs/text.md,
docs/batch.md)."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

import emofeat
from emofeat import get_extractor, load_audio, read_table
from emofeat.audio import flac_stream_info, prepare_signal
from emofeat.blocks import file_seconds
from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from emofeat.datasets import load_manifest
from emofeat.errors import AudioReadError, SampleRateError, SignalTypeError

SR = 16000
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
needs_links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights")


def run_cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def extract(capsys, tmp_path: Path, *inputs, set_name: str = "lexicon"):
    """``emofeat extract`` into a new output: (code, stderr, table or None, errors or None)."""
    out = tmp_path / "out.parquet"
    code, err = run_cli(capsys, "extract", "--set", set_name, *inputs, "-o", out, "-q")
    errors = tmp_path / "out.errors.csv"
    return (code, err, read_table(out) if out.exists() else None,
            pd.read_csv(errors) if errors.exists() else None)


@pytest.fixture()
def ok_wav(tmp_path):
    path = tmp_path / "ok.wav"
    sf.write(path, (0.1 * np.random.default_rng(0).standard_normal(SR)).astype(np.float32), SR)
    return str(path)


# ------------------------------------------------------------------- text encodings
def test_a_txt_file_is_split_at_line_ends_only(tmp_path, capsys):
    # U+2028, U+0085, form feed and the separators \x1c-\x1e are characters of a text, not
    # line ends (str.splitlines made 7 texts of these 3 lines: a labels file lost alignment)
    texts = ["good\u2028day", "bad\x85worse\x0cstill", "fine\x1cthen\x1d\x1eok"]
    txt = tmp_path / "odd.txt"
    txt.write_bytes(("\r\n".join(texts[:2]) + "\r" + texts[2] + "\n").encode("utf-8"))
    code, err, table, errors = extract(capsys, tmp_path, txt, set_name="text_surface")
    assert code == EXIT_OK and errors is None, err
    assert list(table.index["text"]) == texts


@pytest.mark.parametrize("name", ["t.txt", "t.csv", "t.jsonl"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_without_a_byte_order_mark_is_refused_naming_the_remedy(tmp_path, capsys,
                                                                      name, codec):
    # read as UTF-8 a .txt gave texts of interleaved NULs scoring 0 (exit 0), a CSV "no
    # 'text' column (columns: i d ,  t e x t )"
    body = {"t.txt": "good day\nbad day\n", "t.csv": "id,text\n1,good day\n",
            "t.jsonl": '{"text": "good day"}\n'}[name]
    path = tmp_path / name
    path.write_bytes(body.encode(codec))
    code, err, table, _ = extract(capsys, tmp_path, path, set_name="text_surface")
    assert code == EXIT_USAGE and table is None
    assert "looks like UTF-16 or UTF-32 without a byte-order mark" in err and name in err
    # the same with its mark is read
    path.write_bytes(body.encode(codec.replace("-le", "").replace("-be", "")))
    code, err, table, _ = extract(capsys, tmp_path, path, set_name="text_surface")
    assert code == EXIT_OK and table.index["text"][0] == "good day", err


def test_a_latin1_csv_names_the_remedy(tmp_path, capsys):
    path = tmp_path / "l1.csv"
    path.write_bytes("text\ncaf\u00e9 ol\u00e9\n".encode("latin-1"))
    code, err, _, _ = extract(capsys, tmp_path, path, set_name="text_surface")
    assert code == EXIT_USAGE and "l1.csv" in err and "save it as UTF-8" in err


def test_utf8_bom_of_a_txt_file_is_not_part_of_the_first_text(tmp_path, capsys):
    txt = tmp_path / "bom.txt"
    txt.write_bytes(b"\xef\xbb\xbfLove it\nLove it\n")
    code, err, table, errors = extract(capsys, tmp_path, txt)
    assert code == EXIT_OK and errors is None, err
    assert list(table.index["text"]) == ["Love it", "Love it"]
    np.testing.assert_array_equal(table.X[0], table.X[1])  # same text, same features
    # the text without the BOM through the Python API: the same row
    lexicon = get_extractor("lexicon").fit([])
    assert table.feature_names == list(lexicon.get_feature_names_out())
    np.testing.assert_array_equal(table.X[0], lexicon.transform(["Love it"])[0])
    try:  # and the reference's compound of the text without the BOM (a test extra)
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return
    compound = table.feature_names.index("lexicon_vader_compound")
    assert table.X[0, compound] == SentimentIntensityAnalyzer().polarity_scores(
        "Love it")["compound"]


def test_json_lines_with_a_bom_are_read(tmp_path, capsys):
    jl = tmp_path / "bom.jsonl"
    jl.write_bytes(b"\xef\xbb\xbf" + b'{"text": "Love it"}\n{"text": "Love it"}\n')
    code, err, table, _ = extract(capsys, tmp_path, jl)
    assert code == EXIT_OK, err
    assert list(table.index["text"]) == ["Love it", "Love it"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_decoded(codec, tmp_path, capsys):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff",
           "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    texts = ["I love it", "hate it 😠", "Café très bien"]
    txt = tmp_path / "wide.txt"
    txt.write_bytes(bom + "\n".join(texts).encode(codec))  # utf-16/utf-32 write their own BOM
    code, err, table, _ = extract(capsys, tmp_path, txt)
    assert code == EXIT_OK, err
    assert list(table.index["text"]) == texts


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_utf16_manifests_with_a_bom_are_decoded(suffix, tmp_path, capsys):
    manifest = tmp_path / f"m{suffix}"
    body = ("text,id\nI love it,1\n" if suffix == ".csv"
            else json.dumps({"text": "I love it", "id": 1}) + "\n")
    manifest.write_bytes(body.encode("utf-16"))
    code, err, table, _ = extract(capsys, tmp_path, manifest)
    assert code == EXIT_OK, err
    assert list(table.index["text"]) == ["I love it"]


def test_invalid_utf16_is_a_usage_error_naming_file_and_encoding(tmp_path, capsys):
    txt = tmp_path / "odd.txt"
    txt.write_bytes("hi".encode("utf-16") + b"\x41")  # an odd byte: no UTF-16 code unit
    code, err, table, _ = extract(capsys, tmp_path, txt)
    assert code == EXIT_USAGE and table is None
    assert str(txt) in err and "UTF-16" in err and "Traceback" not in err


def test_latin1_bytes_are_refused_as_a_csvs_are(tmp_path, capsys):
    # kept as lone surrogates until session 52 ('Caf\\udce9 tr\\udce8s bien', other tokens)
    txt = tmp_path / "latin1.txt"
    txt.write_bytes("Café très bien\n".encode("latin-1"))
    code, err, table, _ = extract(capsys, tmp_path, txt)
    assert code == EXIT_USAGE and table is None, err
    assert f"cannot read {txt}: line 1 is not UTF-8 (byte 0xe9" in err and "UTF-8" in err


# ------------------------------------------------------- where a failing text cell is
def test_errors_of_json_lines_cells_name_file_and_line(tmp_path, capsys):
    jl = tmp_path / "texts.jsonl"
    jl.write_text('{"text": "fine"}\n\n{"text": 5}\n{"text": ["list"]}\n{"text": null}\n',
                  encoding="utf-8")
    code, err, table, errors = extract(capsys, tmp_path, jl)
    assert code == EXIT_SOME_FAILED
    assert errors.path.tolist() == [f"{jl}:3", f"{jl}:4"]  # the file's lines (a blank one)
    assert errors.message.tolist() == ["int is not a text (give strings)",
                                       "list is not a text (give strings)"]
    assert f"{jl}:3: SignalTypeError" in err
    assert list(table.index["text"]) == ["fine", ""]  # the others finished; null: empty text


def test_api_errors_of_non_text_cells_name_their_position():
    from emofeat.runner import run

    manifest = pd.DataFrame({"text": ["fine", 5, "also fine"]})
    result = run(manifest, [get_extractor("text_surface")], on_error="record", progress=False)
    assert result.errors.path.tolist() == ["<text 1>"]  # as the exception's source, not "5"
    with pytest.raises(SignalTypeError, match="<text 1>: int is not a text"):
        run(manifest, [get_extractor("text_surface")], progress=False)


# ------------------------------------------------------- named pipes, broken links
def _unblock_later(fifo: Path, fired: list[bool], after: float = 30.0) -> threading.Thread:
    """If something opens ``fifo`` for reading and waits (the bug), open it for writing after
    ``after`` seconds so that the test fails instead of hanging."""
    def unblock():
        deadline = time.monotonic() + after
        while time.monotonic() < deadline and not fired[1:]:
            time.sleep(0.05)
        if fired[1:]:
            return
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO: nobody is waiting
        except OSError:
            return
        fired[0] = True
        os.close(fd)

    t = threading.Thread(target=unblock, daemon=True)
    t.start()
    return t


@needs_fifo
def test_a_named_pipe_is_a_recorded_failure_not_a_hang(tmp_path, capsys, ok_wav):
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    fired = [False]
    thread = _unblock_later(fifo, fired)
    try:
        with pytest.raises(AudioReadError, match=f"{fifo}: not a regular file \\(a named pipe"):
            load_audio(fifo)
        assert flac_stream_info(fifo) is None and file_seconds(fifo) is None
        code, err, table, errors = extract(capsys, tmp_path, ok_wav, fifo, set_name="mfcc")
        # a manifest segment of it too (read from disk piece by piece)
        seg = tmp_path / "seg.csv"
        pd.DataFrame({"path": [str(fifo)], "start": [0.0], "end": [0.5]}).to_csv(seg,
                                                                                  index=False)
        seg_out = tmp_path / "seg.parquet"
        seg_code, _ = run_cli(capsys, "extract", "--set", "mfcc", seg, "-o", seg_out, "-q")
        # the pipe alone: every input failed, which is not "up to date"
        only_code, only_err = run_cli(capsys, "extract", "--set", "mfcc", fifo, "-o",
                                      tmp_path / "only.parquet", "-q")
    finally:
        fired.append(True)
        thread.join()
    assert not fired[0], "something opened the named pipe and waited for a writer"
    assert code == EXIT_SOME_FAILED and len(table) == 1
    assert errors.path.tolist() == [str(fifo)]
    assert errors.message.tolist() == ["not a regular file (a named pipe)"]
    assert only_code == EXIT_SOME_FAILED and "up to date" not in only_err
    assert seg_code == EXIT_SOME_FAILED
    seg_errors = pd.read_csv(tmp_path / "seg.errors.csv")
    assert seg_errors.message.tolist() == ["not a regular file (a named pipe)"]


@needs_fifo
@needs_links
def test_a_folder_records_broken_links_and_pipes(tmp_path, capsys, ok_wav):
    folder = tmp_path / "audio"
    folder.mkdir()
    os.replace(ok_wav, folder / "ok.wav")
    (folder / "dangling.wav").symlink_to(tmp_path / "gone.wav")
    os.mkfifo(folder / "pipe.flac")
    (folder / "sub.wav").mkdir()  # a folder named like a file: searched, not an input
    (folder / "notes.txt").symlink_to(tmp_path / "gone.txt")  # not an audio name: ignored
    fired = [False]
    thread = _unblock_later(folder / "pipe.flac", fired)
    try:
        code, err, table, errors = extract(capsys, tmp_path, folder, set_name="mfcc")
    finally:
        fired.append(True)
        thread.join()
    assert not fired[0]
    assert code == EXIT_SOME_FAILED and len(table) == 1
    rows = dict(zip(errors.path, errors.message, strict=True))
    link = str(folder.resolve() / "dangling.wav")  # the link's own path, not its target
    assert rows == {
        link: f"no such file (a broken symbolic link to {tmp_path / 'gone.wav'})",
        str(folder.resolve() / "pipe.flac"): "not a regular file (a named pipe)",
    }
    assert "dangling.wav" in err


@needs_links
def test_a_folder_names_links_by_their_own_path(tmp_path, capsys, ok_wav):
    # a folder of links sorted by emotion, all to one recording that is not listed: three
    # inputs, each named by its link (resolving them merged the three into one row named by
    # the target, and the fresh run said two were "already done"; 87118ba made them one
    # input: only a link and its listed target are one)
    raw = tmp_path / "raw"
    raw.mkdir()
    os.replace(ok_wav, raw / "a.wav")
    for emo in ("angry", "calm"):
        (tmp_path / "byemo" / emo).mkdir(parents=True)
        (tmp_path / "byemo" / emo / "a.wav").symlink_to(raw / "a.wav")
    (tmp_path / "byemo" / "calm" / "a_copy.wav").symlink_to(raw / "a.wav")
    code, err, table, _ = extract(capsys, tmp_path, tmp_path / "byemo", set_name="mfcc")
    root = (tmp_path / "byemo").resolve()
    assert code == 0 and "already" not in err
    assert sorted(table.index.path) == [str(root / "angry" / "a.wav"),
                                        str(root / "calm" / "a.wav"),
                                        str(root / "calm" / "a_copy.wav")]
    assert (table.X == table.X[0]).all()  # one recording, three rows


# ------------------------------------------------------------- manifest line numbers
def test_empty_path_cell_names_the_line_of_the_file(tmp_path, capsys, ok_wav):
    manifest = tmp_path / "blank.csv"
    manifest.write_text(f"path,speaker\n{ok_wav},1\n\n   \n{ok_wav},2\n,3\n"
                        f'"{ok_wav}","two\nlines"\n,\n')
    with pytest.raises(ValueError, match=r"empty 'path' cell in 2 rows: 6, 9 \(line numbers"):
        load_manifest(manifest, check_files=False)
    code, err = run_cli(capsys, "extract", manifest, "-o", tmp_path / "o.parquet", "-q")
    assert code == EXIT_USAGE and "in 2 rows: 6, 9 (line numbers of the file)" in err


def test_duplicate_labels_name_the_lines_of_the_file(tmp_path, capsys, ok_wav):
    """An input listed twice with different labels: the rows are named by their lines in the
    file, as an editor numbers them (blank and white-space lines, a quoted cell spanning two
    lines, CRLF endings counted), as for an empty path cell. They were data-row positions
    plus 2 ("rows 2, 4" for lines 2 and 8 here)."""
    other = tmp_path / "other.wav"
    other.write_bytes(Path(ok_wav).read_bytes())
    manifest = tmp_path / "blank.csv"
    manifest.write_text(f'path,emotion\n"{ok_wav}","very\nhappy"\n\n   \n{other},sad\r\n\n'
                        f"{ok_wav},angry\n")
    out = tmp_path / "o.parquet"
    code, err = run_cli(capsys, "extract", "--set", "mfcc", manifest, "-o", out, "-q")
    assert code == EXIT_USAGE and not out.exists()
    assert (f"{manifest}: the manifest lists {ok_wav!r} 2 times with different labels "
            "(rows 2, 8: line numbers of the file); keep one") in err
    # a file without blank lines or quotes (read without pandas): the same numbers
    plain = tmp_path / "plain.csv"
    plain.write_text(f"path,emotion\n{ok_wav},happy\n{other},sad\n{ok_wav},angry\n")
    code, err = run_cli(capsys, "extract", "--set", "mfcc", plain, "-o", out, "-q")
    assert code == EXIT_USAGE and f"{plain}: the manifest lists" in err
    assert "(rows 2, 4: line numbers of the file)" in err
    # two manifests, and an input argument: each row named by its file (and line)
    more = tmp_path / "more.csv"
    more.write_text(f"path,emotion\n\n{ok_wav},calm\n")
    code, err = run_cli(capsys, "extract", "--set", "mfcc", manifest, more, ok_wav, "-o", out,
                        "-q")
    assert code == EXIT_USAGE
    assert (f"lists {ok_wav!r} 4 times with different labels ({manifest}:2, {manifest}:8, "
            f"{more}:3, the argument {ok_wav}); keep one") in err
    # the same rows in memory: positions, counting a header as 1
    frame = load_manifest(manifest, check_files=False)
    with pytest.raises(ValueError, match=r"2 times with different labels \(rows 2, 4 "
                                         r"counting the header as 1\)"):
        emofeat.extract(frame, "mfcc")


def test_segment_bounds_that_are_not_seconds_name_the_line_of_the_file(tmp_path, capsys,
                                                                          ok_wav):
    """A ``start``/``end`` cell that is not a number: exit 2 before anything runs, the row
    named by its line in the manifest (blank lines counted; it said "manifest row 3 (counting
    the header as 1)" for line 5 here); in memory, by its position."""
    manifest = tmp_path / "spans.csv"
    manifest.write_text(f"path,start,end\n{ok_wav},0,1\n\n\n{ok_wav},1,two\n")
    out = tmp_path / "o.parquet"
    code, err = run_cli(capsys, "extract", "--set", "mfcc", manifest, "-o", out, "-q")
    assert code == EXIT_USAGE and not out.exists()
    assert f"{manifest}:5: start/end must be seconds, got start=" in err and "end='two'" in err
    frame = load_manifest(manifest, check_files=False)
    with pytest.raises(ValueError, match=r"manifest row 3 \(counting the header as 1\): "
                                         r"start/end must be seconds"):
        emofeat.extract(frame, "mfcc")


# ------------------------------------------------------------------- sample rates
@pytest.mark.parametrize("rate", [float("nan"), float("inf"), -float("inf"), 0, -1, 0.5,
                                  16000.5, "fast", None])
def test_invalid_rates_are_sample_rate_errors(rate):
    y = np.full(SR, 0.1, np.float32)
    with pytest.raises(SampleRateError, match=r"<array 0>: invalid sample rate"):
        prepare_signal(y, rate, SR, source="<array 0>")
    with pytest.raises(SampleRateError, match=r"<array 0>: invalid sample rate"):
        get_extractor("mfcc").fit_transform([(y, rate)])


def test_whole_number_rates_of_any_type_are_taken():
    y = np.full(SR, 0.1, np.float32)
    for rate in (16000, 16000.0, np.int32(16000), np.float64(16000)):
        audio = prepare_signal(y, rate, None, source="s")
        assert audio.sr == audio.orig_sr == 16000 and type(audio.orig_sr) is int


def test_a_nan_rate_in_a_batch_is_recorded():
    from emofeat.runner import run

    y = np.full(SR, 0.1, np.float32)
    result = run([(y, float("nan")), (y, SR)], [get_extractor("mfcc")], on_error="record",
                 progress=False)
    assert result.errors.error_type.tolist() == ["SampleRateError"]
    assert result.errors.path.tolist() == ["<array 0>"] and len(result.table) == 1


# ----------------------------------------------------------- nothing to extract
@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "is empty (0 bytes)"),
    ("bom_only.txt", b"\xef\xbb\xbf", "has no texts"),
    ("header.csv", b"text,label\n", "has no rows, only a header"),
    ("blank.jsonl", b"\n\n", "has no records"),
])
def test_texts_with_nothing_to_extract_are_usage_errors(name, content, message, tmp_path,
                                                        capsys):
    path = tmp_path / name
    path.write_bytes(content)
    code, err, table, _ = extract(capsys, tmp_path, path)
    assert code == EXIT_USAGE and table is None
    assert str(path) in err and message in err and "up to date" not in err


@pytest.mark.parametrize("content, message", [
    ("path,speaker\n", "has no rows, only a header"),
    ("", "is empty (0 bytes)"),
])
def test_audio_manifests_with_nothing_to_extract_are_usage_errors(content, message, tmp_path,
                                                                  capsys):
    manifest = tmp_path / "m.csv"
    manifest.write_text(content)
    code, err, table, _ = extract(capsys, tmp_path, manifest, set_name="mfcc")
    assert code == EXIT_USAGE and table is None
    assert str(manifest) in err and message in err and "up to date" not in err


# ------------------------------------------ outputs that cannot be read: named, with why
# a parquet file damaged past its magic number (one that is no parquet file at all is never
# read nor replaced since session 52: test_batch_overwrite_foreign52)
@pytest.mark.parametrize("content, why", [(b"PAR1 damaged\n", "magic bytes"),
                                          (b"", "empty: 0 bytes")])
def test_an_output_that_is_not_parquet_is_named(tmp_path, capsys, ok_wav, content, why):
    """Before: pyarrow's message alone ('Parquet magic bytes not found in footer'), no file
    named; the file is left as it was."""
    out = tmp_path / "notpq.parquet"
    out.write_bytes(content)
    code, err = run_cli(capsys, "extract", ok_wav, "-o", out, "-q", "--set", "mfcc")
    assert code == EXIT_USAGE, err
    assert f"{out}: cannot read it as a parquet file" in err and why in err
    assert "--overwrite" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == content


def test_a_broken_part_of_a_dataset_is_named(tmp_path, capsys, ok_wav):
    """Before: 'Parquet file size is 5 bytes, ...' without saying which part; so in
    ``emofeat info`` of the folder too."""
    out = tmp_path / "ds"
    assert run_cli(capsys, "extract", ok_wav, "-o", out, "-q", "--set", "mfcc")[0] == EXIT_OK
    broken = out / "part-0000000005-aaaaaaaa.parquet"
    broken.write_bytes(b"hello")
    for args in (("extract", ok_wav, "-o", out, "-q", "--set", "mfcc"), ("info", out)):
        code, err = run_cli(capsys, *args)
        assert code == EXIT_USAGE, err
        assert f"{broken}: cannot read it as a parquet file (Parquet file size is 5" in err
        assert "move it away" in err


@needs_fifo
def test_info_of_a_named_pipe_says_what_it_is(tmp_path, capsys):
    """Before: the message was the name alone (and reading a pipe may block)."""
    fifo = tmp_path / "o_fifo"
    os.mkfifo(fifo)
    code, err = run_cli(capsys, "info", fifo)
    assert code == EXIT_USAGE
    assert f"{fifo}: not a regular file or folder" in err


def test_info_of_an_incomplete_dataset_warns_in_one_line(tmp_path, capsys, ok_wav):
    """IncompleteDatasetWarning as one line, as ``predict`` prints its warnings (before:
    Python's warning format, with the file, line number and source line of emofeat)."""
    other = tmp_path / "b.wav"
    other.write_bytes(Path(ok_wav).read_bytes())
    out = tmp_path / "ds"
    code, err = run_cli(capsys, "extract", ok_wav, other, "-o", out, "-q", "--set", "mfcc",
                        "--chunk-size", "1")
    assert code == EXIT_OK, err
    sorted(out.glob("part-*.parquet"))[-1].unlink()
    code, err = run_cli(capsys, "info", out)
    assert code == EXIT_OK
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("emofeat info: warning: ")
    assert "a part is missing" in lines[0] and "IncompleteDatasetWarning" not in err
