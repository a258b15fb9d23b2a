"""One input, one reading: the same input given in two ways (a path or the
object, a file or the flag that names its column, a first run or its rerun) is read alike,
or refused naming what differs. Each test fails on the code before its fix."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path


def _raw(mne):
    """Six seconds of the BrainVision test file (1000 Hz, 32 EEG channels) as a Raw."""
    return mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                           verbose="error").crop(0, 6)


def test_a_raw_changed_in_channel_types_or_annotations_is_not_taken_as_done(tmp_path):
    # the resume key of an MNE object hashed its samples, rate and channel names only: a
    # rerun after set_channel_types or a BAD_ACQ_SKIP annotation (both change the rows) was
    # skipped as already done
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.readers import EEGReader
    from emofeat.runner import run

    raw = _raw(mne)
    typed = raw.copy().set_channel_types({raw.ch_names[0]: "misc"}, verbose="error")
    skipped = raw.copy().set_annotations(mne.Annotations([2.0], [1.0], ["BAD_ACQ_SKIP"]))
    keys = [EEGReader().key(r, 0) for r in (raw, typed, skipped)]
    assert len(set(keys)) == 3
    assert EEGReader().key(raw.copy(), 0) == keys[0]  # an equal copy is still done

    out = tmp_path / "out.parquet"
    assert run([raw], [EEGBandPower()], output=out).n_rows == 1
    assert run([raw.copy()], [EEGBandPower()], output=out).n_rows == 0
    again = run([skipped], [EEGBandPower()], output=out)
    assert again.n_rows == 2  # the stretches around the hole, not "already done"


def test_a_meg_eeg_file_gives_its_eeg_channels_however_it_is_passed(tmp_path):
    # read_recording(path) took the EEG channels, the extractors given the same path (or its
    # Raw, or the Epochs) MNE's "data" channels: the magnetometer and gradiometer too
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.eeg_input import read_recording

    eeg = _raw(mne).pick(["FP1", "FP2", "F3", "F4"])
    rng = np.random.default_rng(3)
    others = {"MEG 0111": "mag", "MEG 0112": "grad", "EOG 061": "eog", "ECG 063": "ecg",
              "MISC 001": "misc", "STI 014": "stim"}
    extra = 1e-12 * rng.standard_normal((len(others), eeg.n_times))
    extra[-1] = 0.0
    extra[-1, ::700] = 5.0  # trigger codes
    raw = mne.io.RawArray(
        np.vstack([eeg.get_data(), extra]),
        mne.create_info(eeg.ch_names + list(others), eeg.info["sfreq"],
                        ["eeg"] * 4 + list(others.values())), verbose="error")
    raw.info["bads"] = ["FP2"]  # kept: every recording of a montage has its columns
    path = tmp_path / "meg_eeg_raw.fif"
    raw.save(path, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    epo_path = tmp_path / "meg_eeg-epo.fif"
    epochs.save(epo_path, verbose="error")
    names = ("FP1", "FP2", "F3", "F4")

    rec = read_recording(path)
    assert rec.ch_names == names
    np.testing.assert_allclose(rec.data, eeg.get_data(), rtol=1e-6)  # FIF stores float32
    assert read_recording(epo_path).ch_names == names
    assert len(read_recording(path, picks="data").ch_names) == 6  # MNE's pick, when asked
    for item in (str(path), raw, rec, str(epo_path), epochs):
        ext = EEGBandPower(sfreq=1000.0).fit([item])
        assert ext.channels_ == names, item
    np.testing.assert_array_equal(EEGBandPower(sfreq=1000.0).fit_transform([str(path)]),
                                  EEGBandPower(sfreq=1000.0).fit_transform([rec]))


def test_input_column_without_a_manifest_is_refused_naming_the_flag_and_file(tmp_path, capsys):
    # a .txt file is read one text a line: --input-column chose nothing in it (it only named
    # the output's column), so the CARER file's "text;label_name" header line and labels
    # were read as texts; files and folders of audio and EEG have no columns either
    from emofeat.cli import main

    carer = shared_path("text", "carer", "test.txt")
    out = tmp_path / "t.parquet"
    assert main(["extract", "--set", "lexicon", str(carer), "--input-column", "text",
                 "-o", str(out), "-q"]) == 2
    # a table saved as .txt is said first (session 51): "leave --input-column out" sent the
    # user to that refusal on the next try (tests/test_text_txt_header51.py)
    assert "is a table, not one text a line" in capsys.readouterr().err
    assert not out.exists()
    texts = tmp_path / "texts.txt"  # CARER's texts alone, one a line
    texts.write_text("\n".join(line.rsplit(";", 1)[0] for line in carer.read_text(
        encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")
    assert main(["extract", "--set", "lexicon", str(texts), "--input-column", "text",
                 "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--input-column text" in err and f"{texts} is a plain text file" in err
    assert "CSV, TSV or JSON-lines manifest with a 'text' column" in err
    assert not out.exists()

    folder = tmp_path / "audio"
    folder.mkdir()
    wav = shared_path("speech", "emodb", "03a01Fa.flac")
    (folder / wav.name).symlink_to(wav)
    muse = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    for argv, what in (([str(folder)], f"{folder} is a folder"), ([str(wav)], f"{wav} is a file"),
                       (["--set", "eeg_stats", str(muse)], f"{muse} is an EEG recording")):
        assert main(["extract", *argv, "--input-column", "file", "-o", str(out), "-q"]) == 2
        err = capsys.readouterr().err
        assert "--input-column file: no input has columns" in err and what in err, err
        assert "manifest (CSV, TSV or JSON lines) with a 'file' column" in err
        assert not out.exists()


def test_input_column_names_the_manifest_column_beside_files_without_columns(tmp_path, capsys):
    # beside a manifest the flag applies, and the lines of a .txt file (the files of a
    # folder) are listed in the column it names
    import pandas as pd

    from emofeat.cli import main
    from emofeat.table import read_table

    csv = tmp_path / "c.csv"
    pd.DataFrame({"body": ["I love it", "awful"], "y": [1, 0]}).to_csv(csv, index=False)
    txt = tmp_path / "more.txt"
    txt.write_text("so sad\n", encoding="utf-8")
    out = tmp_path / "t.parquet"
    assert main(["extract", "--set", "lexicon", str(csv), str(txt), "--input-column", "body",
                 "-o", str(out), "-q"]) == 0, capsys.readouterr().err
    assert read_table(out).index["body"].tolist() == ["I love it", "awful", "so sad"]

    wav = shared_path("speech", "emodb", "03a01Fa.flac")
    folder = tmp_path / "audio"
    folder.mkdir()
    # another recording: a link to the manifest's own file would be one input listed twice
    (folder / "b.flac").symlink_to(shared_path("speech", "emodb", "03a01Nc.flac"))
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,emotion\n{wav},anger\n")
    out = tmp_path / "a.parquet"
    assert main(["extract", "--set", "mfcc", str(manifest), str(folder), "--input-column",
                 "file", "-o", str(out), "-q"]) == 0, capsys.readouterr().err
    assert read_table(out).index["file"].tolist() == [str(wav), str(folder.resolve() / "b.flac")]
