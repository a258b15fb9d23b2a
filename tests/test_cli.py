"""The emofeat command line, run in-process (main(argv)) and once as a real subprocess."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from emofeat.extractors import MFCC

from emofeat import read_table
from emofeat.cli import EXIT_SOME_FAILED, main


@pytest.fixture()
def corpus(tmp_path, sample):
    """Six sample files in a folder tree, a manifest CSV, and a corrupt file."""
    root = tmp_path / "corpus"
    rows = []
    for i, r in enumerate(sample.iloc[::40].itertuples()):
        dest = root / f"spk{r.speaker}" / Path(r.path).name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(r.path, dest)
        rows.append({"path": str(dest.relative_to(root)), "speaker": r.speaker,
                     "emotion": r.emotion, "session": f"0{i}"})
    pd.DataFrame(rows).to_csv(root / "manifest.csv", index=False)
    bad = tmp_path / "bad" / "broken.wav"
    bad.parent.mkdir()
    bad.write_bytes(b"RIFF....WAVEjunk")
    return root, bad


def test_extract_folder_and_info(corpus, tmp_path, capsys):
    root, _ = corpus
    out = tmp_path / "f.parquet"
    assert main(["extract", str(root), "-o", str(out), "-q"]) == 0
    table = read_table(out)
    assert table.shape == (6, 39 * 17)
    expected = MFCC().fit_transform(sorted(str(p) for p in root.rglob("*.flac")))
    np.testing.assert_allclose(table.X, expected)
    assert main(["info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "6 rows x 663 features" in text and "set mfcc" in text


def test_manifest_columns_params_and_lld(corpus, tmp_path):
    root, _ = corpus
    out = tmp_path / "lld.parquet"
    code = main(["extract", str(root / "manifest.csv"), "-o", str(out), "--level", "lld",
                 "--param", "n_mfcc=20", "--param", "fmax=7600", "--param", "window=hamming",
                 "-q"])
    assert code == 0
    table = read_table(out)
    assert table.feature_names[:2] == ["mfcc0", "mfcc1"] and len(table.feature_names) == 60
    assert {"speaker", "emotion", "session", "frame", "time"} <= set(table.index.columns)
    assert table.index.session.iloc[0] == "00"
    params = table.provenance["sets"][0]["params"]
    assert params["n_mfcc"] == 20 and params["fmax"] == 7600 and params["window"] == "hamming"


def test_failures_are_recorded_and_the_rest_finishes(corpus, tmp_path, capsys):
    root, bad = corpus
    out = tmp_path / "f.parquet"
    missing = tmp_path / "missing.wav"
    listed = tmp_path / "listed.csv"  # a missing file listed in a manifest is an input failure
    pd.DataFrame({"path": [str(missing)]}).to_csv(listed, index=False)
    code = main(["extract", str(root), str(bad), str(listed), "-o", str(out), "-q"])
    assert code == EXIT_SOME_FAILED
    assert len(read_table(out)) == 6
    errors = pd.read_csv(tmp_path / "f.errors.csv")
    assert set(errors.columns) == {"path", "stage", "error_type", "message"}
    assert sorted(Path(p).name for p in errors.path) == ["broken.wav", "missing.wav"]
    assert set(errors.error_type) == {"AudioReadError"} and set(errors.stage) == {"read"}
    err = capsys.readouterr().err
    assert "2 failed" in err and "broken.wav" in err
    # a path typed on the command line that does not exist is a usage error: nothing written
    typo = tmp_path / "typo.parquet"
    assert main(["extract", str(root), str(missing), "-o", str(typo), "-q"]) == 2
    assert "missing.wav: no such file or folder" in capsys.readouterr().err
    assert not typo.exists()


def test_parallel_equals_serial(corpus, tmp_path):
    root, _ = corpus
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert main(["extract", str(root), "-o", str(a), "-q"]) == 0
    assert main(["extract", str(root), "-o", str(b), "-q", "--jobs", "2"]) == 0
    ta, tb = read_table(a), read_table(b)
    np.testing.assert_array_equal(ta.X, tb.X)
    assert ta.index.equals(tb.index)


def test_usage_errors(tmp_path, capsys):
    assert main(["extract", str(tmp_path), "-o", "x.parquet", "--set", "nosuch"]) == 2
    assert "unknown feature set 'nosuch'" in capsys.readouterr().err
    assert main(["extract", str(tmp_path), "-o", "x.parquet", "--param", "n_mfcc=0"]) == 2
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "x.parquet")]) == 2
    assert "no audio files" in capsys.readouterr().err


def test_sets_and_warmup(capsys):
    assert main(["sets"]) == 0
    out = capsys.readouterr().out
    assert "mfcc " in out and "mfcc_htk" in out
    # grouped by modality: every set under its own heading
    groups, current = {}, None
    for line in out.splitlines():
        if not line.startswith(" "):
            current = line.rstrip(":")
        else:
            groups.setdefault(current, []).append(line.split()[0])
    assert {"mfcc", "paa"} <= set(groups["audio"]) and "eeg_stats" in groups["eeg"]
    assert "text_surface" in groups["text"]
    assert main(["warmup", "--set", "mfcc"]) == 0
    assert "kernels ready" in capsys.readouterr().out
    assert main(["warmup", "--modality", "text"]) == 0
    out = capsys.readouterr().out
    assert "text_surface (text)" in out and "mfcc" not in out


def test_demo_runs_end_to_end_as_a_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("emofeat")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "emofeat"]
    proc = subprocess.run([*cmd, "demo", "--out", str(tmp_path / "demo"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "UAR" in proc.stdout and "leave one speaker out" in proc.stdout
    uar = float(proc.stdout.split("UAR ")[-1].split()[0])
    assert 0.2 < uar <= 1.0  # well above the 0.125 chance level of 8 classes
    assert len(read_table(tmp_path / "demo" / "sample_mfcc.parquet")) == 240


def test_cold_start_is_announced_once(tmp_path):
    """With an empty kernel cache the first extraction says it compiles (and how long it
    took); the second finds every kernel cached and says nothing."""
    texts = tmp_path / "t.txt"
    texts.write_text("Hello!!\nwhat?\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "emofeat", "extract", "--set", "text_surface", str(texts),
           "-o", str(tmp_path / "t.parquet"), "-q", "--overwrite"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "compiling 1 Numba kernels of 'text_surface'" in first.stderr
    assert "kernels ready in" in first.stderr
    assert "compiling" not in second.stderr


def test_demo_announces_its_cold_start(tmp_path):
    """docs/getting_started.md: the first ``emofeat demo`` after install compiles the Numba
    kernels and says so on stderr, as ``extract`` does (it paused for seconds without a
    word); the MFCC figures and the table are those of a warm run."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "emofeat", "demo", "--out",
                           str(tmp_path / "demo"), "-q"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "emofeat demo: compiling" in proc.stderr and "Numba kernels of 'mfcc'" in proc.stderr
    assert "'mfcc' kernels ready in" in proc.stderr
    assert len(read_table(tmp_path / "demo" / "sample_mfcc.parquet")) == 240


def test_bad_manifests_and_parameters_are_usage_errors(tmp_path, capsys):
    """Exit 2 with one line naming the problem, never a traceback (issue: exit codes)."""
    audio = Path(__file__).resolve().parents[1] / "emofeat" / "datasets" / "sample"
    wav = str(next(audio.glob("Actor_09/*.flac")))
    out = str(tmp_path / "o.parquet")
    empty_cell = tmp_path / "empty.csv"
    empty_cell.write_text(f"path,emotion\n{wav},happy\n,sad\n")
    no_path = tmp_path / "nopath.csv"
    no_path.write_text("file,emotion\na.wav,happy\n")
    blank = tmp_path / "blank.csv"
    blank.write_text("")
    cases = [
        ([str(empty_cell)], "empty 'path' cell in 1 row: 3"),
        ([str(no_path)], "needs a 'path' column"),
        ([str(blank)], "blank.csv"),
        ([wav, "--param", "n_mfcc=abc"], "n_mfcc must be int, got 'abc'"),
        ([wav, "--param", "n_mfcc=20.5"], "n_mfcc must be int, got 20.5"),
        ([wav, "--param", "bogus=1"], "--param bogus: the set 'mfcc' has no parameter 'bogus'"),
        ([wav, "--param", "n_fft=10"], "mel filters for 6 FFT bins"),
    ]
    for args, message in cases:
        assert main(["extract", *args, "-o", out, "-q"]) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
        assert not Path(out).exists()


def test_per_set_parameters_info_and_up_to_date_messages(tmp_path, capsys):
    audio = Path(__file__).resolve().parents[1] / "emofeat" / "datasets" / "sample"
    wav = str(next(audio.glob("Actor_09/*.flac")))
    out = tmp_path / "o.parquet"
    # a bare name goes to the sets that have it; set.name to one set
    assert main(["extract", wav, "--set", "mfcc,paa", "--param", "n_mfcc=20",
                 "--param", "mfcc.n_mels=64", "-o", str(out), "-q"]) == 0
    sets = {s["name"]: s["params"] for s in read_table(out).provenance["sets"]}
    assert sets["mfcc"]["n_mfcc"] == 20 and sets["mfcc"]["n_mels"] == 64
    assert "n_mfcc" not in sets["paa"]
    err = capsys.readouterr().err
    assert "wrote" in err
    # counts of one in the singular ('1 inputs, 1 done, 0 failed, 1 segments, 1 rows' before)
    assert "emofeat extract: 1 input, 1 done, 0 failed, 1 segment, 1 row, " in err, err
    assert main(["info", str(out)]) == 0
    assert f"{out}: 1 row x " in capsys.readouterr().out
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"junk")
    assert main(["extract", wav, str(junk), "-o", str(tmp_path / "j.parquet"), "-q"]) \
        == EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "2 inputs, 1 done, 1 failed, 1 segment, 1 row, " in err, err
    assert f"1 input failed, listed in {tmp_path / 'j.errors.csv'}:" in err, err
    assert main(["extract", wav, "--set", "mfcc,paa", "--param", "n_mfcc=20",
                 "--param", "mfcc.n_mels=64", "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert "up to date" in err and "wrote" not in err
    assert main(["extract", wav, "--param", "prosody.fmin=60", "-o", str(out), "-q"]) == 2
    assert "'prosody' is not one of the sets" in capsys.readouterr().err
    assert main(["info", str(tmp_path / "nope.parquet")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"emofeat: {tmp_path / 'nope.parquet'}: no such file or folder")


def test_folder_input_says_where_labels_are(tmp_path, capsys):
    audio = Path(__file__).resolve().parents[1] / "emofeat" / "datasets" / "sample"
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in sorted(audio.glob("Actor_09/*.flac"))[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    assert main(["extract", str(folder), "-o", str(tmp_path / "a.parquet"), "-q"]) == 0
    assert "without labels; give a manifest (path, emotion" in capsys.readouterr().err
    (folder / "labels.csv").write_text("path,emotion\n")
    assert main(["extract", str(folder), "-o", str(tmp_path / "b.parquet"), "-q"]) == 0
    assert "labels.csv is a manifest: give it instead" in capsys.readouterr().err


def test_unwritable_output_and_bugs_are_reported(tmp_path, capsys, monkeypatch):
    audio = Path(__file__).resolve().parents[1] / "emofeat" / "datasets" / "sample"
    wav = str(next(audio.glob("Actor_09/*.flac")))
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a file where the output's folder should be
    assert main(["extract", wav, "-o", str(blocker / "sub" / "o.parquet"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("emofeat: cannot write") and "Traceback" not in err

    def broken(path):
        raise KeyError("an emofeat bug")

    monkeypatch.setattr("emofeat.table.FeatureTable.read_parquet", broken)
    parquetish = tmp_path / "t.parquet"  # read as a table (a text file is refused before)
    parquetish.write_bytes(b"PAR1")
    assert main(["info", str(parquetish)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "this is a bug in emofeat" in err


# ------------------------------------------------------- usage errors found before any work
def _synthetic_table(path: Path) -> Path:
    """A small feature table with classes (emotion), a numeric target (valence) and speakers,
    written to ``path``."""
    from _classifier_data import make_table

    make_table(n_speakers=4, per_class=3, n_features=4).to_parquet(path)
    return path


@pytest.mark.parametrize("report", ["afile", "afile/sub"])
def test_evaluate_report_onto_a_file_is_a_usage_error_before_any_fold(tmp_path, capsys,
                                                                      report):
    """Before: every fold ran, then a FileExistsError traceback asked for a bug report."""
    features = _synthetic_table(tmp_path / "t.parquet")
    (tmp_path / "afile").write_text("x")
    code = main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
                 "--report", str(tmp_path / report)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--report" in err and "afile" in err and "not a folder" in err
    assert "fold 1/" not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "afile").read_text() == "x"


def test_evaluate_a_numeric_target_uses_the_regressor_by_default(tmp_path, capsys):
    """Without --model a regression target gets svr (svm is a classifier only: before,
    "unknown regressor 'svm'", exit 2); --model still decides when given."""
    features = _synthetic_table(tmp_path / "t.parquet")
    code = main(["evaluate", str(features), "--target", "valence", "--groups", "speaker", "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "svr" in out.lower() and "CCC" in out
    assert main(["evaluate", str(features), "--target", "valence", "--groups", "speaker", "-q",
                 "--model", "ridge"]) == 0
    assert "ridge" in capsys.readouterr().out.lower()
    assert main(["train", str(features), "--target", "valence", "-o",
                 str(tmp_path / "m.joblib")]) == 0
    assert "svr on" in capsys.readouterr().err


@pytest.mark.parametrize("sets", [",", "", " , "])
def test_an_empty_set_list_is_a_usage_error(tmp_path, capsys, sets):
    """Before: KeyError 'pop from an empty set', a bug report, exit 1."""
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    assert main(["extract", str(wav), "-o", str(tmp_path / "x.parquet"), "--set", sets]) == 2
    err = capsys.readouterr().err
    assert "--set" in err and "no feature set" in err and "Traceback" not in err
    assert main(["warmup", "--set", sets]) == 2
    assert "no feature set" in capsys.readouterr().err


def test_warmup_of_an_unknown_set_is_a_usage_error(capsys):
    """As ``extract --set nope``: one line, exit 2 (before: a traceback, exit 1)."""
    assert main(["warmup", "--set", "mfcc,nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown feature set 'nope'" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("option, value", [("--block", "nan"), ("--block", "0"),
                                           ("--block", "-1"), ("--block", "inf"),
                                           ("--long-file", "nan"), ("--long-file", "-5")])
def test_block_and_long_file_are_checked(corpus, tmp_path, capsys, option, value):
    """Before: every input failed ('cannot convert float NaN to integer'), exit 3."""
    root, _ = corpus
    out = tmp_path / "x.parquet"
    assert main(["extract", str(root), "-o", str(out), "-q", option, value]) == 2
    err = capsys.readouterr().err
    assert f"{option} {float(value)!r}" in err and "seconds" in err
    assert not out.exists()


def test_long_file_zero_analyses_every_file_in_blocks(corpus, tmp_path):
    """``--long-file 0`` keeps its meaning (every file longer than 0 s: all in blocks), and
    ``inf`` none; both give the rows of a whole-file analysis here."""
    root, _ = corpus
    one = sorted(root.rglob("*.flac"))[0]
    assert main(["extract", str(one), "-o", str(tmp_path / "b.parquet"), "-q",
                 "--long-file", "0", "--block", "1"]) == 0
    assert main(["extract", str(one), "-o", str(tmp_path / "w.parquet"), "-q",
                 "--long-file", "inf"]) == 0
    blocks, whole = read_table(tmp_path / "b.parquet"), read_table(tmp_path / "w.parquet")
    assert blocks.shape == whole.shape == (1, 663)


def test_fail_fast_says_what_is_kept(corpus, tmp_path, capsys):
    """The inputs done in the shard that failed are not kept (only completed parts are):
    the message says so and how many inputs the output holds (before: 'the inputs done so
    far are kept', when none was)."""
    root, _ = corpus
    folder = tmp_path / "ff"
    folder.mkdir()
    for f in sorted(root.rglob("*.flac"))[:2]:
        shutil.copy(f, folder / f.name)
    (folder / "zz.wav").write_bytes(b"junk")
    out = tmp_path / "ff.parquet"
    assert main(["extract", str(folder), "-o", str(out), "-q", "--fail-fast",
                 "--chunk-size", "3"]) == EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "done so far are kept" not in err
    assert "only completed parts are kept (0 inputs in the output" in err
    assert main(["extract", str(folder), "-o", str(out), "-q", "--fail-fast",
                 "--chunk-size", "1"]) == EXIT_SOME_FAILED
    assert "(2 inputs in the output" in capsys.readouterr().err


def test_a_folder_of_muse_csv_recordings_is_an_eeg_input(tmp_path, capsys):
    """CSV recordings in a folder are inputs of an EEG set (before: 'no eeg files'); a
    manifest CSV beside them is not."""
    from conftest import shared_path

    src = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    folder = tmp_path / "eeg"
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    (folder / "manifest.csv").write_text(f"path,state\n{src.name},neutral\n")
    out = tmp_path / "e.parquet"
    code = main(["extract", str(folder), "-o", str(out), "--set", "eeg_bands", "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "1 file under" in err and "manifest.csv is a manifest" in err
    assert read_table(out).index["path"].tolist() == [str((folder / src.name).resolve())]


def test_a_folder_of_gzipped_fif_recordings_is_an_eeg_input(tmp_path, capsys):
    """MNE's gzipped FIF files (raw and epochs) in a folder are inputs of an EEG set: the
    folder was listed by the last suffix, '.gz', and they were left out."""
    mne = pytest.importorskip("mne")
    rng = np.random.default_rng(0)
    info = mne.create_info(["AF3", "AF4"], 128.0, "eeg")
    folder = tmp_path / "eeg"
    folder.mkdir()
    raw = mne.io.RawArray(1e-5 * rng.standard_normal((2, 1280)), info, verbose="error")
    raw.save(folder / "rec_raw.fif.gz", verbose="error")
    mne.make_fixed_length_epochs(raw, duration=2.0, verbose="error").save(
        folder / "rec-epo.fif.gz", verbose="error")
    out = tmp_path / "e.parquet"
    code = main(["extract", str(folder), "-o", str(out), "--set", "eeg_stats", "-q"])
    assert code == 0, capsys.readouterr().err
    paths = {Path(p).name for p in read_table(out).index["path"]}
    assert paths == {"rec_raw.fif.gz", "rec-epo.fif.gz"}


def test_an_eeg_manifest_with_a_time_column_and_its_own_input_column(tmp_path, capsys):
    """A manifest whose inputs are in the column --input-column names, with a label column
    called 'time', is a manifest, not a CSV recording (it was read as a Muse export: 'no
    numeric channel columns')."""
    mne = pytest.importorskip("mne")
    rng = np.random.default_rng(0)
    info = mne.create_info(["AF3", "AF4"], 128.0, "eeg")
    rec = tmp_path / "rec_raw.fif"
    mne.io.RawArray(1e-5 * rng.standard_normal((2, 1280)), info, verbose="error").save(
        rec, verbose="error")
    csv = tmp_path / "m.csv"
    csv.write_text("file,label,time\nrec_raw.fif,calm,morning\n")
    out = tmp_path / "e.parquet"
    code = main(["extract", str(csv), "-o", str(out), "--set", "eeg_stats",
                 "--input-column", "file", "-q"])
    assert code == 0, capsys.readouterr().err
    table = read_table(out)
    assert table.index["label"].tolist() == ["calm"]
    assert table.index["time"].tolist() == ["morning"]
