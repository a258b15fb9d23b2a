"""EEG band power + Hjorth: emofeat vs mne-features and vs MNE ``psd_array_welch`` + NumPy.

Real recordings from ../shared/data/eeg, whole, cut into the windows the docs use:

- the 139-channel EDF (138 EEG channels, 512 Hz, 6 s): 2 s windows every 0.25 s (17 windows),
  and every 1 s (50 % overlap, 5 windows);
- the 24 Muse files (4 channels, 250 Hz; gap-free stretches, tails shorter than a window left
  out): 4 s windows every 2 s (592 windows with all 24 files).

Per window: Welch PSD (1 s segments, half overlap), power of the 5 default bands (absolute and
relative to the whole spectrum), Hjorth mobility and complexity (mne-features' convention).

References, on the same windows, each called its faster way (speed-ups are against the faster
of the two):

- ``mne-features``: ``extract_features(X, sfreq, ["pow_freq_bands", "hjorth_mobility",
  "hjorth_complexity"])`` on the windows array of all recordings (its sklearn path, one job)
  and on each recording's windows, and the same ``compute_*`` functions called per window;
- ``MNE + NumPy``: ``psd_array_welch`` on the windows array of all recordings (MNE switches
  to a row-by-row loop above 10 MB), on each recording's windows, and per window; band sums
  and Hjorth in NumPy.

emofeat, four ways:

- ``functions, windows of the recording``: :func:`band_power_hjorth_windows` on each
  continuous recording with the window spans (overlapping windows share their Welch
  segments: each distinct segment is transformed once);
- ``functions, windows array``: :func:`band_power_features` + :func:`hjorth_parameters` on the
  stacked windows (one call), the reference's input;
- ``extractors, runner``: ``emofeat.runner.run(recordings, [EEGBandPower, EEGHjorth],
  segment=..., hop=...)``, what ``emofeat extract --segment --hop`` runs (whole feature table
  with its index, one batched call per recording);
- ``extractors, transform``: ``EEGBandPower().transform(windows)`` and the same for
  ``EEGHjorth`` on the list of windows (rows of one windows array: ``transform`` checks bit
  for bit which windows continue one another and computes those as windows of their
  recording, the others stacked).

Every path's values are checked before timing: emofeat paths against each other (rtol 1e-9),
against MNE + NumPy (rtol 1e-9) and mne-features (rtol 1e-9).

Band power alone is also timed against MNE's ``psd_array_welch`` + band integration alone
(per window and per recording; the issue's MNE reference has no Hjorth, and NumPy's Hjorth is
about a third of the MNE + NumPy time on the EDF): ``x_vs_mne_band_power_only``.

Median of ``--passes`` interleaved passes (every side once per pass), warm-up excluded, BLAS
on one thread; both the wall clock and the CPU time of this process (``time.process_time``:
on a shared, loaded machine the wall clock of a pass also counts the time other jobs hold the
cores; on an idle machine the two agree). Writes ``benchmarks/results/bench_eeg.json``.

    python benchmarks/bench_eeg.py [--passes 5] [--muse-files 24] [--inputs edf,edf-1s,muse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np
from _common import DATA, add_common_args, limit_blas, write_results

EDGES = np.array([1.0, 4.0, 8.0, 13.0, 30.0, 45.0])


def edf_recording():
    import mne

    raw = mne.io.read_raw_edf(DATA / "eeg" / "mne_testdata" / "test.edf", verbose="error")
    return [np.ascontiguousarray(raw.get_data(picks="eeg", units="uV"))], raw.info["sfreq"]


def muse_recordings(n_files: int, window: float, hop: float):
    """Gap-free stretches of the Muse files, each cut after its last full window."""
    from emofeat.datasets.eeg_corpora import load_muse_mental_state, read_muse
    from emofeat.eeg_input import window_samples

    m = load_muse_mental_state(DATA / "eeg" / "muse_mental_state")
    n_win, n_hop = window_samples(250.0, window, hop)
    out = []
    for p in list(m["path"])[:n_files]:
        r = read_muse(p)  # timestamps give 250 +- a little: one rate for every recording
        edges = [0, *r.breaks, r.n_times]
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            if b - a >= n_win:
                k = (b - a - n_win) // n_hop
                out.append(np.ascontiguousarray(r.data[:, a : a + k * n_hop + n_win]))
    return out, 250.0


def main() -> None:
    import mne
    from emofeat.extractors import EEGBandPower, EEGHjorth, eeg
    from mne_features.feature_extraction import extract_features
    from mne_features.univariate import (
        compute_hjorth_complexity,
        compute_hjorth_mobility,
        compute_pow_freq_bands,
    )

    from emofeat.runner import run

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--muse-files", type=int, default=24, help="Muse files used (1-24)")
    parser.add_argument("--inputs", default="edf,edf-1s,muse",
                        help="comma-separated subset of edf, edf-1s, muse")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    bands = {n: (EDGES[i], EDGES[i + 1]) for i, n in enumerate(eeg.DEFAULT_BANDS)}
    kinds = ("absolute", "relative")

    wanted = args.inputs.split(",")
    edf, edf_sf = edf_recording()
    inputs = []
    if "edf" in wanted:
        inputs.append(("EDF 138 ch 512 Hz, 2 s windows every 0.25 s", edf, edf_sf, 2.0, 0.25))
    if "edf-1s" in wanted:
        inputs.append(("EDF 138 ch 512 Hz, 2 s windows every 1 s", edf, edf_sf, 2.0, 1.0))
    if "muse" in wanted:
        inputs.append(("Muse 4 ch 250 Hz, 4 s windows every 2 s",
                       *muse_recordings(args.muse_files, 4.0, 2.0), 4.0, 2.0))
    rows_out = []
    for label, recs, sf, window, hop in inputs:
        n_win, n_hop = int(round(window * sf)), int(round(hop * sf))
        spans = [eeg.window_spans(r.shape[1], n_win, n_hop) for r in recs]
        Xs = [np.stack([r[:, a:b] for a, b in s]) for r, s in zip(recs, spans, strict=True)]
        X = np.concatenate(Xs)
        n_fft = int(sf)
        n_ov = n_fft // 2
        psd_params = {"welch_n_fft": n_fft, "welch_n_per_seg": n_fft, "welch_n_overlap": n_ov}
        names = tuple(f"ch{k}" for k in range(X.shape[1]))
        bp_ext = EEGBandPower(bands=bands, kinds=("abs", "rel"), relative_to="all",
                              segment=n_fft / sf, overlap=0.5, sfreq=sf, ch_names=names).fit(None)
        hj_ext = EEGHjorth(convention="mne_features", sfreq=sf, ch_names=names).fit(None)
        items = [(w, sf, names) for w in X]
        rec_items = [(r, sf, names) for r in recs]

        def ours_recording(recs=recs, spans=spans, sf=sf, n_fft=n_fft, n_ov=n_ov):
            out = [eeg.band_power_hjorth_windows(r, sf, s, bands, kinds=kinds,
                                                 convention="mne_features", n_fft=n_fft,
                                                 n_overlap=n_ov)
                   for r, s in zip(recs, spans, strict=True)]
            return ({k: np.concatenate([o[0][k] for o in out]) for k in kinds},
                    np.concatenate([o[1] for o in out]))

        def ours_array(X=X, sf=sf, n_fft=n_fft, n_ov=n_ov):
            return (eeg.band_power_features(X, sf, bands, kinds=kinds, n_fft=n_fft,
                                            n_overlap=n_ov),
                    eeg.hjorth_parameters(X, convention="mne_features"))

        def ours_runner(rec_items=rec_items, bp=bp_ext, hj=hj_ext, window=window, hop=hop):
            return run(rec_items, [bp, hj], segment=window, hop=hop).table

        def ours_transform(items=items, bp=bp_ext, hj=hj_ext):
            return bp.transform(items), hj.transform(items)

        def mnef_extract(X=X, sf=sf, psd_params=psd_params):
            params = {
                "pow_freq_bands__freq_bands": EDGES,
                "pow_freq_bands__normalize": False,
                "pow_freq_bands__psd_params": psd_params,
            }
            a = extract_features(X, sf, ["pow_freq_bands", "hjorth_mobility",
                                         "hjorth_complexity"], funcs_params=params, n_jobs=1)
            params["pow_freq_bands__normalize"] = True
            b = extract_features(X, sf, ["pow_freq_bands"], funcs_params=params, n_jobs=1)
            return a, b

        def mnef_each(X=X, sf=sf, psd_params=psd_params):
            return [
                (compute_pow_freq_bands(sf, w, EDGES, normalize=False, psd_params=psd_params),
                 compute_pow_freq_bands(sf, w, EDGES, normalize=True, psd_params=psd_params),
                 compute_hjorth_mobility(w),
                 compute_hjorth_complexity(w))
                for w in X
            ]

        def mne_numpy_one(w, sf=sf, n_fft=n_fft, n_ov=n_ov):
            p, f = mne.time_frequency.psd_array_welch(w, sf, n_fft=n_fft, n_overlap=n_ov,
                                                      verbose="error")
            df = f[1] - f[0]
            ab = np.stack([p[..., (f >= lo) & (f < hi)].sum(-1) * df
                           for lo, hi in bands.values()], -1)
            rel = ab / (p.sum(-1) * df)[..., None]
            d1, d2 = np.diff(w, axis=-1), np.diff(w, n=2, axis=-1)
            mob = np.sqrt(d1.var(-1) / w.var(-1))
            return ab, rel, mob, np.sqrt(d2.var(-1) / d1.var(-1)) / mob

        def mne_bands_one(w, sf=sf, n_fft=n_fft, n_ov=n_ov):
            p, f = mne.time_frequency.psd_array_welch(w, sf, n_fft=n_fft, n_overlap=n_ov,
                                                      verbose="error")
            df = f[1] - f[0]
            ab = np.stack([p[..., (f >= lo) & (f < hi)].sum(-1) * df
                           for lo, hi in bands.values()], -1)
            return ab, ab / (p.sum(-1) * df)[..., None]

        def ours_bands_recording(recs=recs, spans=spans, sf=sf, n_fft=n_fft, n_ov=n_ov):
            return [eeg.band_power_windows(r, sf, s, bands, kinds=kinds, n_fft=n_fft,
                                           n_overlap=n_ov)
                    for r, s in zip(recs, spans, strict=True)]

        def mne_bands_each(X=X):
            return [mne_bands_one(w) for w in X]

        def mne_bands_rec(Xs=Xs):
            return [mne_bands_one(x) for x in Xs]

        def mne_numpy(X=X):
            return mne_numpy_one(X)

        def mne_numpy_each(X=X):
            return [mne_numpy_one(w) for w in X]

        def mne_numpy_rec(Xs=Xs):
            return [mne_numpy_one(x) for x in Xs]

        def mnef_rec(Xs=Xs, mnef_extract=mnef_extract):
            return [mnef_extract(x) for x in Xs]

        # ---- agreement before timing
        (bp_r, h_r), (bp_a, h_a) = ours_recording(), ours_array()
        for k in kinds:
            np.testing.assert_allclose(bp_r[k], bp_a[k], rtol=1e-9)
        np.testing.assert_allclose(h_r, h_a, rtol=1e-9)
        ref = mne_numpy()
        np.testing.assert_allclose(bp_r["absolute"], ref[0], rtol=1e-9)
        np.testing.assert_allclose(bp_r["relative"], ref[1], rtol=1e-9)
        nb, n_ch, n = len(bands), X.shape[1], len(X)
        expected = np.concatenate([np.swapaxes(bp_r[k], 1, 2).reshape(n, -1) for k in kinds]
                                  + [np.swapaxes(h_r, 1, 2).reshape(n, -1)], axis=1)
        table = ours_runner()
        assert table.X.shape[0] == n, (table.X.shape, n)
        np.testing.assert_allclose(table.X, expected, rtol=1e-9)
        np.testing.assert_allclose(np.concatenate(ours_transform(), axis=1), expected,
                                   rtol=1e-9)
        bo = ours_bands_recording()
        mb = mne_bands_one(X)
        for j, k in enumerate(kinds):
            np.testing.assert_allclose(np.concatenate([o[k] for o in bo]), mb[j], rtol=1e-9)
        a, b = mnef_extract()
        ab_closed = eeg.band_power(*eeg.welch_psd(X, sf, n_fft=n_fft, n_overlap=n_ov), bands,
                                   closed=True)
        df = sf / n_fft
        np.testing.assert_allclose(ab_closed.reshape(n, -1) / df, a[:, : n_ch * nb], rtol=1e-9)
        np.testing.assert_allclose(h_r[..., 1], a[:, n_ch * nb : n_ch * (nb + 1)], rtol=1e-9)
        np.testing.assert_allclose(h_r[..., 2], a[:, n_ch * (nb + 1) :], rtol=1e-9)

        sides = {
            "emofeat functions, windows of the recording": ours_recording,
            "emofeat functions, windows array": ours_array,
            "emofeat extractors, runner (--segment/--hop)": ours_runner,
            "emofeat extractors, transform(list of windows)": ours_transform,
            "mne-features extract_features, one call": mnef_extract,
            "mne-features extract_features, per recording": mnef_rec,
            "mne-features per window": mnef_each,
            "MNE psd_array_welch + NumPy, one call": mne_numpy,
            "MNE psd_array_welch + NumPy, per recording": mne_numpy_rec,
            "MNE psd_array_welch + NumPy, per window": mne_numpy_each,
            # band power alone against MNE's PSD + band integration alone (the MNE
            # reference has no Hjorth; NumPy's Hjorth is a third of the reference's time on
            # the EDF): the faster of per window and per recording
            "band power only: emofeat functions, windows of the recording": ours_bands_recording,
            "band power only: MNE psd_array_welch + band sums, per window": mne_bands_each,
            "band power only: MNE psd_array_welch + band sums, per recording": mne_bands_rec,
        }
        if len(recs) == 1:  # per recording is the one call
            del sides["mne-features extract_features, per recording"]
            del sides["MNE psd_array_welch + NumPy, per recording"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for fn in sides.values():
                fn()
            wall = {k: [] for k in sides}
            cpu = {k: [] for k in sides}
            for _ in range(args.passes):
                for k, fn in sides.items():
                    c0, t0 = time.process_time(), time.perf_counter()
                    fn()
                    wall[k].append(time.perf_counter() - t0)
                    cpu[k].append(time.process_time() - c0)
        load = os.getloadavg()
        print(f"\n{label}: {n} windows, median of {args.passes} interleaved passes "
              f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}); wall clock | CPU "
              "time of this process")
        med = {k: statistics.median(v) for k, v in wall.items()}
        med_cpu = {k: statistics.median(v) for k, v in cpu.items()}

        def best(m, prefix):
            return min(t for k, t in m.items() if k.startswith(prefix))

        for k in sides:
            t, c = med[k], med_cpu[k]
            line = (f"  {k:<48} {t * 1e3:8.1f} ms {n / t:7.0f} w/s | "
                    f"{c * 1e3:8.1f} ms {n / c:7.0f} w/s")
            row = {"input": label, "windows": n, "path": k, "ms": t * 1e3,
                   "windows_per_s": n / t, "cpu_ms": c * 1e3, "windows_per_cpu_s": n / c,
                   "load_average": round(load[0], 2),
                   # filled on the band-power-only row of emofeat (a column for every row)
                   "x_vs_mne_band_power_only": None, "x_vs_mne_band_power_only_cpu": None}
            if k.startswith("band power only: emofeat"):
                row.update(x_vs_mne_band_power_only=best(med, "band power only: MNE") / t,
                           x_vs_mne_band_power_only_cpu=best(med_cpu, "band power only: MNE") / c)
                line += (f"  {row['x_vs_mne_band_power_only']:4.1f}x|"
                         f"{row['x_vs_mne_band_power_only_cpu']:4.1f}x MNE (band power only)")
            if k.startswith("emofeat"):
                row.update(
                    x_vs_mne_features=best(med, "mne-features") / t,
                    x_vs_mne=best(med, "MNE") / t,
                    x_vs_mne_features_cpu=best(med_cpu, "mne-features") / c,
                    x_vs_mne_cpu=best(med_cpu, "MNE") / c,
                    # the two ways only (all windows in one call, or per window)
                    x_vs_mne_one_call_or_per_window_cpu=min(
                        med_cpu["MNE psd_array_welch + NumPy, one call"],
                        med_cpu["MNE psd_array_welch + NumPy, per window"]) / c,
                )
                line += (f"  {row['x_vs_mne_features']:5.1f}x|{row['x_vs_mne_features_cpu']:5.1f}x"
                         f" mne-features  {row['x_vs_mne']:4.1f}x|{row['x_vs_mne_cpu']:4.1f}x MNE")
            print(line)
            rows_out.append(row)
    write_results(
        "bench_eeg",
        " ".join(["python benchmarks/bench_eeg.py", *sys.argv[1:]]),
        {"speed": rows_out},
        notes="band power (absolute + relative, 5 bands, Welch 1 s segments, half overlap) + "
        "Hjorth mobility and complexity; x = median time of the faster way of the reference "
        "over emofeat's median time; values checked to agree (rtol 1e-9) before timing",
    )


if __name__ == "__main__":
    main()
