"""BrainFlow files are refused saying why and how to read them (session 53).

BrainFlow's ``DataFilter.write_file`` (and the OpenBCI GUI's ``BrainFlow-RAW_*.csv``) writes
one row per sample, the board descriptor's columns tab-separated, no header: for a Cyton 24
columns, the packet counter, 8 EEG channels, accelerometer, other and analog columns, a Unix
timestamp and a marker. Which columns are EEG, and the rate, depend on the board id, which
the file does not hold, so no reader can pick them honestly. Until session 53 such a file
named ``.csv`` was refused as "an EEG CSV needs a time column ..., found ['0.000000\\t30.76...']"
(its first row taken for one column name), and named ``.txt`` as no OpenBCI GUI file; neither
said what it was or how to read it.

The file is written here in that layout from 8 channels of MNE's BrainVision test recording
at 250 Hz.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import read_recording
from emofeat.errors import InputError


def _brainflow_cyton(path):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    eeg = raw.pick(list(range(8))).resample(250, verbose=False).get_data(units="uV")
    n = eeg.shape[1]
    rows = np.vstack([np.arange(n) % 256, eeg, np.zeros((3 + 7 + 3, n)),
                      1.7e9 + np.arange(n) / 250, np.zeros(n)])
    assert rows.shape[0] == 24  # the Cyton's descriptor
    np.savetxt(path, rows.T, delimiter="\t", fmt="%.6f")


@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_a_brainflow_file_is_refused_saying_how_to_read_it(tmp_path, suffix):
    path = tmp_path / f"BrainFlow-RAW_2024-01-01_10-00-00_0{suffix}"
    _brainflow_cyton(path)
    pattern = (r"a BrainFlow file \(DataFilter.write_file: 24 tab-separated numbers a row, "
               r"no header line\): which columns are EEG, and the rate, depend on the board"
               r".*BoardShim.get_eeg_channels\(board_id\)")
    with pytest.raises(InputError, match=pattern) as got:
        read_recording(path)
    assert str(got.value).startswith(str(path))
    with pytest.raises(InputError, match="BrainFlow file"):
        EEGBandPower(sfreq=250).fit_transform([str(path)])


def test_a_muse_csv_still_reads(tmp_path):
    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    assert rec.ch_names == ("TP9", "AF7", "AF8", "TP10")


@pytest.mark.parametrize("form", ["folder", ".csv", ".txt"])
def test_the_command_says_what_a_brainflow_file_is(tmp_path, capsys, form):
    # given to the command, in a folder or directly: until session 53 a folder of them was
    # 'no eeg files', the .csv was read as a manifest ('the header names 5 columns twice')
    # and the .txt was 'a .txt file is no eeg input'
    from emofeat.cli import main

    folder = tmp_path / "session"
    folder.mkdir()
    path = folder / f"BrainFlow-RAW_0{'.txt' if form == '.txt' else '.csv'}"
    _brainflow_cyton(path)
    code = main(["extract", "--set", "eeg_bands", str(folder if form == "folder" else path),
                 "-o", str(tmp_path / "out.parquet")])
    assert code != 0
    assert "a BrainFlow file (DataFilter.write_file" in capsys.readouterr().err


def test_a_folder_with_tables_of_numbers_lists_only_its_recordings(tmp_path, capsys):
    # review RB of d915b48: any .txt/.csv whose first line was tab-separated numbers was
    # listed as a BrainFlow file and failed (exit 3); a labels file and an events table
    # beside a recording are no input. A BrainFlow row has 4 columns or more, one a Unix time
    # in seconds (every board's timestamp column)
    import shutil

    import pandas as pd

    from emofeat.cli import main

    folder = tmp_path / "session"
    folder.mkdir()
    shutil.copy(shared_path("eeg", "mne_testdata", "test.edf"), folder / "test.edf")
    (folder / "labels.txt").write_text("1\t0\t2\n0\t1\t2\n")
    # onset (s), duration, code, trial: numbers, no Unix time
    (folder / "events.csv").write_text("12.5\t0.0\t3\t1\n30.0\t0.0\t4\t2\n")
    out = tmp_path / "out.parquet"
    code = main(["extract", "--set", "eeg_bands", str(folder), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "BrainFlow" not in err
    assert set(pd.read_parquet(out)["path"].map(lambda p: p.rsplit("/", 1)[-1])) == {"test.edf"}


@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_a_table_of_numbers_given_as_eeg_is_no_brainflow_file(tmp_path, suffix):
    # given directly, such a table is said to be what it is, not a BrainFlow file
    path = tmp_path / f"events{suffix}"
    path.write_text("12.5\t0.0\t3\t1\n30.0\t0.0\t4\t2\n")
    with pytest.raises(InputError, match="a table of 4 tab-separated numbers a row with no "
                       "header line, and no BrainFlow file") as got:
        read_recording(path)
    assert str(got.value).startswith(str(path))


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_a_brainflow_file_given_to_an_audio_set_is_called_so(tmp_path, capsys, suffix):
    # until session 53's review the .txt was 'an EEG recording (OpenBCI GUI)' and the .csv
    # 'an EEG recording (a time column, no 'path' column)', neither of which it is
    from emofeat.cli import main

    path = tmp_path / f"BrainFlow-RAW_0{suffix}"
    _brainflow_cyton(path)
    code = main(["extract", "--set", "mfcc", str(path), "-o", str(tmp_path / "out.parquet")])
    err = capsys.readouterr().err
    assert code != 0
    assert f"{path} is a BrainFlow file (EEG: tab-separated numbers with no header" in err, err
    assert "OpenBCI GUI" not in err and "time column" not in err


def test_a_brainflow_csv_given_to_an_audio_extractor_is_called_so(tmp_path):
    from emofeat.extractors.mfcc import MFCC

    from emofeat.runner import run

    path = tmp_path / "BrainFlow-RAW_0.csv"
    _brainflow_cyton(path)
    res = run([str(path)], [MFCC()], on_error="record")
    message = res.errors["message"].iloc[0]
    assert "; it is a BrainFlow file (EEG: tab-separated numbers" in message, message
    assert "time column" not in message
