"""Second review of the EEG mends of session 42 (e078cee, c8762d5, b2989ce, 49f1d40): each
test fails on the code before its mend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

mne = pytest.importorskip("mne")


def _muse_recording():
    from emofeat.eeg_input import read_recording

    return read_recording(str(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")))


def _reflected(row: np.ndarray, n_edge: int) -> np.ndarray:
    """MNE's "reflect_limited" pad of ``n_edge`` samples at each end of ``row``."""
    return np.concatenate([2 * row[:1] - row[n_edge:0:-1], row,
                           2 * row[-1:] - row[-2 : -n_edge - 2 : -1]])


@pytest.mark.parametrize("n", [300, 700])
def test_a_nan_in_a_signal_shorter_than_its_filter_spoils_what_it_reaches(n):
    """Regression: a NaN/inf sample in a signal shorter than half its filter raised a bare
    ``IndexError`` (the span of outputs it reaches was read past the padded signal). On 300
    and 700 samples of the real Muse recording (a 1 Hz highpass has 845 taps at its rate),
    the NaN outputs are those of a direct ``np.convolve`` of the padded signal (all of them
    at 300 samples, where every output reaches every sample), and the others its values
    with the bad samples taken as 0."""
    from emofeat.extractors import eeg

    from emofeat.eeg_input import filter_recording

    rec = _muse_recording()
    x = rec.data[:3, 1000 : 1000 + n].copy()
    x[0, n - 100] = np.nan
    x[1, 40] = np.inf
    for l_freq, h_freq in ((1.0, None), (1.0, 30.0)):
        n_h = eeg.fir_length(rec.sfreq, l_freq, h_freq)[0]
        assert n_h > n  # the case
        got = filter_recording(x, rec.sfreq, l_freq, h_freq)
        h = eeg._fir(float(rec.sfreq), l_freq, h_freq)
        start = (n_h - 1) // 2 + n - 1
        for row, y in zip(x, got, strict=True):
            xp = _reflected(row, n - 1)
            spoiled = np.convolve(~np.isfinite(xp), np.ones(n_h))[start : start + n] > 0
            want = np.convolve(np.where(np.isfinite(xp), xp, 0.0), h)[start : start + n]
            np.testing.assert_array_equal(np.isnan(y), spoiled)
            np.testing.assert_allclose(y[~spoiled], want[~spoiled], rtol=1e-9, atol=1e-9)
        assert all(np.isnan(y).sum() == n if n < n_h // 2 else 0 < np.isnan(y).sum() < n
                   for y in got[:2])
        assert not np.isnan(got[2]).any()


def test_differential_entropy_of_1_s_windows_with_a_dropout_is_nan_in_its_window_only():
    """Regression: the run that died of it: ``eeg_de`` (``method="filter"``) of 10 s of the
    Muse recording in 1 s windows, one NaN sample in AF7's second window, raised
    ``IndexError`` through ``on_error="record"``. The rows are the clean recording's but for
    AF7's features in that window, which are NaN."""
    from emofeat.eeg_input import EEGRecording
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    rec = _muse_recording()
    clean = np.ascontiguousarray(rec.data[:3, : int(10 * rec.sfreq)])
    dropout = clean.copy()
    dropout[1, int(1.5 * rec.sfreq)] = np.nan
    tables = [run([EEGRecording(d, rec.sfreq, rec.ch_names[:3], "muse")],
                  [get_extractor("eeg_de", method="filter")], segment=1.0,
                  on_error="record")
              for d in (clean, dropout)]
    assert all(len(t.errors) == 0 for t in tables)
    want, got = (t.table.X for t in tables)
    names = tables[1].table.feature_names
    assert rec.ch_names[1] == "AF7" and not np.isnan(want).any()
    spoiled = np.zeros(got.shape, dtype=bool)
    spoiled[1, [i for i, c in enumerate(names) if c.endswith("_AF7")]] = True
    assert spoiled.sum() > 0
    np.testing.assert_array_equal(np.isnan(got), spoiled)
    np.testing.assert_array_equal(got[~spoiled], want[~spoiled])


def test_picks_that_name_no_channel_go_to_mne_as_given():
    """Regression: ``read_recording(path, picks=slice(0, 3))`` (MNE accepts a slice, and
    b808095 did) was refused "(TypeError: 'slice' object is not iterable)" once picks were
    matched in NFC (c8762d5). On the BrainVision test recording, a slice, indices and
    MNE's type pick the channels MNE's ``pick`` picks."""
    from emofeat.eeg_input import read_recording

    vhdr = str(shared_path("eeg", "mne_testdata", "test.vhdr"))
    raw = mne.io.read_raw(vhdr, preload=True, verbose="error")
    for picks in (slice(0, 3), slice(2, None, 5), [0, 1, 2], np.array([4, 1]), "eeg"):
        rec = read_recording(vhdr, picks=picks)
        want = raw.copy().pick(picks)
        assert rec.ch_names == tuple(want.ch_names)
        np.testing.assert_array_equal(rec.data, want.get_data())


def test_an_exclusion_spelled_as_the_header_spells_it_drops_that_column_alone(tmp_path):
    """Regression: with a header holding both ``'F\\xe9'`` and ``'Fe\\u0301'`` (the Muse
    recording's AF7 and AF8 renamed), ``exclude=('F\\xe9',)`` dropped both columns while
    ``picks`` takes the exact spelling first; it now drops the column spelled so alone, and
    keeps the other (shown in NFC)."""
    import pandas as pd

    from emofeat.eeg_input import read_recording

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    path = tmp_path / "both.csv"
    df.rename(columns={"AF7": "F\xe9", "AF8": "Fe\u0301"}).to_csv(path, index=False)
    for dropped, kept in (("F\xe9", "AF8"), ("Fe\u0301", "AF7")):
        rec = read_recording(str(path), exclude=(dropped,))
        assert rec.ch_names == ("TP9", "F\xe9", "TP10")
        np.testing.assert_array_equal(rec.data[1], df[kept].to_numpy(dtype=np.float64))


def test_an_exclusion_given_as_one_string_is_one_name():
    """Regression (a62fa79): ``exclude="TP9"`` was read letter by letter, excluded nothing, and
    TP9 stayed a channel without a word; a string is one name, as a one-name tuple is (and
    as the tree before a62fa79 took it)."""
    from emofeat.eeg_input import read_recording

    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    as_tuple = read_recording(str(path), exclude=("TP9",))
    as_str = read_recording(str(path), exclude="TP9")
    assert "TP9" not in as_str.ch_names and as_str.ch_names == as_tuple.ch_names
    np.testing.assert_array_equal(as_str.data, as_tuple.data)


def test_only_the_filter_length_refusal_of_eeg_de_is_blamed_on_the_input(monkeypatch):
    """Regression: ``eeg_de`` with ``method="filter"`` turned every ``ValueError`` of
    ``differential_entropy`` into an ``InputError`` naming the file (b2989ce), so a bug, or a
    message of MNE's, was blamed on the user's data. The refusal of a band's filter longer
    than the signal names the input (``check_fir_length`` given the source); a
    ``ValueError`` from the filtering itself stays one (a designed filter made to fail, on
    the Muse recording)."""
    from emofeat.extractors import eeg

    import emofeat
    from emofeat.errors import InputError

    short = str(shared_path("eeg", "muse_mental_state", "subjectd-concentrating-2.csv"))
    with pytest.raises(InputError) as err:
        emofeat.extract([short], "eeg_de",
                        params={"method": "filter", "bands": {"slow": (0.0003, 4.0)}})
    assert err.value.source == short and "longer than the signal (888 samples" in str(err.value)

    def failing(*args, **kwargs):
        raise ValueError("a filter that fails")

    monkeypatch.setattr(eeg, "_fir_filter_unchecked", failing)
    with pytest.raises(ValueError, match="^a filter that fails$") as err:
        emofeat.extract([short], "eeg_de", params={"method": "filter"})
    assert not isinstance(err.value, InputError)


def test_concat_of_a_record_whose_parameters_a_set_refuses_says_the_tables_differ():
    """Regression (6678d52): concat rebuilt the recorded sets to ask whether the tail rule
    changes their rows, and a parameter the set checks only at fit (``bands="nonsense"``)
    escaped as that set's own error; such a record cannot be judged, so the tables are
    refused as extracted differently, as before."""
    import pandas as pd

    from emofeat.registry import get_extractor
    from emofeat.runner import _describe_sets
    from emofeat.table import FeatureTable

    def table(segments):
        prov = {"modality": "eeg", "level": "window", "sfreq": 256.0, "segments": segments,
                "sets": _describe_sets([get_extractor("eeg_bands")])}
        prov["sets"][0]["params"]["bands"] = "nonsense"
        return FeatureTable(np.zeros((1, 1)), ["f"], pd.DataFrame({"path": ["a"]}), prov)

    old, new = table({"segment": 2.0, "hop": 2.0}), table({"segment": 2.0, "hop": 2.0,
                                                           "tail": 0.25})
    with pytest.raises(ValueError, match="extracted differently"):
        FeatureTable.concat([old, new])
