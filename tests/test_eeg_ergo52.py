"""BioSemi's ERGO inputs are not EEG (session 52).

MNE's real BioSemi EDF test file has, besides blocks A..I of electrodes and ``Status``, the
two channels ``Ergo-Left`` and ``Ergo-Right``: the inputs of the BioSemi AD-box's ERGO
connector, for response switches or other sensors, "floating" when nothing is plugged in
(BioSemi FAQ, "How are stimulator trigger signals handled",
https://www.biosemi.com/faq/trigger_signals.htm). MNE types every EDF channel EEG, and the
readers kept both as EEG channels (band powers of a switch or of a floating input). In the
file, Ergo-Right sits near -2.2 mV with steps of 2.4 mV peak to peak (no EEG is that), and
Ergo-Left moves 7 uV in all.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import other_signal_name, read_recording

mne = pytest.importorskip("mne")

ERGO = ("Ergo-Left", "Ergo-Right")


def _path():
    return shared_path("eeg", "mne_testdata", "test.edf")


def test_the_ergo_inputs_are_not_read_as_eeg():
    raw = mne.io.read_raw_edf(_path(), preload=True, verbose=False)
    assert set(ERGO) <= set(raw.ch_names)  # the file is what the rule is for
    data = raw.get_data(picks=list(ERGO))
    # an input no scalp EEG is: Ergo-Right near -2 mV (tolerance: its median within 1 mV)
    assert abs(np.median(data[1]) + 2.2e-3) < 1e-3
    rec = read_recording(_path())
    assert not set(ERGO) & set(rec.ch_names)
    electrodes = [c for c in raw.ch_names if c not in (*ERGO, "Status")]
    assert list(rec.ch_names) == electrodes  # every electrode of blocks A..I still read
    for name in ERGO:
        assert other_signal_name(name) and other_signal_name(name, aux=False)


def test_no_electrode_of_mne_montages_is_named_as_ergo():
    names = set()
    for montage in mne.channels.get_builtin_montages():
        names |= set(mne.channels.make_standard_montage(montage).ch_names)
    assert len(names) > 1000
    assert [n for n in names if other_signal_name(n)] == []
