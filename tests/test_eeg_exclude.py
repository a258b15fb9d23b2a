"""``read_recording``'s ``exclude`` names columns that exist, or says so.

Regression: an ``exclude`` name matching no column was dropped without a word, so
``exclude='tp9'`` (a case slip) left TP9 among the channels and in every feature, and
``exclude=b'TP9'`` was read as the integers 84, 80, 57 and excluded nothing. A pick matching
no column was already refused; an exclusion now is too, naming the file, the name, the
columns and the one it may mean. Names holding ``AUX`` stay exempt: such columns are left
out wherever they appear, so the default ``("Right AUX",)`` need not be in every file.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import EEGChannelError, read_recording
from emofeat.errors import EmptyInputError


@pytest.fixture
def muse() -> str:
    return str(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))


def test_a_name_in_another_case_is_refused_with_the_one_meant(muse):
    with pytest.raises(EEGChannelError, match=r"subjecta-neutral-1\.csv.*no column 'tp9' to "
                       r"exclude \(columns: \['timestamps', 'TP9', .*did you mean 'TP9'\?"):
        read_recording(muse, exclude="tp9")
    with pytest.raises(EEGChannelError, match=r"no column 'Fz' to exclude .*\]\)$"):
        read_recording(muse, exclude=("Right AUX", "Fz"))


@pytest.mark.parametrize("bad", [b"TP9", bytearray(b"TP9"), 9, [b"TP9"], ["TP9", 1]])
def test_names_that_are_not_text_are_refused(muse, bad):
    with pytest.raises(TypeError, match="exclude: "):
        read_recording(muse, exclude=bad)


def test_names_that_match_exclude_as_before(muse):
    whole = read_recording(muse)
    assert whole.ch_names == ("TP9", "AF7", "AF8", "TP10")  # Right AUX left out by default
    rec = read_recording(muse, exclude=["TP9", "AF8"])
    assert rec.ch_names == ("AF7", "TP10")
    np.testing.assert_array_equal(rec.data, whole.data[[1, 3]])
    # AUX names are exempt: a file without them, and names of other devices' AUX inputs
    assert read_recording(muse, exclude=("AUX_RIGHT", "Left AUX")).ch_names == whole.ch_names
    assert read_recording(muse, exclude=()).ch_names == whole.ch_names


# ------------------------------------------------------- files MNE reads: exclude was ignored


@pytest.fixture
def vhdr() -> str:
    return str(shared_path("eeg", "mne_testdata", "test.vhdr"))


def _mne_channels(path: str) -> list[str]:
    import mne

    raw = mne.io.read_raw_brainvision(path, verbose="error")
    return [c for c, t in zip(raw.ch_names, raw.get_channel_types(), strict=True) if t == "eeg"]


def test_an_mne_file_leaves_out_what_exclude_names(vhdr):
    """Regression: ``exclude`` applied to CSV columns only; for an EDF, BDF, BrainVision, FIF
    or EEGLAB file it was ignored, so ``exclude=['FP1']`` kept FP1 without a word."""
    pytest.importorskip("mne")
    whole = read_recording(vhdr)
    assert list(whole.ch_names) == _mne_channels(vhdr)  # MNE's own EEG channels
    rec = read_recording(vhdr, exclude=["FP1", "C3"])
    assert "FP1" not in rec.ch_names and "C3" not in rec.ch_names
    kept = [k for k, c in enumerate(whole.ch_names) if c not in ("FP1", "C3")]
    assert list(rec.ch_names) == [whole.ch_names[k] for k in kept]
    np.testing.assert_array_equal(rec.data, whole.data[kept])
    # a channel the picks leave out anyway (CP5 is not EEG-typed in this file) is no error
    assert read_recording(vhdr, exclude="CP5").ch_names == whole.ch_names


def test_an_mne_file_refuses_an_exclusion_of_no_channel(vhdr):
    pytest.importorskip("mne")
    with pytest.raises(EEGChannelError, match=r"test\.vhdr.*no channel 'fp1' to exclude "
                       r"\(channels: \['FP1', .*did you mean 'FP1'\?"):
        read_recording(vhdr, exclude="fp1")
    with pytest.raises(TypeError, match="exclude: "):
        read_recording(vhdr, exclude=b"FP1")
    with pytest.raises(EmptyInputError, match="no channel left"):
        read_recording(vhdr, picks=["FP1", "FP2"], exclude=["FP1", "FP2"])


def test_epochs_leave_out_what_exclude_names(vhdr, tmp_path):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(vhdr, preload=True, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=1.0, preload=True, verbose="error")
    path = tmp_path / "fixed-epo.fif"
    epochs.save(path, verbose="error")
    whole = read_recording(path)
    rec = read_recording(path, exclude=("Fz",))
    kept = [k for k, c in enumerate(whole.ch_names) if c != "Fz"]
    assert "Fz" in whole.ch_names and list(rec.ch_names) == [whole.ch_names[k] for k in kept]
    np.testing.assert_array_equal(rec.data, whole.data[kept])


def test_a_mind_monitor_export_leaves_out_what_exclude_names(tmp_path):
    """Regression: ``exclude`` was not passed to the reader of Mind Monitor exports, so
    ``exclude='TP9'`` kept ``RAW_TP9`` as TP9 without a word. An electrode is excluded by its
    name or its column, as it is picked."""
    from test_eeg_mind_monitor import ELECTRODES, MUSE, _muse, _write_export

    df, ms = _muse("subjecta-neutral-1.csv")
    path = tmp_path / "mindMonitor_2018-07-31--18-15-31.csv"
    _write_export(path, df, ms)
    whole = read_recording(path)
    assert whole.ch_names == ELECTRODES
    want = read_recording(shared_path(*MUSE, "subjecta-neutral-1.csv"),
                          picks=["AF7", "AF8", "TP10"])
    for exclude in ("TP9", ["RAW_TP9"], ("TP9", "AUX_RIGHT")):
        rec = read_recording(path, exclude=exclude)
        assert rec.ch_names == ("AF7", "AF8", "TP10")
        np.testing.assert_array_equal(rec.data, want.data)
    with pytest.raises(EEGChannelError, match=r"no column 'tp9' to exclude .*did you mean "
                       r"'TP9'\?"):
        read_recording(path, exclude="tp9")
    with pytest.raises(EmptyInputError, match="no channel left"):
        read_recording(path, exclude=list(ELECTRODES))


# ------------------------------------------------------- review mends (session 43)


def test_names_with_blanks_match_as_picks_do(muse, tmp_path):
    """A CSV written with ', ' separators has columns ' TP9', ...: picks and ch_names give
    'TP9', but ``exclude='TP9'`` was refused ('did you mean ' TP9'?')."""
    lines = open(muse, encoding="utf-8").read().splitlines()[:2000]
    path = tmp_path / "blanks.csv"
    path.write_text("\n".join(line.replace(",", ", ") for line in lines) + "\n")
    whole = read_recording(path)
    assert whole.ch_names == ("TP9", "AF7", "AF8", "TP10")
    rec = read_recording(path, exclude="TP9")
    assert rec.ch_names == ("AF7", "AF8", "TP10")
    np.testing.assert_array_equal(rec.data, whole.data[1:])


def test_a_list_of_picks_leaves_out_what_exclude_names(muse):
    """A list of picks (``read_muse``'s default) ignored ``exclude``, unchecked: the MNE path
    applied it after the picks, the CSV path not at all."""
    from emofeat.datasets.eeg_corpora import read_muse

    rec = read_recording(muse, picks=["TP9", "AF7"], exclude="AF7")
    assert rec.ch_names == ("TP9",)
    with pytest.raises(EEGChannelError, match="no column 'nonsense' to exclude"):
        read_recording(muse, picks=["TP9", "AF7"], exclude="nonsense")
    with pytest.raises(EmptyInputError, match="no channel left"):
        read_recording(muse, picks=["TP9"], exclude="TP9")
    assert read_muse(muse, exclude="AF7").ch_names == ("TP9", "AF8", "TP10")


def _fif_with(vhdr: str, tmp_path, rename=None, bads=()) -> str:
    import mne

    raw = mne.io.read_raw_brainvision(vhdr, preload=True, verbose="error")
    if rename:
        raw.rename_channels(rename)
    raw.info["bads"] = list(bads)
    path = str(tmp_path / "rec_raw.fif")
    raw.save(path, overwrite=True, verbose="error")
    return path


def test_an_mne_file_does_not_exempt_aux_names(vhdr, tmp_path):
    """The AUX exemption holds for CSV columns, which are left out unless picked; in a file
    MNE reads the channel types decide, so an EEG channel named AUX1 misspelled in
    ``exclude`` was kept without a word."""
    pytest.importorskip("mne")
    path = _fif_with(vhdr, tmp_path, rename={"FP2": "AUX1"})
    assert "AUX1" in read_recording(path).ch_names
    with pytest.raises(EEGChannelError, match=r"no channel 'aux1' to exclude .*did you mean "
                       r"'AUX1'\?"):
        read_recording(path, exclude=["aux1"])
    assert "AUX1" not in read_recording(path, exclude=[" AUX1 "]).ch_names


def test_an_mne_file_excludes_its_bad_channels_by_bads(vhdr, tmp_path):
    """``"bads"``, MNE's name for the channels ``info["bads"]`` lists (kept by the default
    picks: docs/eeg.md), was refused as 'no channel'."""
    pytest.importorskip("mne")
    path = _fif_with(vhdr, tmp_path, bads=("C3", "Pz"))
    whole = read_recording(path)
    assert {"C3", "Pz"} <= set(whole.ch_names)
    rec = read_recording(path, exclude="bads")
    kept = [k for k, c in enumerate(whole.ch_names) if c not in ("C3", "Pz")]
    assert list(rec.ch_names) == [whole.ch_names[k] for k in kept]
    np.testing.assert_array_equal(rec.data, whole.data[kept])
    assert read_recording(path, exclude=None).ch_names == whole.ch_names


def test_a_mind_monitor_refusal_lists_columns_and_electrodes_apart(tmp_path):
    from test_eeg_mind_monitor import _muse, _write_export

    df, ms = _muse("subjecta-neutral-1.csv")
    path = tmp_path / "export.csv"
    _write_export(path, df, ms)
    with pytest.raises(EEGChannelError, match=r"no column 'Fz' to exclude \(columns: "
                       r"\['TimeStamp', .*'Elements'\]; electrodes: \['TP9', 'AF7', 'AF8', "
                       r"'TP10'\]\)$"):
        read_recording(path, exclude="Fz")
    rec = read_recording(path, picks=["TP9", "AF7"], exclude="RAW_AF7")
    assert rec.ch_names == ("TP9",)
