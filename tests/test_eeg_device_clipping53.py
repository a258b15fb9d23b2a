"""Samples at an OpenBCI Cyton's or a Mind Monitor export's input limits are reported
(session 53), as a Muse file's are since session 52.

- Cyton / Daisy (ADS1299): a 24-bit code is ``code * 4.5 V / gain / (2**23 - 1)`` (OpenBCI's
  Cyton data format; BrainFlow's conversion), and an input beyond the range gives the end
  codes 2**23 - 1 or -2**23 (TI's ADS1299 data sheet): +187,500 and -187,500.0224 uV at the
  default gain 24. Such a file is written here from 8 channels of MNE's BrainVision test
  recording (250 Hz), one channel riding on a loosening electrode's drift of up to 0.3 V,
  passed through the converter at gain 24 (codes clipped at the ends).
- Mind Monitor exports the Muse's 12-bit samples as Interaxon's SDK gives them, 0.0 to
  1682.815 uV (``/muse/eeg``): code 0 and 4095 are its ends. Written here from the Muse
  recording ``subjectc-neutral-1`` of ../shared/data, whose AF8 and AF7 hold real clipping.

The counts expected are those of the codes at the ends (taken from the model or the file),
one ``EEGChannelWarning`` per file names each clipped channel; the samples are kept.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.readers import EEGChannelWarning

LSB24 = 4.5e6 / 24 / (2**23 - 1)  # uV per code at gain 24


def _clipped(path, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        rec = read_recording(path, **kw)
    said = [str(w.message) for w in got
            if issubclass(w.category, EEGChannelWarning) and "clipped" in str(w.message)]
    return rec, said


def _cyton_file(path, codes, lsb, board="OpenBCI_GUI$BoardCytonSerial", decimals=6):
    n = codes.shape[0]
    lines = ["%OpenBCI Raw EXG Data", f"%Number of channels = {n}", "%Sample Rate = 250 Hz",
             f"%Board = {board}",
             ", ".join(["Sample Index", *(f"EXG Channel {k}" for k in range(n)),
                        "Accel Channel 0", "Timestamp"])]
    for i in range(codes.shape[1]):
        lines.append(", ".join([f"{i % 256}.0",
                                *(f"{c * lsb:.{decimals}f}" for c in codes[:, i]),
                                "0.0", f"{1.6e9 + i / 250:.6f}"]))
    path.write_text("\n".join(lines) + "\n")


def _cyton_codes():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    raw.pick(list(range(8))).resample(250, verbose=False)
    x = raw.get_data(units="uV")
    t = np.arange(x.shape[1]) / 250
    x[2] += 3e5 * np.sin(2 * np.pi * t / t[-1])  # a drift of +-0.3 V: past both ends
    x[5] += 1.5e5  # an offset of 150 mV: near the top, within it
    return np.clip(np.round(x / LSB24), -(2**23), 2**23 - 1).astype(np.int64)


@pytest.mark.parametrize("decimals", [6, 2])
def test_a_cyton_file_at_its_input_limits_is_said(tmp_path, decimals):
    codes = _cyton_codes()
    ends = ((codes == 2**23 - 1) | (codes == -(2**23))).sum(axis=1)
    assert ends[2] > 0 and not ends[[0, 1, 3, 4, 5, 6, 7]].any()
    path = tmp_path / "OpenBCI-RAW-clipped.txt"
    _cyton_file(path, codes, LSB24, decimals=decimals)
    rec, said = _clipped(path)
    assert len(said) == 1 and said[0].startswith(f"{path}: 1 channel clipped at the Cyton's")
    n = codes.shape[1]
    assert f"EXG Channel 2 {ends[2]} of {n} samples" in said[0]
    assert "EXG Channel 5" not in said[0]  # near the top, not at it
    np.testing.assert_allclose(rec.data, codes * LSB24, rtol=0, atol=0.5 * 10.0**-decimals)


def test_other_gains_and_unclipped_files(tmp_path):
    codes = _cyton_codes()
    # at gain 1 the same samples are 24 times smaller in code: none at the ends, and a
    # value near 187,500 uV there is no end of gain 24's (not on its grid)
    lsb1 = 24 * LSB24
    x = codes * LSB24
    x[5] = 187_500.3 + x[5] - x[5].mean()
    gain1 = np.round(x / lsb1).astype(np.int64)
    path = tmp_path / "gain1.txt"
    _cyton_file(path, gain1, lsb1)
    assert not _clipped(path)[1]
    # gain 8: its ends are +-562,500 uV
    lsb8 = 3 * LSB24
    g8 = np.clip(np.round(codes * LSB24 * 3.2 / lsb8), -(2**23), 2**23 - 1).astype(np.int64)
    ends = ((g8 == 2**23 - 1) | (g8 == -(2**23))).sum(axis=1)
    path = tmp_path / "gain8.txt"
    _cyton_file(path, g8, lsb8)
    said = _clipped(path)[1]
    assert ends[2] and len(said) == 1 and f"EXG Channel 2 {ends[2]} of" in said[0]
    # a Ganglion (another converter) is not judged by the Cyton's ends
    path = tmp_path / "ganglion.txt"
    _cyton_file(path, codes, LSB24, board="OpenBCI_GUI$BoardGanglionBLE")
    assert not _clipped(path)[1]


MIND_MONITOR_TOP = 1682.815  # uV, code 4095 (Interaxon's SDK documentation of /muse/eeg)
#: the top of real exports (technoshaman001/EEG on GitHub: museMonitor_2021-03-14 and
#: mindMonitor_2023-01-11 hold samples on a grid of 1650/4095 uV a code, 792.96704 uV being
#: code 1968), written as Java writes a float (the shortest repr of a float32)
REAL_EXPORT_TOP = 1650.0


def _mind_monitor(path, name, top=MIND_MONITOR_TOP):
    """A Mind Monitor export of a Muse corpus file: each sample's 12-bit code (the file's
    microvolts are 0.48828125 * (code - 2048)) as Interaxon's microvolts on a scale whose
    code 4095 is ``top``: the SDK's written to 3 decimals, the real exports' as float32s."""
    import pandas as pd

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", name))
    electrodes = ["TP9", "AF7", "AF8", "TP10"]
    codes = {e: np.round(df[e].to_numpy() / 0.48828125 + 2048).astype(int) for e in electrodes}
    stamps = pd.to_datetime(np.round(df["timestamps"].to_numpy() * 1000), unit="ms")
    lines = ["TimeStamp," + ",".join(f"RAW_{e}" for e in electrodes) + ",AUX_RIGHT,Elements"]
    text = stamps.strftime("%Y-%m-%d %H:%M:%S.%f")
    for i in range(len(df)):
        if top == MIND_MONITOR_TOP:
            cells = [f"{codes[e][i] * top / 4095:.3f}" for e in electrodes]
        else:
            cells = [str(np.float32(codes[e][i] * top / 4095)) for e in electrodes]
        lines.append(",".join([text[i][:-3], *cells, "840.0"]))
    path.write_text("\n".join(lines) + "\n")
    return {e: int(((c <= 0) | (c >= 4095)).sum()) for e, c in codes.items()}, len(df)


@pytest.mark.parametrize("top", [MIND_MONITOR_TOP, REAL_EXPORT_TOP])
def test_a_mind_monitor_export_at_its_input_limits_is_said(tmp_path, top):
    # on the real exports' scale (top 1650.0) only the bottom end was counted before the
    # mend ('AF8 5 of 15204' for the 109 samples at code 0 or 4095): exact counts, no
    # tolerance
    path = tmp_path / "mindMonitor_2018-07-31.csv"
    ends, n = _mind_monitor(path, "subjectc-neutral-1.csv", top)
    assert ends["AF8"] > 0
    rec, said = _clipped(path)
    assert rec.ch_names == ("TP9", "AF7", "AF8", "TP10")
    clipped = [e for e, k in ends.items() if k]
    assert len(said) == 1
    for e, k in ends.items():
        assert (f"{e} {k} of {n} samples" in said[0]) == bool(k)
    assert said[0].startswith(
        f"{path}: {len(clipped)} channel{'s' if len(clipped) > 1 else ''} clipped at Mind "
        f"Monitor's input limits (0 or {top:.7g} uV")


def test_a_mind_monitor_export_within_its_limits_says_nothing(tmp_path):
    for top in (MIND_MONITOR_TOP, REAL_EXPORT_TOP):
        path = tmp_path / f"mindMonitor_calm_{top:g}.csv"
        ends, _ = _mind_monitor(path, "subjecta-relaxed-1.csv", top)
        assert not any(ends.values())
        assert not _clipped(path)[1]


def test_the_ends_of_gain_1_written_to_one_decimal(tmp_path):
    # at gain 1 a code is 0.54 uV and the ends +-4.5 V: written to 1 decimal (as a float32
    # is near 4.5e6 uV), the bottom end -4,500,000.536 reads -4,500,000.5, 0.036 uV off,
    # still within 0.25 code; the next code (0.54 uV in) is not an end
    codes = _cyton_codes()
    lsb1 = 24 * LSB24
    x = codes * LSB24 * 30  # 30 times larger: the drift past +-4.5 V, the offset past +4.5 V
    gain1 = np.clip(np.round(x / lsb1), -(2**23), 2**23 - 1).astype(np.int64)
    gain1[4, 100] = -(2**23) + 1  # one code in from the bottom: not clipped
    ends = ((gain1 == 2**23 - 1) | (gain1 == -(2**23))).sum(axis=1)
    assert ends[2] and (gain1[2] == -(2**23)).any() and not ends[4]
    path = tmp_path / "gain1_1dp.txt"
    _cyton_file(path, gain1, lsb1, decimals=1)
    said = _clipped(path)[1]
    assert len(said) == 1 and said[0].startswith(f"{path}: {np.count_nonzero(ends)} channels")
    for k, count in enumerate(ends):
        assert (f"EXG Channel {k} {count} of" in said[0]) == bool(count)


def test_a_gain_6_sample_near_gain_8s_top_is_no_end(tmp_path):
    # review RB of ae900de: gain 6's code 6,291,455 is 562,499.978 uV, a third of a code of
    # gain 8 under gain 8's top (562,500 uV); written to 2 decimals, 562,499.98, it was
    # 0.298 code away, within the 0.3 tolerance, and counted as clipped at gain 8. A gain-6
    # recording whose channel hovers near 562,500 uV (an offset of that size) has nothing
    # at its own ends: no warning
    codes = _cyton_codes()
    lsb6 = 4 * LSB24
    x = codes * LSB24
    x[2] = x[1]  # no drift: this file's one large channel is the offset one
    x[5] = 562_500 + x[5] - x[5].mean()
    g6 = np.round(x / lsb6).astype(np.int64)
    g6[5, 100] = 6_291_455  # the code a third of gain 8's code under its top
    assert (g6[5] == 6_291_455).sum() >= 1
    assert not ((g6 == 2**23 - 1) | (g6 == -(2**23))).any()
    path = tmp_path / "gain6.txt"
    _cyton_file(path, g6, lsb6, decimals=2)
    assert not _clipped(path)[1]
