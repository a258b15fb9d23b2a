"""Windows of a continuous recording computed at once (shared Welch segments, block Hjorth) and
the extractors' batched paths, against the window-by-window path, MNE and mne-features, on
the real EEG in ../shared/data/eeg.

Tolerances: the shared-segment Welch PSD is the same arithmetic as a window cut on its own, so
it must be bit-for-bit equal (observed: equal); Hjorth from merged block sums of squares is a
different summation order, rtol 1e-12 (observed ~4e-15); against MNE (``psd_array_welch``)
and mne-features, rtol 1e-9 (observed ~1e-15).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower, EEGHjorth, eeg

mne = pytest.importorskip("mne")

RTOL = 1e-9
KINDS = ("absolute", "relative", "db")


@pytest.fixture(scope="module")
def edf():
    """The whole 139-channel EDF (138 EEG channels, 512 Hz, 6 s), in uV."""
    raw = mne.io.read_raw_edf(shared_path("eeg", "mne_testdata", "test.edf"), verbose="error")
    return np.ascontiguousarray(raw.get_data(picks="eeg", units="uV")), raw.info["sfreq"]


@pytest.fixture(scope="module")
def muse():
    """A whole gap-free stretch of a Muse recording (4 channels, uV), given as an array at
    250 Hz (the headband's rate is 256 Hz): the tests' window layouts count 250 samples a
    second, and emofeat is compared with the references at the rate it is given."""
    from emofeat.datasets.eeg_corpora import read_muse

    r = read_muse(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    end = r.breaks[0] if r.breaks else r.n_times
    return np.ascontiguousarray(r.data[:, :end]), 250.0, tuple(r.ch_names)


def _cut(x, spans):
    return np.stack([x[..., a:b] for a, b in spans])


# (window, hop) in samples at 512 Hz, Welch segments of 512 every 256: hop aligned to the
# segments, half of them, not aligned at all, odd lengths, the last window at the very end
EDF_LAYOUTS = [(1024, 128), (1024, 512), (1000, 333), (777, 101), (3072, 1)]


@pytest.mark.parametrize(("n_win", "n_hop"), EDF_LAYOUTS)
def test_windows_equal_window_by_window_on_edf(edf, n_win, n_hop):
    x, sf = edf
    spans = eeg.window_spans(x.shape[1], n_win, n_hop)
    if n_hop == 1:
        spans = spans[:1]
    assert spans[-1, 1] > x.shape[1] - n_hop  # the recording's end is covered
    X = _cut(x, spans)
    kw = {"n_fft": 512, "n_overlap": 256}
    p1, f1 = eeg.welch_psd_windows(x, sf, spans, **kw)
    p0, f0 = eeg.welch_psd(X, sf, **kw)
    np.testing.assert_array_equal(f1, f0)
    np.testing.assert_array_equal(p1, p0)  # the same segments and arithmetic: bit for bit
    new = eeg.band_power_windows(x, sf, spans, kinds=KINDS, **kw)
    old = eeg.band_power_features(X, sf, kinds=KINDS, **kw)
    for k in KINDS:
        np.testing.assert_array_equal(new[k], old[k])
    for conv in ("hjorth", "mne_features"):
        np.testing.assert_allclose(eeg.hjorth_windows(x, spans, convention=conv),
                                   eeg.hjorth_parameters(X, convention=conv), rtol=1e-12)
    bp, h = eeg.band_power_hjorth_windows(x, sf, spans, kinds=KINDS, convention="mne_features",
                                          **kw)
    for k in KINDS:
        np.testing.assert_array_equal(bp[k], old[k])
    np.testing.assert_allclose(h, eeg.hjorth_parameters(X, convention="mne_features"),
                               rtol=1e-12)


def test_windows_match_mne_and_mne_features(edf, muse):
    from mne_features.univariate import (
        compute_hjorth_complexity,
        compute_hjorth_mobility,
        compute_pow_freq_bands,
    )

    edges = np.array([1.0, 4.0, 8.0, 13.0, 30.0, 45.0])
    for x, sf, n_win, n_hop in ((edf[0][:20], edf[1], 1024, 128), (muse[0], muse[1], 1000, 500)):
        spans = eeg.window_spans(x.shape[1], n_win, n_hop)[:12]
        n_fft = int(sf)
        bp, h = eeg.band_power_hjorth_windows(x, sf, spans, kinds=("absolute", "relative"),
                                              convention="mne_features", n_fft=n_fft,
                                              n_overlap=n_fft // 2)
        for w, (a, b) in enumerate(spans):
            seg = x[:, a:b]
            p, f = mne.time_frequency.psd_array_welch(seg, sf, n_fft=n_fft,
                                                      n_overlap=n_fft // 2, verbose="error")
            df = f[1] - f[0]
            ab = np.stack([p[:, (f >= lo) & (f < hi)].sum(-1) * df
                           for lo, hi in eeg.DEFAULT_BANDS.values()], -1)
            np.testing.assert_allclose(bp["absolute"][w], ab, rtol=RTOL)
            np.testing.assert_allclose(bp["relative"][w], ab / (p.sum(-1) * df)[:, None],
                                       rtol=RTOL)
            params = {"welch_n_fft": n_fft, "welch_n_per_seg": n_fft,
                      "welch_n_overlap": n_fft // 2}
            rel = compute_pow_freq_bands(sf, seg, edges, normalize=True, psd_params=params)
            closed = eeg.band_power(*eeg.welch_psd(seg, sf, n_fft=n_fft, n_overlap=n_fft // 2),
                                    closed=True, kind="relative")
            np.testing.assert_allclose(closed.reshape(-1), rel, rtol=RTOL)
            np.testing.assert_allclose(h[w, :, 1], compute_hjorth_mobility(seg), rtol=RTOL)
            np.testing.assert_allclose(h[w, :, 2], compute_hjorth_complexity(seg), rtol=RTOL)


def test_windows_of_different_lengths_and_epochs(muse):
    x, sf, _ = muse
    spans = np.array([[0, 1000], [250, 1500], [1600, 1850], [1700, 2999]])
    kw = {"n_fft": 250, "n_overlap": 125}
    p, _ = eeg.welch_psd_windows(x, sf, spans, **kw)
    for w, (a, b) in enumerate(spans):
        np.testing.assert_array_equal(p[w], eeg.welch_psd(x[:, a:b], sf, **kw)[0])
    # epochs x channels: the windows axis comes first
    ep = np.stack([x[:, :3000], x[:, 3000:6000]])
    bp = eeg.band_power_windows(ep, sf, spans, kinds=("db",), **kw)["db"]
    assert bp.shape == (4, 2, 4, 5)
    np.testing.assert_array_equal(bp[2, 1], eeg.band_power_features(
        ep[1, :, 1600:1850], sf, kinds=("db",), **kw)["db"])
    with pytest.raises(ValueError, match="different Welch segments"):
        eeg.welch_psd_windows(x, sf, [[0, 100], [0, 1000]], n_fft=250, n_per_seg=250)
    with pytest.raises(ValueError, match="within"):
        eeg.band_power_windows(x, sf, [[0, x.shape[1] + 1]], n_fft=250)
    with pytest.raises(ValueError, match="shorter than 3"):
        eeg.hjorth_windows(x, [[0, 2]])
    with pytest.raises(ValueError, match="integer"):
        eeg.hjorth_windows(x, [[0.0, 20.5]])


def test_flat_and_nan_channels_only_spoil_their_windows(muse):
    x, sf, _ = muse
    x = x[:, :6000].copy()
    x[1, 2000:3500] = 7.0  # AF7 flat over windows inside 2000..3500 only
    x[2, 4100] = np.nan  # AF8: one NaN sample
    spans = eeg.window_spans(x.shape[1], 1000, 250)
    X = _cut(x, spans)
    kw = {"n_fft": 250, "n_overlap": 125}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bp, h = eeg.band_power_hjorth_windows(x, sf, spans, kinds=KINDS, **kw)
        old = eeg.band_power_features(X, sf, kinds=KINDS, **kw)
        old_h = eeg.hjorth_parameters(X)
    flat = (spans[:, 0] >= 2000) & (spans[:, 1] <= 3500)
    nan = (spans[:, 0] <= 4100) & (spans[:, 1] > 4100)
    assert flat.sum() == 3 and nan.sum() == 4
    np.testing.assert_array_equal(np.isnan(h[:, 1, 0]), flat)
    np.testing.assert_array_equal(np.isnan(h[:, 2, 0]), nan)
    np.testing.assert_array_equal(np.isnan(bp["absolute"][:, 2, 0]), nan)
    assert np.isfinite(h[:, [0, 3]]).all()
    for k in KINDS:
        np.testing.assert_array_equal(bp[k], old[k])
    np.testing.assert_allclose(h, old_h, rtol=1e-12)


def _extractors(sf, names, **bp):
    b = EEGBandPower(sfreq=sf, ch_names=names, **bp).fit(None)
    return b, EEGHjorth(convention="mne_features", sfreq=sf, ch_names=names).fit(None)


def test_runner_windows_equal_window_by_window(edf, muse):
    """``--segment/--hop`` through the runner: one batched call per recording, the rows of
    each window's own ``features_of`` (the tail window, shorter than a segment, included)."""
    from emofeat.runner import run

    for x, sf, names, seg, hop in (
        (edf[0][:16], edf[1], tuple(f"c{i}" for i in range(16)), 2.0, 0.25),
        (muse[0][:, :5300], muse[1], muse[2], 4.0, 1.5),  # a last window of 3.2 s
        (muse[0][:, :5100], muse[1], muse[2], 4.0, 4.0),  # a 0.4 s tail: shorter than a segment
    ):
        bp, hj = _extractors(sf, names, kinds=("abs", "rel", "db"))
        res = run([(x, sf, names)], [bp, hj], segment=seg, hop=hop)
        table = res.table
        assert res.n_segments == res.n_rows == len(table)  # one piece holds every window
        starts = np.round(table.index["start"].to_numpy() * sf).astype(int)
        ends = np.round(table.index["end"].to_numpy() * sf).astype(int)
        assert ends[-1] == x.shape[1]
        from emofeat.signal import EEGSignal

        sig = EEGSignal(x, sf, names, "<array 0>", {})
        for w, (a, b) in enumerate(zip(starts, ends, strict=True)):
            win = sig.span(int(a), int(b))
            expected = np.concatenate([bp.features_of(win)[0], hj.features_of(win)[0]], axis=1)
            np.testing.assert_allclose(table.X[w], expected[0], rtol=1e-12)


def test_transform_of_windows_stacks_them(muse):
    x, sf, names = muse
    spans = eeg.window_spans(x.shape[1], 1000, 500)[:20]
    items = [(x[:, a:b], sf, names) for a, b in spans]
    items.append((x[:, :700], sf, names))  # another length: its own call
    x_flat = x[:, :1000].copy()
    x_flat[3] = 2.0
    items.append((x_flat, sf, names))
    bp, hj = _extractors(sf, names)
    with pytest.warns(eeg.EEGChannelWarning, match="TP10"):
        got = np.concatenate([bp.transform(items), hj.transform(items)], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sigs = [s for i, it in enumerate(items) for s in bp.reader().read(it, i)]
        one = np.stack([np.concatenate([bp.features_of(s)[0][0], hj.features_of(s)[0][0]])
                        for s in sigs])
    np.testing.assert_allclose(got, one, rtol=1e-12)
    assert np.isnan(got[-1, [n.endswith("_TP10") for n in
                             list(bp.feature_names()) + list(hj.feature_names())]]).all()


def _one_by_one(bp, hj, items):
    """Rows and warning messages of each item read and computed on its own."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        sigs = [s for i, it in enumerate(items) for s in bp.reader().read(it, i)]
        rows = np.stack([np.concatenate([bp.features_of(s)[0][0], hj.features_of(s)[0][0]])
                         for s in sigs])
    return rows, {str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)}


def test_transform_of_overlapping_windows_shares_their_segments(muse):
    """Windows that continue one another (views of the recording, or copied into one array,
    two recordings one after the other) go through the windows path: the same rows as each
    window on its own (band power bit for bit, Hjorth rtol 1e-12) and the same warnings,
    naming the item, for a NaN sample and a flat stretch in later windows."""
    x, sf, names = muse
    x = x[:, :9000].copy()
    x[1, 6000:7700] = 3.0  # AF7 flat in the windows inside 6000..7700 only
    x[2, 8200] = np.nan  # AF8: one NaN sample, in the last windows
    spans = eeg.window_spans(x.shape[1], 1000, 250)
    other = x[:, ::-1].copy()  # a second recording right after the first
    other[2] = np.nan_to_num(other[2])
    views = [(x[:, a:b], sf, names) for a, b in spans]
    X = np.concatenate([_cut(x, spans), _cut(other, spans[:7])])
    copies = [(w, sf, names) for w in X]
    bp, hj = _extractors(sf, names, kinds=("abs", "rel", "db"), relative_to="all")
    for items in (views, copies):
        expected, messages = _one_by_one(bp, hj, items)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            got_bp, got_hj = bp.transform(items), hj.transform(items)
        got = {str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)}
        assert got == messages and any("AF7" in m for m in got) and any("AF8" in m for m in got)
        n_bp = got_bp.shape[1]
        np.testing.assert_array_equal(got_bp, expected[:, :n_bp])
        np.testing.assert_allclose(got_hj, expected[:, n_bp:], rtol=1e-12)
    # epochs of one 3-D array that overlap
    epochs = _cut(x[:, :5000], spans[:17])
    ext_bp, ext_hj = _extractors(sf, names, kinds=("abs",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = np.concatenate([ext_bp.transform(epochs), ext_hj.transform(epochs)], axis=1)
    expected, _ = _one_by_one(ext_bp, ext_hj, [(w, sf, names) for w in epochs])
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    np.testing.assert_array_equal(got[:, : 5 * 4], expected[:, : 5 * 4])


def test_transform_checks_every_sample_of_windows_that_look_continued(muse):
    """Windows whose overlap agrees at its first and last samples but not in between (what
    ``continues_hint`` lets through, ``rebuild_run`` must stop at): each such window is
    computed from its own samples, at the start of a run, in its middle (the run kept up
    to it) and as the last pair; band power bit for bit, Hjorth rtol 1e-12."""
    x, sf, names = muse
    spans = eeg.window_spans(min(x.shape[1], 8000), 1000, 250)
    X = _cut(x, spans)
    for w in (1, 9, len(spans) - 1):  # the first pair, a middle one, the last one
        X[w, 2, 400] += 1.0  # inside the overlap with window w - 1, on one channel
    bp, hj = _extractors(sf, names)
    items = [(w, sf, names) for w in X]
    expected, _ = _one_by_one(bp, hj, items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got_bp, got_hj = bp.transform(items), hj.transform(items)
    n_bp = got_bp.shape[1]
    np.testing.assert_array_equal(got_bp, expected[:, :n_bp])
    np.testing.assert_allclose(got_hj, expected[:, n_bp:], rtol=1e-12)


def test_runner_remembered_spans_and_reader_slots():
    """The runner's per-layout window spans (kept across runs) and per-run reader slots: a
    second run, another hop on the same lengths and a pickled plan give the rows of a fresh
    computation."""
    import pickle

    from emofeat import compute
    from emofeat.runner import run
    from emofeat.signal import EEGSignal

    rng = np.random.default_rng(3)
    sf, names = 128.0, ("F3", "F4", "C3")
    recs = [(rng.standard_normal((3, n)), sf, names) for n in (1100, 900, 1100, 1230)]
    bp, hj = _extractors(sf, names)
    first = run(recs, [bp, hj], segment=2.0, hop=1.0).table
    again = run(recs, [bp, hj], segment=2.0, hop=1.0).table
    np.testing.assert_array_equal(first.X, again.X)
    other = run(recs, [bp, hj], segment=2.0, hop=0.5).table
    assert len(other) > len(first)
    paths = other.index["path"].to_numpy()
    starts = np.round(other.index["start"].to_numpy() * sf).astype(int)
    ends = np.round(other.index["end"].to_numpy() * sf).astype(int)
    for k, (x, _, _) in enumerate(recs):
        mine = np.flatnonzero(paths == f"<array {k}>")
        assert ends[mine[-1]] == x.shape[1]
        sig = EEGSignal(x, sf, names, "r", {})
        for w in mine:
            win = sig.span(int(starts[w]), int(ends[w]))
            want = np.concatenate([bp.features_of(win)[0][0], hj.features_of(win)[0][0]])
            np.testing.assert_allclose(other.X[w], want, rtol=1e-12)
    plan = compute.Plan(extractors=[bp, hj], level="functionals", names=[], provenance={},
                        catch=False, segments=compute.FixedSegments(2.0, 1.0))
    direct = compute.process_one(plan, recs[1], 1)
    plan2 = pickle.loads(pickle.dumps(plan))
    assert "_read_slots" not in plan2.__dict__
    again2 = compute.process_one(plan2, recs[1], 1)
    np.testing.assert_array_equal(direct["pieces"][0].rows, again2["pieces"][0].rows)
    with pytest.raises(ValueError):
        plan.window_spans(1100, sf)[0, 0] = 5  # shared between runs: read-only


@pytest.mark.parametrize("n_win,n_hop", [(1000, 500), (500, 125)])
def test_window_band_sums_equal_psd_then_band_sums(n_win, n_hop):
    # the band sums made with each window's PSD row (welch_bands_at: |X|^2 per segment on the
    # fly at 1.75 windows a segment, from a table at 3.5) are the PSD's band sums to the bit
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4000)) * 20.0 + 7.0
    x[1, 600:1400] = 3.0  # flat in some windows
    x[2, 3500] = np.nan  # non-finite in the last windows
    x_all = x
    spans = eeg.window_spans(x.shape[1], n_win, n_hop)
    a, b = eeg._spans(spans, x.shape[1])
    bands = eeg.check_bands(None, 250.0)
    kinds = ["absolute", "relative", "db"]
    # odd n_fft (no Nyquist bin); one row (fewer than four rows x windows per chunk when
    # the windows are few): the kernel sums four PSD rows side by side, the rest one by one
    for kw, rows in [({"n_fft": 250, "n_overlap": 125}, slice(None)),
                     ({"n_fft": 256, "n_per_seg": 200, "n_overlap": 100, "fmin": 2.0},
                      slice(None)),
                     ({"n_fft": 251, "n_overlap": 125}, slice(None)),
                     ({"n_fft": 250, "n_overlap": 125}, slice(2, 3))]:
        x = np.ascontiguousarray(x_all[rows])
        status = eeg._status_at(x, a, b)
        p, f, st = eeg._welch_windows(x, 250.0, a, b, status=status, **kw)
        n = a.shape[0] * x.shape[0]
        want = eeg._band_features(p.reshape(n, -1).copy(), f, st.reshape(n) > 0, bands, kinds,
                                  (1.0, 45.0))
        got = eeg._welch_window_bands(x, 250.0, a, b, bands, kinds, (1.0, 45.0), status, **kw)
        for k in kinds:
            assert np.array_equal(got[k], want[k], equal_nan=True), (k, kw)
        assert np.isnan(got["absolute"][st.reshape(n) > 0]).all()


@pytest.mark.parametrize("hop_div", [2, 3, 4, 0])
def test_hjorth_transform_of_windows_equals_each_window_alone(hop_div):
    """``EEGHjorth.transform`` of overlapping windows (each sample in at most 3 of them:
    computed as the rows they are, no rebuilt recording; denser: the recording's block sums)
    and of windows that share nothing gives each window's own rows: bit for bit where the
    windows are computed row by row (same sums), rtol 1e-12 for the dense layout's block
    sums; NaN rows for a flat channel and a non-finite sample within a window, with the
    flat channel named."""
    rng = np.random.default_rng(5)
    sf, n_t = 128.0, 256
    names = ("Fp1", "Fp2", "F3", "F4")
    x = rng.standard_normal((4, 4096)) * 1e-5
    x[2, 600:1500] = 3e-6  # flat in some windows
    x[1, 2000] = np.nan
    hop = -(-n_t // hop_div) if hop_div else n_t + 17  # 128, 86 (3 x 86 >= 256), 64
    starts = np.arange(0, x.shape[1] - n_t + 1, hop)
    items = [(np.ascontiguousarray(x[:, a : a + n_t]), sf, names) for a in starts]
    X = np.stack([it[0] for it in items])  # rows of one windows array, as from a data set
    items = [(w, sf, names) for w in X]
    for conv in ("hjorth", "mne_features"):
        hj = EEGHjorth(convention=conv, sfreq=sf, ch_names=names).fit(None)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            got = hj.transform(items)
        assert any("F3" in str(w.message) and "flat" in str(w.message) for w in rec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alone = np.concatenate([hj.transform([it]) for it in items])
        assert got.shape == alone.shape
        assert np.array_equal(np.isnan(got), np.isnan(alone))
        assert np.isnan(got).any()
        if hop_div in (2, 3, 0):
            assert np.array_equal(got, alone, equal_nan=True)
        else:
            np.testing.assert_allclose(got, alone, rtol=1e-12)


@pytest.mark.parametrize("kinds", [("abs", "rel"), ("rel", "abs"), ("rel",), ("abs",)])
@pytest.mark.parametrize("relative_to", ["all", "bands"])
def test_band_rows_kernel_equals_kinds_of_sums(kinds, relative_to, monkeypatch):
    """The windows' band power rows made from the bin sums by the ``band_rows`` kernel equal,
    bit for bit, those of ``_kinds_of_sums`` + ``_rows`` (numpy), NaN rows included (a flat
    channel in some windows, a NaN sample in one)."""
    import emofeat.extractors.eeg_sets as ES

    from emofeat.readers import EEGReader

    rng = np.random.default_rng(11)
    sf, names = 128.0, ("Fp1", "Fp2", "F3", "F4", "C3")
    x = rng.standard_normal((5, 2048)) * 1e-5
    x[3, 300:900] = 2e-6
    x[0, 1500] = np.nan
    ext = EEGBandPower(kinds=kinds, relative_to=relative_to, sfreq=sf, ch_names=names).fit(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sig = EEGReader(sfreq=sf).read((x, sf, names))[0]
        spans = eeg.window_spans(x.shape[1], 256, 128)
        got = ext.features_of_windows(sig, spans)
        monkeypatch.setattr(ES, "_row_kind_codes", lambda kinds: None)  # the numpy path
        want = ext.features_of_windows(sig, spans)
    assert np.isnan(got).any() and not np.isnan(got).all()
    assert np.array_equal(got, want, equal_nan=True)


def test_status_from_the_readers_nonfinite_channels_equals_status_at(monkeypatch):
    """The windows' status when the reader's non-finite channels are known (``status_known``:
    finite rows only tested for flat windows, up to their first change) is ``status_at``'s,
    exactly: flat stretches starting and ending at window edges and inside them, a row flat
    but for its last sample, NaN, +-inf, huge finite values, -0.0 beside 0.0, windows of
    different lengths; and the runner's windows take that path (the reader's flags travel with
    the signal it made, not with a replaced or cut one)."""
    import dataclasses

    from emofeat.extractors import _eeg_kernels as K
    from emofeat.extractors import eeg_sets

    from emofeat.readers import EEGReader, known_nonfinite

    rng = np.random.default_rng(11)
    x = rng.standard_normal((8, 3000))
    x[0, 500:1500] = 4.0  # flat over whole windows and parts of others
    x[1] = 2.5
    x[1, -1] = 2.6  # flat but for its last sample
    x[2, 1000] = np.nan
    x[3, 0] = np.inf
    x[4, 2999] = -np.inf
    x[5, 200:700] = 1.7e308  # finite; with -1.7e308 next to it, differences overflow
    x[5, 700:900] = -1.7e308
    x[6] = 0.0
    x[6, 1000:1500:2] = -0.0  # equal to 0.0: flat
    x[7, 400:2600] = np.nan
    x[7, 1200] = 1.0
    for spans in (eeg.window_spans(3000, 500, 250), eeg.window_spans(3000, 512, 100),
                  np.array([[0, 3000], [0, 3], [2997, 3000], [1000, 1001], [501, 1499],
                            [100, 2900]])):
        a, b = eeg._spans(spans, 3000)
        want = np.empty((a.shape[0], 8), dtype=np.int8)
        K.status_at(x, a, b, want)
        flags = np.zeros(8, dtype=bool)
        K.nonfinite_rows(x, flags)
        assert flags.tolist() == [False, False, True, True, True, False, False, True]
        got = eeg._status_at(x, a, b, nonfinite=flags)
        assert got.dtype == np.int8 and np.array_equal(got, want), spans
        assert np.array_equal(eeg._status_at(x, a, b), want)
    assert (want == 1).any() and (want == 2).any() and (want == 0).any()

    with pytest.warns(eeg.EEGChannelWarning):
        sig = EEGReader(sfreq=250.0).read((x, 250.0))[0]
    assert np.array_equal(known_nonfinite(sig), flags)
    assert known_nonfinite(sig.span(0, 100)) is None
    assert known_nonfinite(dataclasses.replace(sig, source="other")) is None
    with pytest.warns(eeg.EEGChannelWarning):
        epochs = EEGReader(sfreq=250.0).read(np.stack([x[:4], x[4:]]))
    assert [known_nonfinite(s).tolist() for s in epochs] == [[False, False, True, True],
                                                             [True, False, False, True]]

    # the runner's windows use the reader's flags: the same rows as without them
    from emofeat.runner import run

    names = tuple(f"c{i}" for i in range(8))
    exts = _extractors(250.0, names, kinds=("abs", "rel"))
    calls = []
    real = K.status_known

    def counted(*args):
        calls.append(1)
        return real(*args)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run([(x, 250.0, names)], exts, segment=2.0, hop=1.0).table.X
        monkeypatch.setattr(K, "status_known", counted)
        assert np.array_equal(run([(x, 250.0, names)], exts, segment=2.0, hop=1.0).table.X, got,
                              equal_nan=True)
        assert calls == [1]  # found once, shared by the two sets
        monkeypatch.setattr(eeg_sets, "known_nonfinite", lambda s: None)
        want = run([(x, 250.0, names)], exts, segment=2.0, hop=1.0).table.X
    assert calls == [1]
    assert np.array_equal(got, want, equal_nan=True)
    assert np.isnan(got).any() and not np.isnan(got).all()


def test_hjorth_status_kernel_equals_row_status_and_hjorth():
    """``hjorth_status`` (each row's status and Hjorth in one read: ``EEGHjorth.transform`` of
    windows) gives ``row_status``'s status and ``hjorth``'s values bit for bit: flat rows
    (0.0 beside -0.0 too), flat but for the last sample, NaN, +-inf, finite values whose
    differences overflow, both conventions."""
    from emofeat.extractors import _eeg_kernels as K

    rng = np.random.default_rng(12)
    x = rng.standard_normal((9, 301)) * 30.0 + 5.0
    x[0] = 3.0
    x[1] = 0.0
    x[1, ::3] = -0.0
    x[2] = 1.0
    x[2, -1] = 1.5
    x[3, 0] = np.nan
    x[4, 300] = np.inf
    x[5, 150] = -np.inf
    x[6, ::2] = 1.7e308
    x[6, 1::2] = -1.7e308
    x[7, 0] = 2.0  # differs at the first step only
    for conv in (False, True):
        want_st = np.empty(9, dtype=np.int8)
        K.row_status(x, want_st)
        want = np.empty((9, 3))
        K.hjorth(x, conv, want)
        st = np.empty(9, dtype=np.int8)
        got = np.empty((9, 3))
        K.hjorth_status(x, conv, got, st)
        assert st.tolist() == want_st.tolist() == [1, 1, 0, 2, 2, 2, 0, 0, 0]
        assert np.array_equal(got.view(np.int64), want.view(np.int64))


def test_rebuild_run_flags_the_rows_with_nonfinite_samples():
    """``rebuild_run`` flags each rebuilt row holding a NaN or infinite sample (in the first
    window, in a later window's new samples, in the last sample), and no other row when the
    run is whole; a run cut short may flag a row for a sample past its end (never misses
    one); ``transform`` of such windows equals each window alone, bit for bit."""
    from emofeat.extractors import _eeg_kernels as K

    rng = np.random.default_rng(13)
    n_t, hop = 200, 50
    x = rng.standard_normal((6, 600))
    x[1, 10] = np.nan
    x[2, 430] = np.inf
    x[3, 599] = -np.inf
    x[4, 100:300] = 2.0  # flat windows
    spans = eeg.window_spans(600, n_t, hop)
    S = np.stack([x[:, a:b] for a, b in spans])
    n = S.shape[0]
    rec = np.empty((6, n_t + (n - 1) * hop))
    flags = np.empty(6, dtype=bool)
    m = K.rebuild_run(S.view(np.int64), S, hop, 0, n, rec.view(np.int64), flags)
    assert m == n and np.array_equal(rec, x, equal_nan=True)
    assert flags.tolist() == [False, True, True, True, False, False]
    # window 5 altered in row 0 only: the run ends there; rows after row 0 stop there too
    S2 = S.copy()
    S2[5, 0, 0] += 1.0
    m = K.rebuild_run(S2.view(np.int64), S2, hop, 0, n, rec.view(np.int64), flags)
    assert m == 5
    end = n_t + 4 * hop
    truth = ~np.isfinite(x[:, :end]).all(axis=1)
    assert (flags >= truth).all() and flags[1] and not flags[0]

    names = tuple(f"c{i}" for i in range(6))
    bp, hj = _extractors(250.0, names, kinds=("abs", "rel", "db"), segment=0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for windows in (S, S2):
            items = [(w, 250.0, names) for w in windows]
            for ext in (bp, hj):
                got = ext.transform(items)
                alone = np.concatenate([ext.transform([it]) for it in items])
                assert np.array_equal(got, alone, equal_nan=True)


def _count_window_chunks(monkeypatch) -> list[int]:
    """The number of runs of windows of each ``_window_chunks`` call from now on."""
    runs = []
    real = eeg._window_chunks

    def counted(*args):
        got = list(real(*args))
        runs.append(len(got))
        return iter(got)

    monkeypatch.setattr(eeg, "_window_chunks", counted)
    return runs


@pytest.mark.parametrize(("n_win", "n_hop", "order"), [
    (1000, 500, "cut"), (1000, 125, "cut"), (777, 101, "cut"), (1000, 500, "shuffled"),
    (1000, 250, "mixed lengths")])
def test_window_sums_of_a_long_recording_in_runs_equal_all_at_once(monkeypatch, n_win, n_hop,
                                                                   order):
    """``_welch_window_sums`` of a long recording cuts and transforms its segments in runs of
    windows (``_window_chunks``, about a quarter megabyte of segments a row): the band sums
    of one computation of all segments at once, bit for bit, whatever the windows' order and
    lengths; and the runs do split (counted)."""
    rng = np.random.default_rng(11)
    sf = 250.0
    x = np.ascontiguousarray(rng.standard_normal((3, 250 * 240)) * 20)
    spans = eeg.window_spans(x.shape[1], n_win, n_hop)
    if order == "shuffled":
        spans = spans[rng.permutation(spans.shape[0])]
    if order == "mixed lengths":  # windows of 1000 and 900 samples: the same segments
        spans = spans.copy()
        spans[1::3, 1] -= 100
    a, b = np.ascontiguousarray(spans[:, 0]), np.ascontiguousarray(spans[:, 1])
    bands = eeg._check_bands(eeg.DEFAULT_BANDS, sf)
    kw = {"n_fft": 250, "n_per_seg": 250, "n_overlap": 125}
    runs = _count_window_chunks(monkeypatch)
    got, f = eeg._welch_window_sums(x, sf, a, b, bands, (0.0, sf / 2), **kw)
    assert runs[-1] > 1
    monkeypatch.setattr(eeg, "_window_chunks",
                        lambda si, ns, n_st, n_fft: iter([(0, si.shape[0], 0, n_st)]))
    want, f2 = eeg._welch_window_sums(x, sf, a, b, bands, (0.0, sf / 2), **kw)
    assert got.tobytes() == want.tobytes() and f.tobytes() == f2.tobytes()


@pytest.mark.parametrize("kinds", [("abs", "rel"), ("abs", "rel", "db")])
def test_transform_reads_continuing_windows_without_rebuilding_them(monkeypatch, kinds):
    """``EEGBandPower.transform`` of windows that continue one another, a megabyte or more of
    them overlapping by half a window: checked by ``continues_run`` and cut where they lie
    (``welch_segments_win``), no recording rebuilt (counted), the values of each window
    alone and of the rebuilding path bit for bit, with NaN, inf and flat channels, a run
    broken inside an overlap the hint lets through, and both row paths (the kinds); fails
    when a segment is cut from the wrong window or offset."""
    from emofeat.extractors import _eeg_kernels as K
    from emofeat.extractors import eeg_sets

    rng = np.random.default_rng(21)
    sf, n_t, hop, n_ch = 256.0, 512, 256, 40
    x = rng.standard_normal((n_ch, n_t + 9 * hop)) * 10
    x[3, 700] = np.nan
    x[5, 2000] = np.inf
    x[7, 300:1400] = 1.5  # flat windows
    S = np.stack([x[:, a:b] for a, b in eeg.window_spans(x.shape[1], n_t, hop)])
    assert S.size >= eeg._CHUNK_DOUBLES and 2 * hop >= n_t
    S2 = S.copy()
    S2[6, 9, 100] += 1.0  # inside window 5's overlap: the run ends at window 6
    names = tuple(f"c{i}" for i in range(n_ch))
    bp, _ = _extractors(sf, names, kinds=kinds, segment=0.5)
    calls = {"continues_run": 0, "rebuild_run": 0}
    def counter(name):
        real = getattr(K, name)

        def counted(*args):
            calls[name] += 1
            return real(*args)
        return counted

    for name in calls:
        monkeypatch.setattr(K, name, counter(name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for windows in (S, S2):
            items = [(w, sf, names) for w in windows]
            calls.update(continues_run=0, rebuild_run=0)
            got = bp.transform(items)
            # (S2: windows 6-9 after the break, 80 K doubles, are rebuilt)
            assert calls["continues_run"] >= 1 and calls["rebuild_run"] == (windows is S2)
            monkeypatch.setattr(eeg_sets.EEGBandPower, "_reads_windows", False)
            rebuilt = bp.transform(items)
            monkeypatch.setattr(eeg_sets.EEGBandPower, "_reads_windows", True)
            assert calls["rebuild_run"] >= 1
            alone = np.concatenate([bp.transform([it]) for it in items])
            assert np.array_equal(got, rebuilt, equal_nan=True)
            assert np.array_equal(got, alone, equal_nan=True)
            assert np.isnan(got).any()


def test_transform_reads_a_long_run_of_windows_in_runs(monkeypatch):
    """The window-reading path of ``EEGBandPower.transform`` on a long run of windows (4
    minutes of 4 channels, 4 s every 2 s), whose segments are cut and transformed in runs of
    windows (``_window_chunks``, counted: the windows' indices offset by each run's first):
    the rebuilding path's values and each window's alone, bit for bit."""
    from emofeat.extractors import eeg_sets

    rng = np.random.default_rng(5)
    sf, names = 250.0, ("a", "b", "c", "d")
    x = rng.standard_normal((4, 250 * 240)) * 20
    x[2, 30000] = np.nan
    S = np.stack([x[:, a:b] for a, b in eeg.window_spans(x.shape[1], 1000, 500)])
    bp, _ = _extractors(sf, names, kinds=("abs", "rel"), segment=1.0)
    runs = _count_window_chunks(monkeypatch)
    items = [(w, sf, names) for w in S]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = bp.transform(items)
        assert runs and runs[0] > 1
        monkeypatch.setattr(eeg_sets.EEGBandPower, "_reads_windows", False)
        rebuilt = bp.transform(items)
        alone = np.concatenate([bp.transform([it]) for it in items])
    assert np.array_equal(got, rebuilt, equal_nan=True)
    assert np.array_equal(got, alone, equal_nan=True)


def _windows_array_cases():
    """Windows arrays ``(name, X, sfreq, whether some windows continue one another)``: runs
    checked and cut in place (half overlap, a megabyte and more), rebuilt (a quarter), a
    sample changed inside an overlap (the run ends there), windows with gaps, adjacent ones,
    two recordings' runs one after the other (the second reversed: every window alone),
    DEAP-like independent epochs, repeated integer values (candidate hops that fail), 4-D;
    NaN, +-inf, flat and all-zero channels, -0.0 beside 0.0."""
    rng = np.random.default_rng(13)
    x = rng.standard_normal((40, 6000)) * 10
    x[3, 1000:3000] = 5.0
    x[4, 2000:2600] = 0.0
    x[4, 2100:2200] = -0.0
    x[5, 2500] = np.nan
    x[6, 4100] = np.inf
    x[7] = 0.0
    x[8, 3999] = -np.inf

    def cut(rec, n_win, hop):
        return _cut(rec, eeg.window_spans(rec.shape[1], n_win, hop))

    changed = cut(x, 1024, 512)
    changed[4, 2, 10] += 1e-9  # inside window 3's overlap
    two = np.concatenate([cut(x[:, :3000], 800, 200), cut(x[:, 3000:], 800, 400)[::-1]])
    ints = np.round(rng.standard_normal((8, 16, 2048)) * 2)
    return [
        ("half", cut(x, 1024, 512), 512.0, True),
        ("quarter", cut(x, 1024, 256), 512.0, True),
        ("dense", cut(x[:12], 1024, 64), 512.0, True),
        ("changed", changed, 512.0, True),
        ("odd hop", cut(x[:10], 900, 450), 300.0, True),
        ("gaps", cut(x, 1000, 1500), 512.0, False),
        ("adjacent", cut(x, 1000, 1000), 512.0, False),
        ("two recordings", two, 256.0, True),
        ("deap-like", rng.standard_normal((5, 32, 2016)), 128.0, False),
        ("integers", ints, 256.0, False),
        ("4-d", cut(x, 1024, 512)[:10].reshape(2, 5, 40, 1024), 512.0, True),
    ]


@pytest.mark.parametrize("case", _windows_array_cases(), ids=lambda c: c[0])
def test_band_power_features_of_a_windows_array_equal_each_window_alone(monkeypatch, case):
    """``band_power_features`` of a stacked windows array finds the windows that continue one
    another (``_window_runs``, counted) and computes their shared Welch segments once: the
    bits of each window computed alone and of the stacked path without the detection, for
    several Welch parameters and both relative denominators; independent windows take the
    stacked path. Bit for bit (no tolerance: the same samples and arithmetic)."""
    _, X, sf, continues = case
    runs = []
    real = eeg._window_runs

    def counted(*args, **kw):
        for r in real(*args, **kw):
            runs.append(r[2] is not None)
            yield r

    monkeypatch.setattr(eeg, "_window_runs", counted)
    nf = int(sf)
    flat = X.reshape(-1, *X.shape[-2:])
    for kw in (dict(n_fft=nf, n_overlap=nf // 2),
               dict(n_fft=nf, n_overlap=nf // 2, fmin=2.0, fmax=40.0, total_band=(1.0, 45.0)),
               dict(n_fft=nf, n_per_seg=nf // 2, n_overlap=nf // 8, window="hann",
                    remove_dc=False),
               dict(n_fft=128)):
        runs.clear()
        got = eeg.band_power_features(X, sf, kinds=KINDS, **kw)
        assert any(runs) == continues
        alone = [eeg.band_power_features(w, sf, kinds=KINDS, **kw) for w in flat]
        with monkeypatch.context() as m:
            m.setattr(eeg, "_hop", lambda S: 0)
            stacked = eeg.band_power_features(X, sf, kinds=KINDS, **kw)
        for k in KINDS:
            assert got[k].shape == X.shape[:-1] + (5,)
            want = np.stack([a[k] for a in alone]).reshape(got[k].shape)
            assert got[k].tobytes() == want.tobytes(), k
            assert got[k].tobytes() == stacked[k].tobytes(), k
    if case[0] in ("half", "changed"):
        assert np.isnan(got["absolute"]).any()


def test_hjorth_parameters_equal_row_status_then_hjorth():
    """``hjorth_parameters`` (each row's status and Hjorth in one read, ``hjorth_status``)
    gives the bits of ``row_status`` then ``hjorth`` (its path before): NaN, +-inf, flat,
    all-zero and -0.0/0.0 rows, both conventions, windows arrays of several shapes; and
    ``EEGHjorth.transform`` of independent windows (its stacked rows, the same kernel)
    equals each window alone."""
    from emofeat.extractors import _eeg_kernels as K

    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 12, 777)) * 30 + 100.0
    x[0, 1, 5] = np.nan
    x[1, 2, 700] = np.inf
    x[2, 3] = 4.25
    x[3, 4] = 0.0
    x[3, 5] = 0.0
    x[3, 5, ::2] = -0.0
    x[4, 6, -1] = -np.inf
    x[5, 7, 1:] = 2.0  # flat but for the first sample
    for conv in ("hjorth", "mne_features"):
        for data in (x, x[0], x[:, :, :3], x.reshape(2, 3, 12, 777)):
            rows, lead = eeg.as_rows(data)
            want = np.empty((rows.shape[0], 3))
            K.hjorth(rows, conv == "mne_features", want)
            want[eeg.row_status(rows) > 0] = np.nan
            want = want.reshape(lead + (3,))
            got = eeg.hjorth_parameters(data, convention=conv)
            assert got.shape == want.shape and got.tobytes() == want.tobytes()
    assert np.isnan(eeg.hjorth_parameters(x)[[0, 1, 2, 3, 3, 4], [1, 2, 3, 4, 5, 6]]).all()
    assert not np.isnan(eeg.hjorth_parameters(x)[5, 7]).any()
    with pytest.raises(ValueError, match="3 samples"):
        eeg.hjorth_parameters(x[..., :2])
    names = tuple(f"c{i}" for i in range(12))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for conv in ("hjorth", "mne_features"):
            hj = EEGHjorth(convention=conv, sfreq=100.0, ch_names=names).fit(None)
            # (reversed views: not one C-contiguous stack, so copied and computed by
            # _rows_of_stack)
            got = hj.transform([(w, 100.0, names) for w in x[:, :, ::-1]])
            alone = [hj.transform([(w, 100.0, names)]) for w in x[:, :, ::-1].copy()]
            assert got.tobytes() == np.concatenate(alone).tobytes()


def test_hop_hint_equals_comparing_every_candidate_in_full():
    """``_hop`` (candidates filtered on their next 3 samples before a full comparison) finds
    the hop of the plain search (each of the first 64 candidates compared in full) on
    windows of repeated integer values, continuing and not, overlaps of 1 to 5 samples."""
    def plain(S, max_pairs=4, max_candidates=64):
        n_t = S.shape[2]
        for k in range(min(S.shape[0] - 1, max_pairs)):
            a, b = S[k, 0], S[k + 1, 0]
            for h in np.flatnonzero(a[1:] == b[0])[:max_candidates] + 1:
                if np.array_equal(a[h:], b[: n_t - h]):
                    return int(h)
        return 0

    rng = np.random.default_rng(8)
    found = 0
    for trial in range(300):
        n_t = int(rng.integers(5, 60))
        x = rng.integers(0, 1 + trial % 4, (2, 400)).astype(np.float64)
        hop = int(rng.integers(1, n_t + 3))
        S = _cut(x, eeg.window_spans(400, n_t, hop))[:6]
        if trial % 3 == 0:
            S = rng.permutation(S)
        assert eeg._hop(S) == plain(S)
        found += eeg._hop(S) > 0
    assert found > 50


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf samples
def test_window_status_from_band_sums_equals_status_at():
    """``band_power_windows`` and ``band_power_hjorth_windows`` take the windows' non-finite
    rows from the band sums (``_sums_nonfinite``) where that is exact: the status equals
    ``_status_at``'s (every sample read) on random layouts with NaN, +inf, -inf and both at
    segment and window edges, flat stretches, -0.0, finite values whose sums overflow (flagged,
    then checked in full), Hann windows (zero first weight), zero padding, fmin/fmax and a
    total band; ``None`` (the full pass) without mean removal, with a window's last samples in
    no segment, or a total band without a bin. No tolerance: an exact status."""
    rng = np.random.default_rng(17)
    used = 0
    for trial in range(120):
        n_ch, n_t = int(rng.integers(1, 7)), int(rng.integers(600, 2000))
        x = rng.standard_normal((n_ch, n_t)) * 5
        for _ in range(int(rng.integers(0, 5))):
            r, i = int(rng.integers(n_ch)), int(rng.integers(n_t))
            x[r, i] = rng.choice([np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0, -0.0])
        if trial % 5 == 0:
            r = int(rng.integers(n_ch))
            i = int(rng.integers(n_t - 300))
            x[r, i:i + 300] = 3.0
        n_per = int(rng.choice([64, 100, 128]))
        kw = dict(n_fft=n_per * int(rng.choice([1, 2])), n_per_seg=n_per,
                  n_overlap=int(rng.choice([0, n_per // 2, n_per // 4])),
                  window=str(rng.choice(["hamming", "hann"])))
        if trial % 4 == 1:
            kw.update(fmin=2.0, fmax=30.0)
        if trial % 7 == 3:
            kw.update(remove_dc=False)
        total = (1.0, 45.0) if trial % 3 == 0 else None
        step = n_per - kw["n_overlap"]
        n_win = (n_per + step * int(rng.integers(0, 6)) if trial % 4 else
                 int(rng.integers(n_per, 4 * n_per)))  # mostly windows their segments cover
        spans = eeg.window_spans(n_t, n_win, int(rng.integers(1, n_win + 20)))
        a, b = eeg._spans(spans, n_t)
        sums, _ = eeg._welch_window_sums(x, 128.0, a, b, eeg.DEFAULT_BANDS, total, **kw)
        flags = eeg._sums_nonfinite(a, b, sums, 128.0, eeg.DEFAULT_BANDS, total, **kw)
        used += flags is not None
        out, status = eeg._welch_window_bands_status(x, 128.0, a, b, eeg.DEFAULT_BANDS, KINDS,
                                                     total, **kw)
        assert np.array_equal(status, eeg._status_at(x, a, b)), (trial, kw)
        want = eeg._welch_window_bands(x, 128.0, a, b, eeg.DEFAULT_BANDS, KINDS, total,
                                       eeg._status_at(x, a, b), **kw)
        for k in KINDS:
            assert out[k].tobytes() == want[k].tobytes()
        if flags is not None:  # every row with a bad sample in some window is flagged
            assert flags[(eeg._status_at(x, a, b) == 2).any(axis=0)].all()
    assert used > 40
    x = rng.standard_normal((3, 1000))
    a, b = np.array([0, 296]), np.array([704, 1000])  # 10 segments of 128 every 64 cover them
    assert eeg._sums_nonfinite(a, b, np.zeros((2, 3, 6)), 128.0, eeg.DEFAULT_BANDS, None,
                               n_fft=128, n_overlap=64) is not None
    for kw, total in ((dict(n_fft=128, n_overlap=64, remove_dc=False), None),
                      (dict(n_fft=128, n_overlap=0), None),  # segments end at 640 < 704
                      (dict(n_fft=128, n_overlap=64), (0.5, 0.6))):  # no bin in the total
        sums, _ = eeg._welch_window_sums(x, 128.0, a, b, eeg.DEFAULT_BANDS, total, **kw)
        assert eeg._sums_nonfinite(a, b, sums, 128.0, eeg.DEFAULT_BANDS, total, **kw) is None


def test_a_flat_channel_is_one_warning_per_recording_naming_its_windows(tmp_path):
    """Regression: a recording with a flat channel cut into windows gave one warning per
    window of each of eeg_de, eeg_asymmetry and eeg_spectral (45 for 15 windows of a Muse
    file). Now one for the recording, whichever sets run, naming each flat channel and in
    how many windows it is flat: the windows whose features are NaN."""
    import re

    import pandas as pd

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    src = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    df = pd.read_csv(src)
    df["AF7"] = 5.0  # a loose electrode: flat throughout
    df.loc[2048:5700, "TP10"] = -3.0  # flat in the windows inside these rows only
    path = tmp_path / "flat.csv"
    df.to_csv(path, index=False)
    names = ("eeg_de", "eeg_asymmetry", "eeg_spectral", "eeg_bands")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        table = run([str(path)], [get_extractor(n) for n in names], segment=4).table
    got = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
    assert len(got) == 1, got
    n = table.X.shape[0]
    de = table.feature_names.index("eeg_de_delta_TP10")
    n_tp10 = int(np.isnan(table.X[:, de]).sum())
    assert n == 15 and n_tp10 == 3
    assert re.fullmatch(
        rf".*flat\.csv: flat \(constant\) signal in channels AF7 \({n} of {n} windows\), "
        rf"TP10 \({n_tp10} of {n} windows\); their eeg_de, eeg_spectral and eeg_bands features "
        rf"and the eeg_asymmetry features of the pairs with them in those windows are NaN",
        got[0])
    # a set on its own (no runner sharing what it found): one warning each
    x = pd.read_csv(path)[["TP9", "AF7", "AF8", "TP10"]].to_numpy().T.copy()
    spans = [(a, a + 1024) for a in range(0, x.shape[1] - 1023, 1024)]
    for name in names:
        ext = get_extractor(name, sfreq=256.0).fit([(x, 256.0, ("TP9", "AF7", "AF8", "TP10"))])
        sig = ext.reader().read((x, 256.0, ("TP9", "AF7", "AF8", "TP10")))[0]
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            rows = ext.features_of_windows(sig, spans)
        got = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
        assert len(got) == 1 and f"AF7 ({len(spans)} of {len(spans)} windows)" in got[0], got
        assert np.isnan(rows).any(axis=1).all()


def test_a_recording_with_gaps_gets_one_flat_channel_warning(tmp_path, monkeypatch):
    """Regression: the one flat-channel warning of a recording cut into windows was one per
    gap-free stretch (the real subjectb-relaxed-2.csv, 9 timestamp gaps, AF7 flat: 10
    warnings, each counting its stretch's windows). Now one for the recording, counting all
    its windows, the rows of the table; the same with a set computing window by window
    (multitaper), which no longer changes the process's warning filters
    (``warnings.catch_warnings`` in the extraction: unsafe on a Dask worker's threads)."""
    import pandas as pd

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    df["AF7"] = 5.0  # a loose electrode: flat throughout
    path = tmp_path / "gaps.csv"
    df.to_csv(path, index=False)

    def refuse(*args, **kwargs):
        raise AssertionError("warnings.catch_warnings during an extraction")

    def guarded(method):
        def call(*args, **kwargs):
            with monkeypatch.context() as m:
                m.setattr(warnings, "catch_warnings", refuse)
                return method(*args, **kwargs)
        return call

    for sets in (("eeg_de", "eeg_asymmetry", "eeg_spectral", "eeg_bands"),
                 ("eeg_bands",)):
        exts = [get_extractor(n) for n in sets]
        if sets == ("eeg_bands",):
            exts = [get_extractor("eeg_bands", psd_method="multitaper")]
        # a first run compiles the kernels: Numba's compiler enters catch_warnings itself
        # (a cold cache, as in CI), which is not the extraction's doing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run([str(path)], exts, segment=4, hop=3)
        for ext in exts:
            ext.features_of_windows = guarded(ext.features_of_windows)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            table = run([str(path)], exts, segment=4, hop=3).table
        got = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
        n = table.X.shape[0]
        assert len(table.index["epoch"].unique()) == 10  # the 9 gaps cut 10 stretches
        said = ("its eeg_de, eeg_spectral and eeg_bands features and the eeg_asymmetry "
                "features of the pairs with it" if len(sets) > 1 else "its eeg_bands features")
        assert got == [f"{path}: flat (constant) signal in channel AF7 ({n} of {n} windows); "
                       f"{said} in those windows are NaN"], got


def test_a_short_last_window_is_counted_with_the_rows():
    """Regression: windows given with a short last one (a row of NaN) said 'AF7 (15 of 15
    windows)' for 16 rows: the count left the short window out of the windows."""
    import pandas as pd

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    names = ("TP9", "AF7", "AF8", "TP10")
    x = df[list(names)].to_numpy().T.copy()
    x[1] = 5.0
    spans = [(a, a + 1024) for a in range(0, x.shape[1] - 1023, 1024)]
    spans.append((spans[-1][1], spans[-1][1] + 40))  # too short for a Welch segment
    ext = EEGBandPower(sfreq=256.0).fit([(x, 256.0, names)])
    sig = ext.reader().read((x, 256.0, names))[0]
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        rows = ext.features_of_windows(sig, spans)
    got = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
    n = len(spans)
    assert rows.shape[0] == n and np.isnan(rows[-1]).all()
    flat = [g for g in got if "flat" in g]
    assert len(flat) == 1 and f"AF7 ({n - 1} of {n} windows)" in flat[0], got


class _OwnFeaturesOf(EEGBandPower):
    """A user's set whose ``features_of`` predates ``warn_flat`` (e62e87d)."""

    def features_of(self, signal):
        return super().features_of(signal)


def test_a_subclass_features_of_without_warn_flat_still_computes_windows(tmp_path):
    """Regression: the window-by-window path called ``features_of(window, warn_flat=False)``,
    a TypeError for a subclass whose ``features_of`` takes the signal alone. It is called
    without it: the same rows as the set's own, and still one flat-channel warning for the
    recording (its windows' own are left out), on a real Muse recording with AF7 made flat."""
    import pandas as pd

    from emofeat.runner import run

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    df["AF7"] = 5.0
    path = tmp_path / "flat.csv"
    df.to_csv(path, index=False)
    got = {}
    for cls in (EEGBandPower, _OwnFeaturesOf):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            table = run([str(path)], [cls(psd_method="multitaper")], segment=4, hop=3,
                        on_error="raise").table
        flat = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
        got[cls] = table.X, flat
    (x0, flat0), (x1, flat1) = got.values()
    np.testing.assert_array_equal(x1, x0)
    assert len(flat0) == 1 and flat1 == flat0, flat1


def test_whole_stretches_and_epochs_get_one_flat_channel_warning(tmp_path, capsys):
    """Regression: without windows, a recording's gap-free stretches (or an epochs file's
    epochs) each gave the sets' flat-channel warning, one per stretch and set under
    ``-W always`` (the real subjectb-relaxed-2.csv, 9 timestamp gaps, AF7 flat: 10 for
    eeg_de, 20 with eeg_bands; an epochs file of the real BrainVision recording: one per
    epoch), and windows of a set without a windows path (rqa_eeg) one per window (18). Now
    one for the recording, counting its stretches (the ``epoch`` rows) or windows, in the
    API and the command; a single signal keeps the sets' own words, said once."""
    import pandas as pd

    from emofeat.cli import main
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    df["AF7"] = 5.0  # a loose electrode: flat throughout
    path = tmp_path / "gaps.csv"
    df.to_csv(path, index=False)

    def flat_warnings(inputs, sets, **kw):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            table = run(inputs, [get_extractor(n) for n in sets], **kw).table
        return table, [str(w.message) for w in rec
                       if issubclass(w.category, eeg.EEGChannelWarning)]

    # each clause names its sets; the asymmetry pairs only where an asymmetry set ran
    # (eeg_de alone spoke of them); the stretches are not called epochs
    for sets, said in ((("eeg_de",), "its eeg_de features"),
                       (("eeg_de", "eeg_bands"), "its eeg_de and eeg_bands features"),
                       # eeg_stats gives a flat channel finite values, warning nothing
                       (("eeg_de", "eeg_stats"), "its eeg_de features"),
                       (("eeg_de", "eeg_asymmetry"), "its eeg_de features and the "
                        "eeg_asymmetry features of the pairs with it")):
        table, got = flat_warnings([str(path)], sets)
        n = table.X.shape[0]
        assert n == len(table.index["epoch"].unique()) == 10  # the 9 gaps: 10 stretches
        assert np.isnan(table.X[:, table.feature_names.index("eeg_de_alpha_AF7")]).all()
        assert got == [f"{path}: flat (constant) signal in channel AF7 ({n} of {n} gap-free "
                       f"stretches); {said} in those gap-free stretches are NaN"], got
    table, got = flat_warnings([str(path)], ("eeg_hjorth", "rqa_eeg"))
    rqa = get_extractor("rqa_eeg").flat_said
    assert rqa.startswith("its RQA measures are those of a constant series")
    assert got == [f"{path}: flat (constant) signal in channel AF7 (10 of 10 gap-free "
                   "stretches); its eeg_hjorth features in those gap-free stretches are NaN; "
                   f"its rqa_eeg measures{rqa[len('its RQA measures'):]}"], got
    table, got = flat_warnings([str(path)], ("rqa_eeg",), segment=4, hop=3)
    n = table.X.shape[0]
    assert n > 10 and len(got) == 1 and got[0].startswith(
        f"{path}: flat (constant) signal in channel AF7 ({n} of {n} windows); its rqa_eeg "
        "measures are those of a constant series"), got
    # a single signal: the sets' own words, once for both sets
    x = df[["TP9", "AF7", "AF8", "TP10"]].to_numpy().T.copy()
    _, got = flat_warnings([(x, 256.0, ("TP9", "AF7", "AF8", "TP10"))],
                           ("eeg_de", "eeg_bands"))
    assert got == ["<array 0>: channel AF7 has a flat (constant) signal; its features are "
                   "NaN"], got
    # an epochs file: one warning for its epochs
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    data = epochs.get_data()
    data[1:, epochs.ch_names.index("F4")] = 0.0  # flat in every epoch but the first
    fif = str(tmp_path / "flat-epo.fif")
    mne.EpochsArray(data, epochs.info, verbose="error").save(fif, verbose="error")
    table, got = flat_warnings([fif], ("eeg_hjorth",))
    n = table.X.shape[0]
    assert n == len(epochs) == 3 and got == [
        f"{fif}: flat (constant) signal in channel F4 ({n - 1} of {n} epochs); its eeg_hjorth "
        "features in those epochs are NaN"], got
    # the command: one line
    capsys.readouterr()
    assert main(["extract", str(path), "--set", "eeg_de,eeg_bands", "-q", "-o",
                 str(tmp_path / "out.parquet")]) == 0
    err = capsys.readouterr().err
    assert err.count("flat (constant)") == 1 and "AF7 (10 of 10 gap-free stretches)" in err, err


def test_a_users_own_set_is_named_in_the_flat_channel_warning_by_its_flat_said(tmp_path):
    """A user's own EEG set (a subclass) says what its features of a flat channel are with
    the class attribute ``flat_said``. Its warning of a recording's stretches said
    'its features in those gap-free stretches are NaN' without naming the set, nor using its
    words (the set warned the built-in words, and the clause of its own words had none), or
    where it said them 'loose_hjorth: its features ...' with 'its' for several channels. Now
    its words, with its name and the stretches put in as for the built-in sets (the real
    Muse recording with 9 timestamp gaps, AF7 and then TP9 too made flat); a single signal
    keeps the words as they are."""
    import pandas as pd

    from emofeat.runner import run

    class LooseHjorth(EEGHjorth):
        set_name = "loose_hjorth"
        flat_said = "its features are NaN (a loose electrode)"

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    df["AF7"] = 5.0
    path = tmp_path / "gaps.csv"
    df.to_csv(path, index=False)
    df["TP9"] = 1.0
    path2 = tmp_path / "gaps2.csv"
    df.to_csv(path2, index=False)

    def flat_warnings(inputs, cls=LooseHjorth):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            run(inputs, [cls()])
        return [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]

    assert flat_warnings([str(path)]) == [
        f"{path}: flat (constant) signal in channel AF7 (10 of 10 gap-free stretches); its "
        "loose_hjorth features in those gap-free stretches are NaN (a loose electrode)"]
    assert flat_warnings([str(path2)]) == [
        f"{path2}: flat (constant) signal in channels TP9 (10 of 10 gap-free stretches), AF7 "
        "(10 of 10 gap-free stretches); their loose_hjorth features in those gap-free "
        "stretches are NaN (a loose electrode)"]
    x = df[["TP9", "AF7", "AF8", "TP10"]].to_numpy().T.copy()
    one = (x[:, :2560], 256.0, ("TP9", "AF7", "AF8", "TP10"))
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        LooseHjorth().fit([one]).transform([one])
    got = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
    assert got == ["<array 0>: channel TP9 has a flat (constant) signal; its features are NaN "
                   "(a loose electrode)", "<array 0>: channel AF7 has a flat (constant) signal; "
                   "its features are NaN (a loose electrode)"], got

    # flat_said = None (eeg_stats' way of saying nothing) does not silence an EEG set, whose
    # features of a flat channel are NaN: the built-in words in both paths, its name in the
    # recording's (which said 'its features in those ...', no name)
    class QuietHjorth(EEGHjorth):
        set_name = "quiet_hjorth"
        flat_said = None

    assert flat_warnings([str(path)], QuietHjorth) == [
        f"{path}: flat (constant) signal in channel AF7 (10 of 10 gap-free stretches); its "
        "quiet_hjorth features in those gap-free stretches are NaN"]
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        QuietHjorth().fit([one]).transform([one])
    assert [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)] == [
        "<array 0>: channel TP9 has a flat (constant) signal; its features are NaN",
        "<array 0>: channel AF7 has a flat (constant) signal; its features are NaN"]


def test_a_sets_transform_says_an_items_flat_channel_once(tmp_path):
    """Regression: a set's own ``transform`` of a recording with gaps, or of an epochs file
    or object, gave its flat-channel warning once per stretch or epoch (the real
    subjectb-relaxed-2.csv, AF7 flat: 10; ``rqa_eeg`` too, through the base transform). Now
    once per item, counting its stretches or epochs, worded as a run's; items of one signal
    each keep the set's own words, one warning each."""
    import pandas as pd

    from emofeat.registry import get_extractor

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    df["AF7"] = 5.0
    path = str(tmp_path / "gaps.csv")
    df.to_csv(path, index=False)
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    data = epochs.get_data()
    data[1:, epochs.ch_names.index("F4")] = 0.0
    flat_epochs = mne.EpochsArray(data, epochs.info, verbose="error")
    for name in ("eeg_de", "eeg_hjorth", "rqa_eeg"):
        for item, n, k, channel, unit in ((path, 10, 10, "AF7", "gap-free stretches"),
                                          (flat_epochs, 3, 2, "F4", "epochs")):
            ext = get_extractor(name).fit([item])
            with warnings.catch_warnings(record=True) as rec:
                warnings.simplefilter("always")
                X = ext.transform([item])
            got = [str(w.message) for w in rec if "flat (constant)" in str(w.message)]
            assert X.shape[0] == n and len(got) == 1, (name, got)
            assert f"flat (constant) signal in channel {channel} ({k} of {n} {unit}); " \
                f"its {name} " in got[0], got
            # an item listed twice: one warning each, counting its own signals (the sets
            # of the base transform counted both: '20 of 20')
            with warnings.catch_warnings(record=True) as rec:
                warnings.simplefilter("always")
                X = ext.transform([item, item])
            got = [str(w.message) for w in rec if "flat (constant)" in str(w.message)]
            assert X.shape[0] == 2 * n and len(got) == 2, (name, got)
            assert all(f"in channel {channel} ({k} of {n} {unit}); " in g for g in got), got
    x = df[["TP9", "AF7", "AF8", "TP10"]].to_numpy().T.copy()
    items = [(x[:, :2048], 256.0, ("TP9", "AF7", "AF8", "TP10")),
             (x[:, 2048:4096], 256.0, ("TP9", "AF7", "AF8", "TP10"))]
    ext = get_extractor("eeg_de").fit(items)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        ext.transform(items)
    assert [str(w.message) for w in rec] == [
        f"<array {i}>: channel AF7 has a flat (constant) signal; its features are NaN"
        for i in (0, 1)]
