"""Manifests and folders as users hand them to ``emofeat extract``: CSVs saved by Excel
(a byte-order mark, ``;`` separators in European locales, CRLF line ends, a trailing empty
column, spaces around header names) and folders copied from a Mac (``._*`` resource forks).
Real RAVDESS/EmoDB recordings, the manifests written here."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from emofeat.datasets import load_manifest

ACTOR = ("speech", "ravdess", "Actor_01")


@pytest.fixture
def recordings(tmp_path):
    """Two real RAVDESS files, one with a space and a comma in its name, in ``tmp/audio``."""
    src = shared_path(*ACTOR)
    folder = tmp_path / "audio"
    folder.mkdir()
    a = folder / "take one, happy.flac"
    b = folder / "b.flac"
    shutil.copy(src / "03-01-03-01-01-01-01.flac", a)
    shutil.copy(src / "03-01-04-01-01-01-01.flac", b)
    return a, b


# what Excel writes: (header, row a, row b), joined by the separator, lines by CRLF
EXCEL = {
    # "CSV UTF-8 (Comma delimited)" in a German or French Windows: ";" and a BOM
    "semicolon-bom": ("\ufeffpath;emotion;speaker", '"audio/take one, happy.flac";happy;01',
                      "audio/b.flac;sad;01"),
    # a row ending in the separator: an empty column named by pandas "Unnamed: 3"
    "trailing-empty-column": ("path,emotion,speaker,", '"audio/take one, happy.flac",happy,01,',
                              "audio/b.flac,sad,01,"),
    "semicolon-trailing-empty-column": ("path;emotion;speaker;",
                                        '"audio/take one, happy.flac";happy;01;',
                                        "audio/b.flac;sad;01;"),
    # a header typed with spaces around the names
    "spaces-around-names": ("path , emotion , speaker", '"audio/take one, happy.flac",happy,01',
                            "audio/b.flac,sad,01"),
}


@pytest.mark.parametrize("kind", list(EXCEL))
def test_manifests_saved_by_excel_are_read(kind, recordings, tmp_path, capsys,
                                           monkeypatch):
    a, b = recordings
    manifest = tmp_path / "labels.csv"
    manifest.write_bytes("\r\n".join(EXCEL[kind]).encode("utf-8") + b"\r\n")
    expected = pd.DataFrame({"path": [str(a), str(b)], "emotion": ["happy", "sad"],
                             "speaker": ["01", "01"]})
    # the defect: "a manifest needs a 'path' column, found ['path;emotion;speaker']" (or
    # ['path ', ' emotion ', ...]), and the trailing column written as a float column of NaN
    frame = load_manifest(manifest)
    pd.testing.assert_frame_equal(frame.astype(object), expected.astype(object))
    monkeypatch.chdir(tmp_path / "audio")  # relative paths follow the manifest, not the cwd
    out = tmp_path / "features.parquet"
    assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(out)]) == EXIT_OK, \
        capsys.readouterr().err
    table = read_table(out).to_pandas()
    labels = [c for c in table.columns if c in ("path", "emotion", "speaker")
              or c.startswith("Unnamed")]
    pd.testing.assert_frame_equal(table[labels].astype(object), expected.astype(object))


# the last three: pandas renamed the second one "emotion.1", into the output unnoticed
@pytest.mark.parametrize("header", ["path,emotion, emotion", "path,emotion,emotion",
                                    "path;emotion;emotion", 'path,"emotion",emotion'])
def test_a_header_naming_a_column_twice_once_spaces_are_ignored_is_refused(header, recordings,
                                                                           tmp_path, capsys):
    sep = header[4]
    manifest = tmp_path / "labels.csv"
    manifest.write_text(f"{header}\naudio/b.flac{sep}sad{sep}happy\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels\.csv: the header names 1 column twice: "
                                         r"\['emotion'\]"):
        load_manifest(manifest)
    out = tmp_path / "features.parquet"
    assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(out)]) == EXIT_USAGE
    assert "labels.csv: the header names 1 column twice: ['emotion']" in \
        capsys.readouterr().err
    assert not out.exists()


def test_macos_resource_forks_in_a_folder_are_not_inputs(tmp_path, capsys):
    # a corpus copied from a Mac onto a FAT/exFAT disk or unpacked from its zip has a
    # "._name" AppleDouble file beside every recording: taken as inputs, each one is an
    # input that cannot be decoded, and the run exits 3
    src = shared_path("speech", "emodb")
    folder = tmp_path / "emodb"
    folder.mkdir()
    names = ["03a01Fa.flac", "03a01Nc.flac"]
    for name in names:
        shutil.copy(src / name, folder / name)
        (folder / f"._{name}").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "
                                           + bytes(4000))
    # a real recording whose name happens to start with "._" is still an input
    shutil.copy(src / "03a01Wa.flac", folder / "._03a01Wa.flac")
    out = tmp_path / "features.parquet"
    assert main(["extract", "--set", "mfcc", str(folder), "-o", str(out)]) == EXIT_OK, \
        capsys.readouterr().err
    assert "3 files under" in capsys.readouterr().err
    table = read_table(out).to_pandas()
    root = folder.resolve()
    assert table.path.tolist() == [str(root / n) for n in ["._03a01Wa.flac", *names]]
    assert not (tmp_path / "features.errors.csv").exists()


def _extract(manifest, out, capsys):
    code = main(["extract", "--set", "mfcc", str(manifest), "-o", str(out)])
    return code, capsys.readouterr().err


def test_a_tsv_manifest_of_audio_is_a_manifest(recordings, tmp_path, capsys):
    a, b = recordings
    manifest = tmp_path / "labels.tsv"
    manifest.write_text(f"path\temotion\tspeaker\naudio/{a.name}\thappy\t01\n", encoding="utf-8")
    # the defect: the TSV was an input file that could not be decoded (exit 3)
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_OK, err
    table = read_table(tmp_path / "f.parquet").to_pandas()
    assert table[["path", "emotion", "speaker"]].values.tolist() == [[str(a), "happy", "01"]]


def test_a_utf16_audio_manifest_with_a_bom_is_decoded(recordings, tmp_path, capsys):
    # Excel's "Unicode" CSV; the text manifests were decoded, the audio ones "can't decode
    # byte 0xff"
    a, b = recordings
    manifest = tmp_path / "labels.csv"
    manifest.write_bytes("path,emotion\naudio/b.flac,sad\n".encode("utf-16"))
    assert load_manifest(manifest).values.tolist() == [[str(b), "sad"]]
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_OK, err
    assert read_table(tmp_path / "f.parquet").to_pandas().emotion.tolist() == ["sad"]


def test_a_cp1252_manifest_names_the_line_and_says_save_as_utf8(recordings, tmp_path, capsys):
    # Excel's plain "CSV (Comma delimited)" on Windows writes cp1252: "ü" is the byte 0xfc
    a, b = recordings
    (tmp_path / "audio" / "grüße.flac").write_bytes(b.read_bytes())
    manifest = tmp_path / "labels.csv"
    manifest.write_bytes("path,emotion\naudio/b.flac,sad\naudio/grüße.flac,happy\n"
                         .encode("cp1252"))
    message = (f"{manifest} is not UTF-8: line 3 has the byte 0xfc; save it as UTF-8 "
               "(Excel: \"CSV UTF-8\")")
    with pytest.raises(ValueError) as info:
        load_manifest(manifest)
    assert str(info.value) == message
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_USAGE and message in err  # was: 'utf-8' codec can't decode ... 4


def test_a_tilde_in_a_manifest_path_is_the_home_folder(recordings, tmp_path, capsys,
                                                       monkeypatch):
    a, b = recordings
    monkeypatch.setenv("HOME", str(tmp_path))
    elsewhere = tmp_path / "lists"
    elsewhere.mkdir()
    manifest = elsewhere / "labels.csv"
    manifest.write_text("path,emotion\n~/audio/b.flac,sad\n", encoding="utf-8")
    home_b = str(tmp_path / "audio" / "b.flac")
    # was joined with the manifest's folder: lists/~/audio/b.flac, no such file (exit 3)
    assert load_manifest(manifest).path.tolist() == [home_b]
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_OK, err
    assert read_table(tmp_path / "f.parquet").to_pandas().path.tolist() == [home_b]


@pytest.mark.parametrize("header", ["text;label_name", "text ; label_name ;"])
def test_a_text_manifest_saved_by_excel_is_read(header, tmp_path, capsys):
    # CARER's own lines (text;label_name) re-saved by a European Excel as "CSV UTF-8": a BOM,
    # CRLF, and with a trailing ";" when an empty column was selected
    lines = shared_path("text", "carer", "test.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.split(";") for line in lines[1:6]]
    end = ";" if header.endswith(";") else ""
    manifest = tmp_path / "texts.csv"
    manifest.write_bytes(("\ufeff" + "\r\n".join([header] + [";".join(r) + end for r in rows])
                          + "\r\n").encode("utf-8"))
    out = tmp_path / "f.parquet"
    # the defect: "texts.csv has no 'text' column (columns: text;label_name)", exit 2
    assert main(["extract", "--set", "text_surface", str(manifest), "-o", str(out)]) == EXIT_OK, \
        capsys.readouterr().err
    table = read_table(out).to_pandas()
    assert [c for c in table.columns if not c.startswith("text_surface")] == \
        ["text", "label_name"]
    assert table[["text", "label_name"]].values.tolist() == rows


def test_a_manifest_given_to_the_python_api_as_an_input_says_how_to_read_it(recordings,
                                                                           tmp_path):
    import emofeat
    from emofeat.errors import AudioReadError

    a, b = recordings
    manifest = tmp_path / "labels.csv"
    manifest.write_text("path,emotion\naudio/b.flac,sad\n", encoding="utf-8")
    # was only libsndfile's "Format not recognised"
    with pytest.raises(AudioReadError, match=r"labels\.csv: cannot decode audio .*; a manifest "
                                             r"is read with emofeat\.datasets\.load_manifest"):
        emofeat.extract([str(manifest)], sets="mfcc")
    table = emofeat.extract(load_manifest(manifest), sets="mfcc")
    frame = table.to_pandas() if hasattr(table, "to_pandas") else table
    assert frame[["path", "emotion"]].values.tolist() == [[str(b), "sad"]]


def test_a_windows_path_in_a_manifest_says_so(recordings, tmp_path, capsys):
    a, b = recordings
    manifest = tmp_path / "labels.csv"
    manifest.write_text("path,emotion\naudio\\b.flac,sad\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(out)]) == EXIT_SOME_FAILED
    errors = pd.read_csv(tmp_path / "f.errors.csv")
    # was "no such file" only: the name looks right in an editor
    assert errors[["path", "message"]].values.tolist() == [[
        str(tmp_path / "audio\\b.flac"),
        f"no such file (a Windows path? {b} exists: write / between folders)"]]


def test_a_relative_path_starting_with_a_tilde_is_beside_the_manifest(recordings, tmp_path,
                                                                      capsys, monkeypatch):
    # "~take2.flac" names no user: it is a file beside the manifest (Path.expanduser would
    # raise "Could not determine home directory"); "~/" stays home
    a, b = recordings
    monkeypatch.setenv("HOME", str(tmp_path))
    take2 = tmp_path / "audio" / "~take2.flac"
    take2.write_bytes(b.read_bytes())
    manifest = tmp_path / "audio" / "labels.csv"
    manifest.write_text("path,emotion\n~take2.flac,sad\n~/audio/b.flac,sad\n", encoding="utf-8")
    expected = [str(take2.resolve()), str(tmp_path / "audio" / "b.flac")]
    assert load_manifest(manifest).path.tolist() == expected
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_OK, err
    assert read_table(tmp_path / "f.parquet").to_pandas().path.tolist() == expected


_APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(4000)


def test_macos_resource_forks_in_a_ravdess_copy_are_neither_files_nor_warned_of(tmp_path):
    # a RAVDESS actor folder copied from a Mac: "._03-01-...flac" beside every recording;
    # load_ravdess named each in a SkippedFileWarning as "not named like ..."
    import warnings

    from emofeat.datasets import SkippedFileWarning, load_ravdess

    folder = tmp_path / "Actor_01"
    shutil.copytree(shared_path(*ACTOR), folder)
    plain = load_ravdess(tmp_path)
    for f in sorted(folder.iterdir()):
        (folder / f"._{f.name}").write_bytes(_APPLE_DOUBLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SkippedFileWarning)
        forked = load_ravdess(tmp_path)
    pd.testing.assert_frame_equal(forked, plain)
    assert len(plain) == 60


def test_macos_resource_forks_in_a_muse_copy_are_not_warned_of(tmp_path):
    import warnings

    from emofeat.datasets import SkippedFileWarning
    from emofeat.datasets.eeg_corpora import load_muse_mental_state

    src = shared_path("eeg", "muse_mental_state")
    names = sorted(f.name for f in src.glob("*.csv"))[:3]
    for name in names:
        (tmp_path / name).symlink_to(src / name)
    plain = load_muse_mental_state(tmp_path)
    for name in names:
        (tmp_path / f"._{name}").write_bytes(_APPLE_DOUBLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SkippedFileWarning)
        forked = load_muse_mental_state(tmp_path)
    pd.testing.assert_frame_equal(forked, plain)


# ";" manifests whose header holds a comma only inside quotes, or follows a blank line
SEMICOLON = {
    "quoted-comma-in-a-name": ('path;"valence, arousal"\n"audio/take one, happy.flac";high\n'
                               "audio/b.flac;low\n", "valence, arousal"),
    "blank-first-line": ('\npath;level\n"audio/take one, happy.flac";high\naudio/b.flac;low\n',
                         "level"),
    "blank-lines-then-bom-less-crlf": ('\r\n  \r\npath;level\r\n'
                                       '"audio/take one, happy.flac";high\r\n'
                                       "audio/b.flac;low\r\n", "level"),
}


@pytest.mark.parametrize("kind", list(SEMICOLON))
def test_semicolon_manifests_with_a_comma_in_a_quoted_name_or_a_blank_first_line(
        kind, recordings, tmp_path, capsys):
    a, b = recordings
    text, column = SEMICOLON[kind]
    manifest = tmp_path / "labels.csv"
    manifest.write_bytes(text.encode("utf-8"))
    # was read with ",": "a manifest needs a 'path' column, found ['path;\"valence', ...]"
    frame = load_manifest(manifest)
    assert frame.values.tolist() == [[str(a), "high"], [str(b), "low"]]
    assert frame.columns.tolist() == ["path", column]
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_OK, err
    assert read_table(tmp_path / "f.parquet").to_pandas()[column].tolist() == ["high", "low"]


def test_a_tsv_manifest_with_commas_in_its_header_is_tab_separated(recordings, tmp_path):
    a, b = recordings
    manifest = tmp_path / "labels.tsv"
    manifest.write_text("path\tvalence, arousal\naudio/b.flac\tlow\n", encoding="utf-8")
    frame = load_manifest(manifest)
    assert frame.columns.tolist() == ["path", "valence, arousal"]
    assert frame.values.tolist() == [[str(b), "low"]]


def test_a_text_manifest_naming_a_column_twice_is_refused(tmp_path, capsys):
    manifest = tmp_path / "texts.csv"
    manifest.write_text("text,label,label\nI am glad,joy,joy\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "--set", "text_surface", str(manifest), "-o", str(out)]) == \
        EXIT_USAGE
    assert "the header names 1 column twice: ['label']" in capsys.readouterr().err


def test_a_utf16_manifest_without_a_bom_is_refused_naming_it(recordings, tmp_path, capsys):
    # was: "a manifest needs a 'path' column, found ['p\x00a\x00t\x00h\x00', ...]"
    manifest = tmp_path / "labels.csv"
    manifest.write_bytes("path,emotion\naudio/b.flac,sad\n".encode("utf-16-le"))
    with pytest.raises(ValueError, match=r"labels\.csv: it looks like UTF-16 or UTF-32 "
                                         r"without a byte-order mark"):
        load_manifest(manifest)
    code, err = _extract(manifest, tmp_path / "f.parquet", capsys)
    assert code == EXIT_USAGE and "it looks like UTF-16 or UTF-32 without a byte-order" in err


# ------------------------------------------------------- JSON-lines manifests of audio
@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".json"])
def test_a_json_lines_manifest_of_audio_gives_the_csv_manifests_table(suffix, recordings,
                                                                      tmp_path, capsys,
                                                                      monkeypatch):
    # HuggingFace datasets' to_json and label tools hand JSON lines: the defect was that the
    # file was an audio input that could not be decoded (exit 3)
    a, b = recordings
    monkeypatch.setenv("HOME", str(tmp_path))
    csv = tmp_path / "labels.csv"
    csv.write_text(f'path,emotion,speaker\n"audio/{a.name}",happy,01\n~/audio/b.flac,sad,01\n',
                   encoding="utf-8")
    jl = tmp_path / f"labels{suffix}"
    jl.write_text(json.dumps({"path": f"audio/{a.name}", "emotion": "happy", "speaker": "01"})
                  + "\n\n" + json.dumps({"emotion": "sad", "path": "~/audio/b.flac",
                                         "speaker": "01"}) + "\n", encoding="utf-8")
    pd.testing.assert_frame_equal(load_manifest(jl), load_manifest(csv))
    code, err = _extract(csv, tmp_path / "csv.parquet", capsys)
    assert code == EXIT_OK, err
    code, err = _extract(jl, tmp_path / "jl.parquet", capsys)
    assert code == EXIT_OK, err
    by_csv = read_table(tmp_path / "csv.parquet").to_pandas()
    by_jl = read_table(tmp_path / "jl.parquet").to_pandas()
    pd.testing.assert_frame_equal(by_jl, by_csv)
    assert by_jl[["path", "emotion", "speaker"]].values.tolist() == [
        [str(a), "happy", "01"], [str(b), "sad", "01"]]


def test_a_json_lines_manifest_of_audio_takes_input_column_and_lists(recordings, tmp_path,
                                                                    capsys):
    # a HuggingFace export: the file under "audio", multi-label ids as a JSON array
    a, b = recordings
    jl = tmp_path / "train.jsonl"
    jl.write_text(json.dumps({"audio": str(b), "labels": [3, 27], "speaker": 1}) + "\n",
                  encoding="utf-8")
    out = tmp_path / "f.parquet"
    code = main(["extract", "--set", "mfcc", str(jl), "--input-column", "audio", "-o",
                 str(out), "-q"])
    assert code == EXIT_OK, capsys.readouterr().err
    table = read_table(out).to_pandas()
    assert table.audio.tolist() == [str(b)] and table.speaker.tolist() == [1]
    assert [list(v) for v in table.labels] == [[3, 27]]


def _json_words(line: str) -> str:
    """Python's own words for a line its json module cannot read, as the message quotes them:
    they change between versions (a trailing comma: "Expecting property name enclosed in
    double quotes at column 25" up to 3.12, "Illegal trailing comma before end of object at
    column 24" from 3.13)."""
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        return f"{exc.msg} at column {exc.colno}"
    raise AssertionError(f"{line!r} is valid JSON")


JSON_LINES_ERRORS = {
    "empty-path": ('{"path": "audio/b.flac"}\n\n{"path": null}\n{"path": ""}\n',
                   "empty 'path' cell in 2 rows: 3, 4 (line numbers of the file)"),
    "no-path-column": ('{"file": "audio/b.flac"}\n',
                       "a manifest needs a 'path' column, found ['file']"),
    "number-path": ('{"path": "audio/b.flac"}\n{"path": 7}\n',
                    "line 2: 'path' is number 7, not a file path (a JSON string)"),
    "not-json": ('{"path": "audio/b.flac"}\n{"path": "audio/b.flac",}\n',
                 "line 2: " + _json_words('{"path": "audio/b.flac",}')),
    "not-an-object": ('{"path": "audio/b.flac"}\n"audio/b.flac"\n',
                      "line 2: expected a JSON object, got str"),
    "json-array": ('[{"path": "audio/b.flac"}]\n',
                   "line 1: expected a JSON object, got list; a JSON array is not JSON lines"),
    "mixed-types": ('{"path": "audio/b.flac", "speaker": 1}\n'
                    '{"path": "audio/take one, happy.flac", "speaker": "x"}\n',
                    "the column 'speaker' holds numbers (line 1: 1) and strings (line 2: 'x')"),
    "different-labels": ('{"path": "audio/b.flac", "emotion": "sad"}\n\n'
                         '{"path": "audio/b.flac", "emotion": "happy"}\n',
                         "lists '{b}' 2 times with different labels (rows 1, 3: line numbers"),
    "no-records": ("\n\n", "has no records"),
    # to_json(indent=2) or a hand-written file: "Expecting property name ... column 3" only
    "pretty-printed-object": (json.dumps({"path": "audio/b.flac"}, indent=2) + "\n",
                              "line 1: Expecting property name enclosed in double quotes at "
                              "column 2; the file is one JSON object over several lines, not "
                              "JSON lines"),
    "pretty-printed-array": (json.dumps([{"path": "audio/b.flac"}], indent=2),
                             "line 1: Expecting value at column 2; a JSON array is not JSON "
                             "lines"),
}


@pytest.mark.parametrize("kind", list(JSON_LINES_ERRORS))
def test_bad_json_lines_manifests_of_audio_are_usage_errors_naming_file_and_line(
        kind, recordings, tmp_path, capsys):
    text, message = JSON_LINES_ERRORS[kind]
    (jl := tmp_path / "labels.jsonl").write_text(text, encoding="utf-8")
    out = tmp_path / "f.parquet"
    code, err = _extract(jl, out, capsys)
    b = recordings[1]
    assert code == EXIT_USAGE, err
    assert str(jl) in err and message.format(b=b) in err, err
    assert "Traceback" not in err and not out.exists()


def test_a_text_json_lines_column_mixing_types_names_it(tmp_path, capsys):
    # GoEmotions lines with an id typed as a number on one line and a string on another:
    # the run failed at its end, "Could not convert 'x' with type str: tried to convert to
    # int64", naming neither the file nor the column
    rows = [line.split("\t") for line in shared_path("text", "goemotions", "test.tsv")
            .read_text(encoding="utf-8").splitlines()[:2]]
    jl = tmp_path / "texts.jsonl"
    jl.write_text(json.dumps({"text": rows[0][0], "id": 1}) + "\n"
                  + json.dumps({"text": rows[1][0], "id": rows[1][2]}) + "\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "--set", "text_surface", str(jl), "-o", str(out), "-q"]) == \
        EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{jl}: the column 'id' holds numbers (line 1: 1) and strings (line 2: " in err


def test_an_ndjson_text_manifest_is_json_lines(tmp_path, capsys):
    # ".ndjson" was read as a plain text file: each JSON line was one text
    texts = [line.split("\t")[0] for line in shared_path("text", "goemotions", "test.tsv")
             .read_text(encoding="utf-8").splitlines()[:3]]
    nd = tmp_path / "texts.ndjson"
    nd.write_text("".join(json.dumps({"text": t, "n": i}) + "\n" for i, t in enumerate(texts)),
                  encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "--set", "text_surface", str(nd), "-o", str(out), "-q"]) == \
        EXIT_OK, capsys.readouterr().err
    table = read_table(out).to_pandas()
    assert table.text.tolist() == texts and table.n.tolist() == [0, 1, 2]


def test_a_manifest_that_cannot_be_read_says_so(recordings, tmp_path, capsys, monkeypatch):
    # no permission to read it (simulated: the tests may run as root): main() reported
    # "cannot write labels.jsonl: Permission denied"
    import errno

    import emofeat.datasets

    jl = tmp_path / "labels.jsonl"
    jl.write_text(json.dumps({"path": "audio/b.flac"}) + "\n", encoding="utf-8")

    def denied(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(emofeat.datasets, "json_lines", denied)
    code, err = _extract(jl, tmp_path / "f.parquet", capsys)
    assert code == EXIT_USAGE
    assert f"cannot read manifest {jl}: Permission denied" in err


def test_a_huggingface_audio_object_says_to_flatten_it(recordings, tmp_path, capsys):
    # datasets' Audio column exported: {"path": ..., "array": [...], "sampling_rate": ...};
    # the message printed every sample of the array
    a, b = recordings
    record = {"audio": {"path": str(b), "array": [0.0] * 5000, "sampling_rate": 16000},
              "label": 3}
    jl = tmp_path / "train.jsonl"
    jl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "--set", "mfcc", str(jl), "--input-column", "audio", "-o",
                 str(out), "-q"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{jl}: line 1: 'audio' is object {{'path': " in err
    assert "(its 'path' key is the file: flatten it to a 'audio' string)" in err
    assert len(err) < 400 and not out.exists()
