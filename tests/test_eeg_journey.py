"""The EEG-classification journey on the real Muse recordings: extract with a manifest of
subject and state, evaluate, train, predict on a held-out recording. Each test failed before
its fix."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from emofeat.table import FeatureTable

MUSE = ("eeg", "muse_mental_state")


def _manifest(tmp_path, names, out="man.csv"):
    lines = ["path,subject,state"]
    for n in names:
        subject, state, _ = n[:-4].split("-")
        lines.append(f"{shared_path(*MUSE, n)},{subject},{state}")
    p = tmp_path / out
    p.write_text("\n".join(lines) + "\n")
    return p


def _train(tmp_path, table="tr.parquet"):
    """A model of ``state`` trained on ``table`` (in ``tmp_path``)."""
    model = tmp_path / "m.joblib"
    assert main(["train", str(tmp_path / table), "--target", "state",
                 "-o", str(model)]) == EXIT_OK
    return model


def _predict(capsys, model, table, out="p.csv"):
    """``emofeat predict``'s exit code and stderr on ``table`` (a path)."""
    capsys.readouterr()
    code = main(["predict", str(model), str(table), "-o", str(table.with_name(out))])
    return code, capsys.readouterr().err


def test_set_given_twice_extracts_both_sets(tmp_path):
    # argparse kept the last --set only: eeg_bands was dropped without a word
    man = _manifest(tmp_path, ["subjecta-relaxed-1.csv"])
    out = tmp_path / "f.parquet"
    assert main(["extract", str(man), "--set", "eeg_bands", "--set", "eeg_hjorth",
                 "--segment", "4s", "--hop", "2s", "-q", "-o", str(out)]) == EXIT_OK
    t = FeatureTable.read_parquet(out)
    sets = [s["name"] for s in t.provenance["sets"]]
    assert sets == ["eeg_bands", "eeg_hjorth"]
    assert any(n.startswith("eeg_bands_") for n in t.feature_names)
    assert any(n.startswith("eeg_hjorth_") for n in t.feature_names)


def test_missing_features_table_says_no_such_file(tmp_path, capsys):
    # was 'emofeat evaluate: X: X' (pyarrow's FileNotFoundError holds only the path)
    missing = tmp_path / "nope.parquet"
    assert main(["evaluate", str(missing), "--target", "state"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no such file" in err and "nope.parquet" in err
    with pytest.raises(FileNotFoundError, match="no such file.*nope.parquet"):
        FeatureTable.read_parquet(missing)


def _half_rate_manifest(tmp_path):
    """A manifest of subjecta-relaxed-2 with one sample in two kept: the same channels at
    128 Hz."""
    lines = shared_path(*MUSE, "subjecta-relaxed-2.csv").read_text().splitlines()
    half = tmp_path / "half.csv"
    half.write_text("\n".join([lines[0]] + lines[1::2]) + "\n")
    man = tmp_path / "half_man.csv"
    man.write_text(f"path,subject,state\n{half},subjecta,relaxed\n")
    return man


def test_model_refuses_a_table_of_another_rate_and_takes_its_own(tmp_path, capsys):
    # EEG sets with sfreq=None analyse each recording at its own rate: a model trained at
    # 256 Hz took a 128 Hz table of the same column names (Hjorth mobility 1.6x) without a word
    train = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjecta-neutral-1.csv"])
    held = _manifest(tmp_path, ["subjectb-relaxed-2.csv"], "held.csv")  # 254.2 Hz, dropped samples
    half_man = _half_rate_manifest(tmp_path)
    win = ["--set", "eeg_bands,eeg_hjorth", "--segment", "4s", "--hop", "2s", "-q"]
    for man, out in ((train, "tr"), (held, "held"), (half_man, "half")):
        assert main(["extract", str(man), *win, "-o", str(tmp_path / f"{out}.parquet")]) == 0
    rate = FeatureTable.read_parquet(tmp_path / "half.parquet").provenance["sfreq"]
    assert rate == pytest.approx(128, rel=1e-3)
    model = _train(tmp_path)
    code, err = _predict(capsys, model, tmp_path / "half.parquet", "p_half.csv")
    assert code == EXIT_USAGE
    assert "half.parquet" in err and "sampling rate = 128.0" in err and "model: 256.0" in err
    # the rate of each side's fit, not always its first recording's (5ba4e7d)
    assert "the rate each table's sets were fitted at" in err
    assert "first recording" not in err
    assert not (tmp_path / "p_half.csv").exists()
    # the same device's rate estimated 0.7 % off (dropped samples) is the same extraction
    assert _predict(capsys, model, tmp_path / "held.parquet")[0] == EXIT_OK
    assert main(["info", str(tmp_path / "half.parquet")]) == EXIT_OK
    assert "sampling rate: 128.0" in capsys.readouterr().out


def test_a_run_mixing_rates_refuses_the_recording_of_another_rate(tmp_path, capsys):
    # the table records one rate (the first recording's): a 128 Hz copy of a Muse file in a
    # run of 256 Hz ones gave rows of other features (Hjorth mobility per sample) under
    # 256.02 Hz, and a 256 Hz model took them. The 128 Hz recording is now a failed input
    # naming both rates; the file with dropped samples (254.2 Hz, 0.7 % off) stays in
    half = _half_rate_manifest(tmp_path).read_text().splitlines()[1]
    man = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjectb-relaxed-2.csv"])
    man.write_text(man.read_text() + half + "\n")
    out = tmp_path / "mixed.parquet"
    capsys.readouterr()
    assert main(["extract", str(man), "--set", "eeg_bands,eeg_hjorth", "--segment", "4s",
                 "-q", "-o", str(out)]) == EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "half.csv: InputError: analysed at 128.0" in err
    assert "from the rate the set was fitted at, 256.02 Hz (" in err
    assert "subjecta-relaxed-1.csv), the one rate a table records" in err
    t = FeatureTable.read_parquet(out)
    assert not t.index["path"].str.endswith("half.csv").any()
    assert t.index["path"].str.endswith("subjectb-relaxed-2.csv").any()
    # the API: the first input failing raises, naming the file
    import emofeat
    from emofeat.errors import InputError

    paths = [str(shared_path(*MUSE, "subjecta-relaxed-1.csv")), str(tmp_path / "half.csv")]
    with pytest.raises(InputError, match=r"half\.csv: analysed at 128\.0.*256\.02 Hz"):
        emofeat.extract(paths, "eeg_hjorth")
    # each rate alone is a table of its own
    assert emofeat.extract(paths[1:], "eeg_hjorth").provenance["sfreq"] == pytest.approx(128,
                                                                                      rel=1e-3)


def test_the_refused_rate_names_the_recording_the_set_was_fitted_on(tmp_path):
    """Regression: the refusal said 'the run's 256.02 Hz (its first recording's)', but the
    rate is the one the sets were fitted at: a set fitted on a 256 Hz file before a run of
    a 128 Hz one refused that run's first recording against a rate no recording of the run
    has. The message names the recording of the fit, whichever backend runs the inputs."""
    import re

    from emofeat.errors import InputError
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    _half_rate_manifest(tmp_path)
    half = str(tmp_path / "half.csv")
    fit_on = str(shared_path(*MUSE, "subjecta-relaxed-1.csv"))
    ext = get_extractor("eeg_hjorth").fit([fit_on])
    with pytest.raises(InputError, match=rf"half\.csv: analysed at 128\.0\d* Hz, more than "
                       rf"2% from the rate the set was fitted at, 256\.02 Hz "
                       rf"\({re.escape(fit_on)}\), the one rate a table records"):
        run([half], [ext])
    # fitted in the run, on its first recording, with the inputs in worker processes
    other = str(shared_path(*MUSE, "subjectb-relaxed-2.csv"))
    out = tmp_path / "o.parquet"
    got = run([other, half], [get_extractor("eeg_hjorth")], on_error="record", n_jobs=2,
              chunk_size=1, output=str(out))
    rate = FeatureTable.read_parquet(out).provenance["sfreq"]
    assert got.errors["message"].tolist() == [
        f"analysed at 128.008 Hz, more than 2% from the rate the set was fitted at, "
        f"{rate:g} Hz ({other}), the one rate a table records: "
        "extract the recordings of each rate into their own table"]


def test_model_of_sfreq_none_takes_a_table_of_sfreq_256_at_the_same_rate(tmp_path, capsys):
    # sfreq=None analyses a Muse file at its estimate (256.01 Hz), sfreq=256 at 256 Hz: the
    # same features, refused as 'eeg_bands.sfreq = 256 (model: None)'; the rates are compared
    train = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjecta-neutral-1.csv"])
    held = _manifest(tmp_path, ["subjecta-relaxed-2.csv"], "held.csv")
    win = ["--set", "eeg_bands,eeg_hjorth", "--segment", "4s", "-q"]
    assert main(["extract", str(train), *win, "-o", str(tmp_path / "tr.parquet")]) == EXIT_OK
    assert main(["extract", str(held), *win, "--param", "sfreq=256",
                 "-o", str(tmp_path / "h256.parquet")]) == EXIT_OK
    model = _train(tmp_path)
    code, err = _predict(capsys, model, tmp_path / "h256.parquet")
    assert code == EXIT_OK, err
    assert (tmp_path / "p.csv").read_text().count("\n") > 10


def test_trialwise_without_trials_names_the_cli_option(tmp_path, capsys):
    # the refusal said 'needs trials (one id per trial/recording)', and the leakage warning
    # 'pass trials=...': neither named the command line's --trials, nor the column to give
    man = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjecta-neutral-1.csv",
                               "subjectb-relaxed-1.csv", "subjectb-neutral-1.csv"])
    out = tmp_path / "w.parquet"
    assert main(["extract", str(man), "--set", "eeg_hjorth", "--segment", "4s", "-q",
                 "-o", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert main(["evaluate", str(out), "--target", "state", "--groups", "subject",
                 "--protocol", "trialwise", "-q"]) == EXIT_USAGE
    err = capsys.readouterr().err
    # the command's spelling alone (the API's was given beside it: "trials='path'")
    assert "needs --trials (" in err and "--trials path)" in err and "trials=" not in err
    assert main(["evaluate", str(out), "--target", "state", "--groups", "subject",
                 "--protocol", "subject_dependent", "--folds", "2", "-q"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "pass --trials path to keep" in err and "trials=" not in err


def test_model_refuses_another_montage_and_fewer_sets_saying_what_differs(tmp_path, capsys):
    # the EDF's 64+ channels are another montage than the Muse's 4: refused naming the table;
    # a table of fewer sets said '0 unexpected (e.g. [])'
    train = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjecta-neutral-1.csv"])
    win = ["--segment", "4s", "-q"]
    assert main(["extract", str(train), "--set", "eeg_bands,eeg_hjorth", *win,
                 "-o", str(tmp_path / "tr.parquet")]) == EXIT_OK
    assert main(["extract", str(train), "--set", "eeg_hjorth", *win,
                 "-o", str(tmp_path / "hj.parquet")]) == EXIT_OK
    assert main(["extract", str(shared_path("eeg", "mne_testdata", "test.edf")),
                 "--set", "eeg_bands,eeg_hjorth", *win,
                 "-o", str(tmp_path / "edf.parquet")]) == EXIT_OK
    model = _train(tmp_path)
    code, err = _predict(capsys, model, tmp_path / "edf.parquet")
    assert code == EXIT_USAGE
    assert "edf.parquet" in err and "missing" in err and "eeg_bands_abs_delta_TP9" in err
    assert "unexpected (e.g. ['eeg_bands_abs_delta_" in err
    code, err = _predict(capsys, model, tmp_path / "hj.parquet")
    assert code == EXIT_USAGE
    assert "none unexpected" in err and "(e.g. [])" not in err
    assert not (tmp_path / "p.csv").exists()


def test_info_describes_a_model_and_refuses_a_csv_saying_what_it_takes(tmp_path, capsys):
    # info on emofeat train's model and predict's CSV said pyarrow's 'Parquet magic bytes
    # not found in footer. Either the file is corrupted or this is not a parquet file'
    man = _manifest(tmp_path, ["subjecta-relaxed-1.csv", "subjecta-neutral-1.csv"])
    assert main(["extract", str(man), "--set", "eeg_hjorth", "--segment", "4s", "-q",
                 "-o", str(tmp_path / "tr.parquet")]) == EXIT_OK
    model = _train(tmp_path)
    code, _ = _predict(capsys, model, tmp_path / "tr.parquet")
    assert code == EXIT_OK
    assert main(["info", str(model)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "of 'state'" in out and "classes (training rows): neutral (" in out and "relaxed (" in out
    assert "windows of 4.0 s" in out and "sampling rate: 256.0" in out
    assert main(["info", str(tmp_path / "p.csv")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "p.csv is not a parquet file" in err and "magic bytes" not in err


def test_tables_of_other_rates_are_not_stacked(tmp_path):
    # FeatureTable.concat kept the first table's provenance: a 256 Hz and a 128 Hz table
    # stacked passed for 256 Hz at a model's check
    man = _manifest(tmp_path, ["subjecta-relaxed-2.csv"])
    held = _manifest(tmp_path, ["subjectb-relaxed-2.csv"], "held.csv")  # 254.2 Hz
    half_man = _half_rate_manifest(tmp_path)
    tables = {}
    for m, name in ((man, "full"), (held, "held"), (half_man, "half")):
        out = tmp_path / f"{name}.parquet"
        assert main(["extract", str(m), "--set", "eeg_hjorth", "-q", "-o", str(out)]) == 0
        tables[name] = FeatureTable.read_parquet(out)
    both = FeatureTable.concat([tables["full"], tables["held"]])
    assert len(both) == len(tables["full"]) + len(tables["held"])
    with pytest.raises(ValueError, match=r"sampling rate 256.0\d* vs 128.0\d* Hz"):
        FeatureTable.concat([tables["full"], tables["half"]])


def test_info_names_the_rate_as_the_sets_fit_not_the_first_recording(tmp_path, capsys):
    """Regression: ``emofeat info`` labelled a table's rate '(the first recording's)', but a
    table records the rate its sets were fitted at: for a set fitted before the run on
    another recording (256.02 Hz), the run's only recording (the Muse file with dropped
    samples, its own rate some 0.7 % lower) was not the recording of that rate."""
    from emofeat.eeg_input import read_recording
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    fit_on = str(shared_path(*MUSE, "subjecta-relaxed-1.csv"))
    only = str(shared_path(*MUSE, "subjectb-relaxed-2.csv"))
    own = float(read_recording(only).sfreq)
    ext = get_extractor("eeg_hjorth").fit([fit_on])
    out = tmp_path / "o.parquet"
    run([only], [ext], output=str(out), progress=False)
    rate = FeatureTable.read_parquet(out).provenance["sfreq"]
    assert rate == pytest.approx(ext.sfreq_, abs=1e-3)
    assert abs(own - rate) > 1.0  # the run's first recording is not at the recorded rate
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_OK
    line = next(s for s in capsys.readouterr().out.splitlines() if s.startswith("sampling"))
    assert line == f"sampling rate: {rate:g} Hz (the rate the sets were fitted at)"
