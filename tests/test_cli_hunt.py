"""Commands as users type them, each case a defect found in a bug hunt: a quoted ``~``,
options that contradicted each other and were silently ignored, outputs named like folders
or like someone's file, and mistakes that ended in a traceback (exit 1) or were run anyway.
Real RAVDESS recordings (the bundled sample and the shared corpus)."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import EXIT_OK, EXIT_USAGE, main

RECORDING = ("speech", "ravdess", "Actor_01", "03-01-03-01-01-01-01.flac")


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    """MFCC functionals of 16 files of the bundled sample (4 speakers, 8 emotions), by the
    command."""
    from emofeat.datasets import load_sample

    folder = tmp_path_factory.mktemp("features")
    sample = load_sample()
    rows = sample.iloc[::15]
    manifest = folder / "labels.csv"
    rows[["path", "speaker", "emotion"]].to_csv(manifest, index=False)
    out = folder / "features.parquet"
    assert main(["extract", str(manifest), "-o", str(out), "-q"]) == EXIT_OK
    return out


def _err(capsys) -> str:
    return capsys.readouterr().err


# ------------------------------------------------------- a ~ the shell left as it is
@pytest.mark.parametrize("form", ["-o", "--output="])
def test_a_quoted_tilde_is_the_home_folder_as_in_a_manifest(form, tmp_path, monkeypatch,
                                                            capsys):
    # emofeat extract '~/in.flac' -o '~/out.parquet', or --output=~/out.parquet (bash leaves
    # a ~ after "=" as it is): the output went to a folder named "~" in the current one, and
    # the input was "no such file or folder"
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    shutil.copy(shared_path(*RECORDING), home / "in.flac")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    out = ["-o", "~/out.parquet"] if form == "-o" else ["--output=~/out.parquet"]
    assert main(["extract", "~/in.flac", *out, "-q"]) == EXIT_OK, _err(capsys)
    assert read_table(home / "out.parquet").to_pandas().path.tolist() == [
        str(home / "in.flac")]
    assert list(cwd.iterdir()) == []
    assert main(["info", "~/out.parquet"]) == EXIT_OK
    assert "1 row x" in capsys.readouterr().out


def test_a_tilde_naming_no_user_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["extract", "~nosuchuser42/in.flac", "-o", "out.parquet", "-q"])
    assert code == EXIT_USAGE
    assert ("~nosuchuser42/in.flac: no such file or folder (no user is named 'nosuchuser42': "
            "~ is a home folder as ~/ or ~user/") in _err(capsys)


def test_a_tilde_in_a_lexicon_path_of_param_is_the_home_folder(tmp_path, monkeypatch, capsys):
    # --param "lexicons=('vader',('nrc_emolex','~/emolex.txt'))": the path reached the set
    # as typed, "lexicon file not found: ~/emolex.txt" (exit 2); read as -o and the inputs
    # read it, the file in the home folder (the real NRC EmoLex)
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    lexicon = home / "emolex.txt"
    shutil.copy(shared_path("lexicons", "nrc_emolex", "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"),
                lexicon)
    texts = cwd / "texts.txt"
    texts.write_text("I am so happy and grateful today\nThis is a terrible, sad loss\n",
                     encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    tables = {}
    for name, path in (("tilde", "~/emolex.txt"), ("absolute", str(lexicon))):
        code = main(["extract", str(texts), "--set", "lexicon", "-o", f"{name}.parquet", "-q",
                     "--param", f"lexicons=('vader',('nrc_emolex',{path!r}))"])
        assert code == EXIT_OK, _err(capsys)
        tables[name] = read_table(cwd / f"{name}.parquet")
    tilde, absolute = tables["tilde"], tables["absolute"]
    assert any(n.startswith("lexicon_nrc_emolex_joy") for n in tilde.feature_names)
    assert tilde.feature_names == absolute.feature_names
    np.testing.assert_array_equal(tilde.X, absolute.X)
    # the provenance names the file read, and its content, as for the absolute path
    files = tilde.provenance["sets"][0]["files"]
    assert list(files) == [str(lexicon)] and files == absolute.provenance["sets"][0]["files"]
    assert list(home.iterdir()) == [lexicon]


@pytest.mark.parametrize("value", ["3", "None"])
def test_lexicons_that_are_no_list_are_still_a_usage_error(value, tmp_path, capsys):
    # looking for the files of --param lexicons=3 to read a ~ in was a TypeError (exit 1)
    texts = tmp_path / "texts.txt"
    texts.write_text("I am so happy today\n", encoding="utf-8")
    code = main(["extract", str(texts), "--set", "lexicon", "-o", str(tmp_path / "f.parquet"),
                 "-q", "--param", f"lexicons={value}"])
    assert code == EXIT_USAGE
    assert f"lexicons must be a list of lexicon specs, got {value}" in _err(capsys)


def test_a_list_of_files_in_a_txt_is_a_usage_error_for_audio(tmp_path, capsys):
    # a list of recordings, one a line: it was an input that could not be decoded (exit 3)
    listed = tmp_path / "files.txt"
    listed.write_text(f"{shared_path(*RECORDING)}\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", str(listed), "-o", str(out), "-q"]) == EXIT_USAGE
    assert (f"{listed}: a .txt file is no audio input (a .txt is read by text sets, one text "
            "a line); to list audio files give a manifest (CSV, TSV or JSON lines) with a "
            "'path' column") in _err(capsys)
    assert not out.exists()


# ------------------------------------------------------- options ignored or contradicting
def test_chunk_size_below_one_is_a_usage_error(tmp_path, capsys):
    # --chunk-size 0 and -3 were taken (shards of one input each), not refused
    for value in ("0", "-3"):
        with pytest.raises(SystemExit) as info:
            main(["extract", str(shared_path(*RECORDING)), "-o", str(tmp_path / "f.parquet"),
                  "--chunk-size", value])
        assert info.value.code == EXIT_USAGE
        assert f"argument --chunk-size: expected 1 or more, got {int(value)}" in _err(capsys)
    assert not (tmp_path / "f.parquet").exists()


def test_a_scheduler_with_another_backend_is_refused(tmp_path, capsys):
    # the scheduler won and --backend loky was silently ignored (here: 30 s trying to reach
    # the cluster)
    code = main(["extract", str(shared_path(*RECORDING)), "-o", str(tmp_path / "f.parquet"),
                 "--backend", "loky", "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert code == EXIT_USAGE
    assert "--scheduler runs the inputs on a Dask cluster, not with --backend loky" in \
        _err(capsys)


@pytest.mark.parametrize("address", ["", "  "])
def test_an_empty_scheduler_address_is_a_usage_error(tmp_path, capsys, address):
    # "--scheduler ''" listed the inputs, started the run and ended in Dask's own message,
    # "missing port number in address ''", which named no option
    with pytest.raises(SystemExit) as info:
        main(["extract", str(shared_path(*RECORDING)), "-o", str(tmp_path / "f.parquet"),
              "--scheduler", address, "-q"])
    assert info.value.code == EXIT_USAGE
    assert (f"argument --scheduler: expected a Dask scheduler address (tcp://host:8786), "
            f"got {address!r}") in _err(capsys)
    assert not (tmp_path / "f.parquet").exists()


def test_a_folder_output_with_format_file_is_refused(tmp_path, capsys):
    # "-o out/ --format file" wrote one parquet file named "out"
    out = tmp_path / "out"
    code = main(["extract", str(shared_path(*RECORDING)), "-o", f"{out}/", "--format", "file",
                 "-q"])
    assert code == EXIT_USAGE
    assert "names a folder, and --format file writes one file" in _err(capsys)
    assert not out.exists()


def test_warmup_of_a_set_of_another_modality_is_refused(capsys):
    # --modality eeg was ignored and the audio set compiled
    assert main(["warmup", "--modality", "eeg", "--set", "mfcc"]) == EXIT_USAGE
    assert "--set mfcc is a set of audio, not of --modality eeg" in _err(capsys)


@pytest.mark.parametrize("command", ["extract", "train", "predict"])
def test_standard_output_is_no_output(command, features, tmp_path, monkeypatch, capsys):
    # "-o -" wrote a dataset folder (extract) or a file (train, predict) named "-"
    monkeypatch.chdir(tmp_path)
    args = {"extract": [str(shared_path(*RECORDING))],
            "train": [str(features), "--target", "emotion"],
            "predict": [str(tmp_path / "m.joblib"), str(features)]}[command]
    with pytest.raises(SystemExit) as info:
        main([command, *args, "-o", "-"])
    assert info.value.code == EXIT_USAGE
    assert "argument -o/--output: '-' (standard output) is not an output here" in _err(capsys)
    assert list(tmp_path.iterdir()) == []


def test_folds_with_a_leave_one_group_out_protocol_is_refused(features, capsys):
    # --folds 10 with the default protocol (loso) ran leave-one-speaker-out, ignoring it
    assert main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
                 "--folds", "10", "-q"]) == EXIT_USAGE
    assert "--folds 10: --protocol loso (the default) holds out one group a fold" in _err(capsys)
    assert main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
                 "--protocol", "group_kfold", "--folds", "2", "-q"]) == EXIT_OK


# ------------------------------------------------------- demo: mistakes before the work
@pytest.mark.parametrize("args, message", [
    (["--model", "svr"], "--model svr: not a classifier; choose from knn, linear_svm"),
    (["-j", "0"], "-j 0 has no meaning; use -j 1 for one process"),
])
def test_demo_refuses_a_bad_model_or_job_count_before_extracting(args, message, tmp_path,
                                                                  capsys):
    # both were a traceback (exit 1), the bad model after the whole extraction
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "-q", *args]) == EXIT_USAGE
    err = _err(capsys)
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_demo_into_a_file_is_a_usage_error(tmp_path, capsys):
    # FileExistsError, a traceback asking to report a bug (exit 1)
    afile = tmp_path / "notes.txt"
    afile.write_text("mine\n", encoding="utf-8")
    assert main(["demo", "--out", str(afile), "-q"]) == EXIT_USAGE
    assert "--out" in _err(capsys) and afile.read_text(encoding="utf-8") == "mine\n"


# ------------------------------------------------------- train/predict outputs
def test_train_does_not_replace_a_file_that_is_not_a_model(features, tmp_path, capsys):
    # "-o labels.csv" (a typo) replaced the labels with a pickle
    labels = tmp_path / "labels.csv"
    labels.write_text("path,emotion\na.wav,sad\n", encoding="utf-8")
    code = main(["train", str(features), "--target", "emotion", "-o", str(labels)])
    assert code == EXIT_USAGE
    assert "exists and is not a model file emofeat wrote: not replacing it" in _err(capsys)
    assert labels.read_text(encoding="utf-8") == "path,emotion\na.wav,sad\n"
    model = tmp_path / "m.joblib"
    for _ in range(2):  # its own model is replaced
        assert main(["train", str(features), "--target", "emotion", "-o", str(model)]) == \
            EXIT_OK, _err(capsys)


@pytest.mark.parametrize("command", ["train", "predict"])
def test_an_output_named_like_a_folder_is_refused(command, features, tmp_path, capsys):
    # "-o models/" wrote a file named "models"
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "-o", str(model)]) == EXIT_OK
    args = ([str(features), "--target", "emotion"] if command == "train"
            else [str(model), str(features)])
    out = tmp_path / "results"
    assert main([command, *args, "-o", f"{out}/"]) == EXIT_USAGE
    assert f"-o {out}/ names a folder; give a file name" in _err(capsys)
    assert not out.exists()


def test_predict_replaces_only_predictions(features, tmp_path, capsys):
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "-o", str(model)]) == EXIT_OK
    other = tmp_path / "other.parquet"  # another feature table, and a labels CSV
    shutil.copy(features, other)
    labels = tmp_path / "labels.csv"
    labels.write_text("path,emotion\na.wav,sad\n", encoding="utf-8")
    for victim in (other, labels):
        before = victim.read_bytes()
        assert main(["predict", str(model), str(features), "-o", str(victim)]) == EXIT_USAGE
        assert "is not a predictions table emofeat wrote: not replacing it" in _err(capsys)
        assert victim.read_bytes() == before
    for name in ("p.csv", "p.parquet"):  # its own predictions are replaced
        for _ in range(2):
            assert main(["predict", str(model), str(features), "-o", str(tmp_path / name)]) \
                == EXIT_OK, _err(capsys)
    assert len(pd.read_csv(tmp_path / "p.csv")) == 16


# ------------------------------------------------------- help text
def _subparsers():
    from emofeat.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sub.choices


def test_help_states_the_defaults_the_parser_has():
    import re

    checked = 0
    for command, parser in _subparsers().items():
        for action in parser._actions:
            m = re.search(r"\bdefault:? ([\w.]+)[);]", action.help or "")
            if m is None or action.default is None:
                continue  # a default described in words ("default: --segment, no overlap")
            said, has = m.group(1), action.default
            same = (float(said) == float(has) if isinstance(has, int | float)
                    else said == str(has))
            assert same, f"{command} {action.option_strings}: help says {said}, default {has}"
            checked += 1
    assert checked >= 8
    # train shuffles no folds and permutes nothing: its --seed seeds the model only
    (seed,) = [a for a in _subparsers()["train"]._actions if a.dest == "seed"]
    assert "fold" not in seed.help and "permutation" not in seed.help


# ------------------------------------------------------- segment manifests
def test_a_bound_that_is_no_number_names_the_rows_input_not_its_first_column(tmp_path,
                                                                              capsys):
    # "got start='abc', end=2 for 'happy'": the manifest's first column, a label
    import emofeat
    from emofeat.datasets import load_manifest

    wav = shared_path(*RECORDING)
    manifest = tmp_path / "spans.csv"
    manifest.write_text(f"emotion,path,start,end\nhappy,{wav},0,1\nsad,{wav},abc,2\n",
                        encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", str(manifest), "-o", str(out), "-q"]) == EXIT_USAGE
    assert (f"{manifest}:3: start/end must be seconds, got start='abc', end=2 for {str(wav)!r}"
            in _err(capsys))
    with pytest.raises(ValueError, match=r"got start='abc', end=2 for '/.*\.flac'"):
        emofeat.extract(load_manifest(manifest, check_files=False), "mfcc")


@pytest.mark.parametrize("args, message", [
    (["--segment", "1s", "--hop", "0"], "--hop 0: a duration must be a positive, finite "
                                        "number of seconds, got '0'"),
    (["--segment", "1e400"], "--segment 1e400: a duration must be a positive, finite number "
                             "of seconds"),  # infinite: "must be positive" only
    (["--segment", "3 sec", "--hop", "1 hour"], "--hop 1 hour: not a duration"),
])
def test_a_bad_window_option_is_named(args, message, tmp_path, capsys):
    # "emofeat: a duration must be positive, got '0'": --segment or --hop?
    out = tmp_path / "f.parquet"
    assert main(["extract", str(shared_path(*RECORDING)), "-o", str(out), *args]) == EXIT_USAGE
    assert message in _err(capsys) and not out.exists()


# ------------------------------------------------------- --param
@pytest.mark.parametrize("args, message", [
    # Python's "MFCC.__init__() got an unexpected keyword argument 'n_mfc'"
    (["--param", "n_mfc=20"], "--param n_mfc: the set 'mfcc' has no parameter 'n_mfc'; did "
                              "you mean n_mfcc"),
    (["--set", "mfcc,prosody", "--param", "prosody.n_mfcc=20"],
     "--param prosody.n_mfcc: the set 'prosody' has no parameter 'n_mfcc'"),
    (["--set", "mfcc,prosody", "--param", "zzz=1"],
     "--param zzz: none of the sets mfcc, prosody has a parameter 'zzz'"),
    # a traceback: get_extractor() got multiple values for keyword argument 'level'
    (["--param", "level=lld"], "--param level: the level is chosen with --level"),
])
def test_a_parameter_no_set_has_is_named_with_its_likely_spelling(args, message, tmp_path,
                                                                   capsys):
    out = tmp_path / "f.parquet"
    assert main(["extract", str(shared_path(*RECORDING)), "-o", str(out), "-q", *args]) == \
        EXIT_USAGE
    err = _err(capsys)
    assert message in err and "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("command", ["extract", "evaluate"])
def test_minus_j_zero_is_named_by_its_option(command, features, tmp_path, capsys):
    # extract said "n_jobs == 0 has no meaning" (the Python name), evaluate joblib's
    # "n_jobs == 0 in Parallel has no meaning"
    args = ([str(shared_path(*RECORDING)), "-o", str(tmp_path / "f.parquet")]
            if command == "extract" else [str(features), "--target", "emotion", "--groups",
                                          "speaker"])
    assert main([command, *args, "-j", "0", "-q"]) == EXIT_USAGE
    assert f"emofeat{' evaluate' if command == 'evaluate' else ''}: -j 0 has no meaning; use " \
           "-j 1 for one process or -j -1 for all cores" in _err(capsys)


@pytest.mark.parametrize("option, value, message", [
    ("--folds", "1", "argument --folds: expected 2 or more folds, got 1"),  # "n_splits must"
    ("--max-frames", "0", "argument --max-frames: expected 1 or more, got 0"),  # "frames per
    ("--max-test-frames", "-2", "argument --max-test-frames: expected 1 or more, got -2"),
])
def test_evaluate_counts_below_their_least_are_named_by_their_option(option, value, message,
                                                                     features, capsys):
    with pytest.raises(SystemExit) as info:
        main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
              "--protocol", "group_kfold", "--pool", "path", option, value, "-q"])
    assert info.value.code == EXIT_USAGE and message in _err(capsys)


# ------------------------------------------------------- text sets given other inputs
def test_a_recording_given_to_a_text_set_is_refused(tmp_path, capsys):
    # the FLAC was read one "text" a line: 163 rows of its bytes' features, exit 0
    out = tmp_path / "f.parquet"
    wav = shared_path(*RECORDING)
    assert main(["extract", "--set", "text_surface", str(wav), "-o", str(out), "-q"]) == \
        EXIT_USAGE
    assert (f"{wav} is not text: it holds a NUL character (line 1), which no text holds: it "
            "is a binary file (a recording?) or one whose copy or save was cut short; text "
            "sets read .txt files (one text a line) and CSV, TSV or JSON-lines manifests"
            ) in _err(capsys)
    assert not out.exists()
    folder = tmp_path / "texts"  # "is not a regular file"
    folder.mkdir()
    assert main(["extract", "--set", "text_surface", str(folder), "-o", str(out), "-q"]) == \
        EXIT_USAGE
    assert f"{folder} is a folder; text sets read .txt files" in _err(capsys)


def test_a_folder_names_the_json_lines_manifest_in_it(tmp_path, capsys):
    # only a CSV was named; a labels.jsonl beside the recordings got "give a manifest CSV"
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(shared_path(*RECORDING), folder / "a.flac")
    (folder / "labels.jsonl").write_text('{"path": "a.flac", "emotion": "happy"}\n',
                                         encoding="utf-8")
    (folder / "notes.json").write_text('"path"\n', encoding="utf-8")  # a string, not a record
    assert main(["extract", str(folder), "-o", str(tmp_path / "f.parquet"), "-q"]) == EXIT_OK
    assert (f"1 file under {folder}, without labels; {folder / 'labels.jsonl'} is a manifest: "
            "give it instead of the folder") in _err(capsys)


@pytest.mark.parametrize("command", ["evaluate", "train", "predict"])
def test_a_labels_csv_given_as_the_features_says_what_is_expected(command, features,
                                                                  tmp_path, capsys):
    # pyarrow's "Parquet file size is 4 bytes, smaller than the minimum file footer"
    labels = tmp_path / "labels.csv"
    labels.write_text("path,emotion\na.wav,sad\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "-o", str(model)]) == EXIT_OK
    args = {"evaluate": [str(labels), "--target", "emotion", "--groups", "speaker"],
            "train": [str(labels), "--target", "emotion", "-o", str(tmp_path / "n.joblib")],
            "predict": [str(model), str(labels), "-o", str(tmp_path / "p.csv")]}[command]
    capsys.readouterr()
    assert main([command, *args]) == EXIT_USAGE
    assert _err(capsys) == (f"emofeat {command}: {labels} is not a parquet file: give the "
                            "features table emofeat extract wrote (.parquet, or its dataset "
                            "folder)\n")


# ------------------------------------------------------- extract's output names
@pytest.mark.parametrize("name", ["f.pq", "F.PARQUET"])
def test_a_pq_or_upper_case_parquet_output_is_one_parquet_file(name, tmp_path, capsys):
    # a folder of parts was made under that name (only ".parquet" made a file); predict
    # writes ".pq" as a parquet file
    out = tmp_path / name
    wav = shared_path(*RECORDING)
    assert main(["extract", str(wav), "-o", str(out), "-q"]) == EXIT_OK, _err(capsys)
    assert out.is_file()
    # (the command names a file by its real path: ../shared may be a link)
    assert read_table(out).to_pandas().path.tolist() == [os.path.realpath(wav)]
    assert main(["extract", str(wav), "-o", str(out), "-q"]) == EXIT_OK  # resumed
    assert "is up to date" in _err(capsys)
    # the Python API decides the same (it made a folder of that name)
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    api = tmp_path / "api" / name
    run([str(wav)], [get_extractor("mfcc")], output=api)
    assert api.is_file()
    assert [os.path.realpath(p) for p in read_table(api).to_pandas().path] == \
        [os.path.realpath(wav)]


@pytest.mark.parametrize("name", ["features.csv", "features.h5", "features.feather"])
def test_an_output_named_like_another_format_is_refused(name, tmp_path, capsys):
    # a folder of parquet parts named "features.csv" was made
    out = tmp_path / name
    assert main(["extract", str(shared_path(*RECORDING)), "-o", str(out), "-q"]) == \
        EXIT_USAGE
    suffix = name.rpartition(".")[2].upper()
    assert f"-o {out}: extract writes parquet, not {suffix}: give a .parquet file" in \
        _err(capsys)
    assert not out.exists()
    # asked for, a folder of that name is made
    assert main(["extract", str(shared_path(*RECORDING)), "-o", str(out), "--format",
                 "dataset", "-q"]) == EXIT_OK
    assert out.is_dir()


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_input_column_is_refused(name, tmp_path, capsys):
    # "" was taken for the default column (path, text) and the run went ahead
    manifest = tmp_path / "labels.csv"
    manifest.write_text(f"path,emotion\n{shared_path(*RECORDING)},happy\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    with pytest.raises(SystemExit) as info:
        main(["extract", str(manifest), "--input-column", name, "-o", str(out), "-q"])
    assert info.value.code == EXIT_USAGE
    assert f"argument --input-column: expected a column name, got {name!r}" in _err(capsys)
    assert not out.exists()


# ------------------------------------------------------- paths no file system takes
@pytest.mark.parametrize("where", ["input", "output", "info", "train"])
def test_a_name_too_long_is_a_usage_error(where, features, tmp_path, capsys):
    # os.stat's "File name too long" was a traceback asking to report a bug, exit 1
    long = str(tmp_path / ("a" * 300 + ".parquet"))
    wav = str(shared_path(*RECORDING))
    argv = {"input": ["extract", long, "-o", str(tmp_path / "f.parquet"), "-q"],
            "output": ["extract", wav, "-o", long, "-q"],
            "info": ["info", long],
            "train": ["train", str(features), "--target", "emotion", "-o", long]}[where]
    assert main(argv) == EXIT_USAGE
    err = _err(capsys)
    assert "File name too long" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["train", "predict"])
def test_an_output_in_a_loop_of_links_is_a_usage_error(command, features, tmp_path, capsys):
    # pathlib's RuntimeError "Symlink loop from ..." was a traceback, exit 1
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "-o", str(model)]) == EXIT_OK
    args = ([str(features), "--target", "emotion"] if command == "train"
            else [str(model), str(features)])
    out = loop / ("out.joblib" if command == "train" else "out.csv")
    assert main([command, *args, "-o", str(out)]) == EXIT_USAGE
    err = _err(capsys)
    assert f"cannot write {out}" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["predictions.csv", "model.parquet", "model.json"])
def test_train_refuses_a_model_named_like_a_table(name, features, tmp_path, capsys):
    # a joblib pickle was written under that name (train mistaken for predict)
    out = tmp_path / name
    assert main(["train", str(features), "--target", "emotion", "-o", str(out)]) == EXIT_USAGE
    assert f"-o {out}: a model is a joblib file, not {name.rpartition('.')[2].upper()}" in \
        _err(capsys)
    assert not out.exists()
