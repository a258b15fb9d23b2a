"""EEG band power + Hjorth: emofeat vs mne-features and vs MNE ``psd_array_welch`` + NumPy.

Real recordings from ../shared/data/eeg: the 139-channel EDF (512 Hz, 6 s) and the 24 Muse
files (4 channels, 250 Hz), cut into windows (EDF 2 s / 0.25 s hop, Muse 4 s / 2 s hop). Per
window: Welch PSD (1 s segments, half overlap), power of the 5 default bands (absolute and
relative), Hjorth mobility and complexity.

References, on the same windows:

- ``mne-features``: ``extract_features(X, sfreq, ["pow_freq_bands", "hjorth_mobility",
  "hjorth_complexity"])`` on the windows array (its sklearn path, one job), and the same three
  ``compute_*`` functions called per window;
- ``MNE + NumPy``: ``psd_array_welch`` on the windows array (MNE switches to a row-by-row loop
  above 10 MB, which the EDF and Muse arrays are) and per window, band sums and Hjorth in
  NumPy.

Speed-ups are against the faster of the two ways of each reference.

emofeat: :func:`band_power_features` + :func:`hjorth_parameters` on the whole windows array,
called per window, and the ``eeg_bands`` + ``eeg_hjorth`` extractors' ``transform`` on the list
of windows (what ``emofeat extract`` runs per window). Values are checked to agree (rtol
1e-9) before timing. Median of ``--passes`` interleaved passes (reference, emofeat, reference,
...), warm-up excluded, BLAS on one thread.

    python benchmarks/bench_eeg.py [--passes 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from _common import DATA, add_common_args, limit_blas

EDGES = np.array([1.0, 4.0, 8.0, 13.0, 30.0, 45.0])


def edf_windows():
    import mne

    raw = mne.io.read_raw_edf(DATA / "eeg" / "mne_testdata" / "test.edf", verbose="error")
    x = raw.get_data(picks="eeg", units="uV")
    sf = raw.info["sfreq"]
    n, hop = int(2 * sf), int(0.25 * sf)
    return np.stack([x[:, s : s + n] for s in range(0, x.shape[1] - n + 1, hop)]), sf


def muse_windows():
    from emofeat.datasets.eeg_corpora import load_muse_mental_state, read_muse
    from emofeat.eeg_input import window_recordings

    m = load_muse_mental_state(DATA / "eeg" / "muse_mental_state")
    recs = [read_muse(p) for p in m["path"]]
    for r in recs:  # Muse timestamps give 250 +- a little; one rate for the stacked windows
        object.__setattr__(r, "sfreq", 250.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ep, _ = window_recordings(recs, 4.0, 2.0)
    return ep, 250.0


def main() -> None:
    import mne
    from emofeat.extractors import eeg
    from mne_features.feature_extraction import extract_features
    from mne_features.univariate import (
        compute_hjorth_complexity,
        compute_hjorth_mobility,
        compute_pow_freq_bands,
    )

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=5)
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    bands = {n: (EDGES[i], EDGES[i + 1]) for i, n in enumerate(eeg.DEFAULT_BANDS)}

    for label, (X, sf) in (
        ("EDF 139 ch 512 Hz, 2 s", edf_windows()),
        ("Muse 4 ch 250 Hz, 4 s", muse_windows()),
    ):
        n_fft = int(sf)
        n_ov = n_fft // 2
        psd_params = {"welch_n_fft": n_fft, "welch_n_per_seg": n_fft, "welch_n_overlap": n_ov}

        def ours_batch(X=X, sf=sf, n_fft=n_fft, n_ov=n_ov):
            bp = eeg.band_power_features(
                X, sf, bands, kinds=("absolute", "relative"), n_fft=n_fft, n_overlap=n_ov
            )
            h = eeg.hjorth_parameters(X, convention="mne_features")
            return bp, h

        def ours_each(X=X, sf=sf, n_fft=n_fft, n_ov=n_ov):
            return [
                (
                    eeg.band_power_features(
                        w, sf, bands, kinds=("absolute", "relative"), n_fft=n_fft, n_overlap=n_ov
                    ),
                    eeg.hjorth_parameters(w, convention="mne_features"),
                )
                for w in X
            ]

        from emofeat.extractors import EEGBandPower, EEGHjorth

        names = tuple(f"ch{k}" for k in range(X.shape[1]))
        seg = n_fft / sf
        bp_ext = EEGBandPower(
            bands=bands,
            kinds=("abs", "rel"),
            relative_to="all",
            segment=seg,
            overlap=0.5,
            sfreq=sf,
            ch_names=names,
        ).fit(None)
        hj_ext = EEGHjorth(convention="mne_features", sfreq=sf, ch_names=names).fit(None)
        items = [(w, sf, names) for w in X]

        def ours_extractors(bp_ext=bp_ext, hj_ext=hj_ext, items=items):
            return bp_ext.transform(items), hj_ext.transform(items)

        def mnef_extract(X=X, sf=sf, psd_params=psd_params):
            params = {
                "pow_freq_bands__freq_bands": EDGES,
                "pow_freq_bands__normalize": False,
                "pow_freq_bands__psd_params": psd_params,
            }
            a = extract_features(
                X,
                sf,
                ["pow_freq_bands", "hjorth_mobility", "hjorth_complexity"],
                funcs_params=params,
                n_jobs=1,
            )
            params["pow_freq_bands__normalize"] = True
            b = extract_features(X, sf, ["pow_freq_bands"], funcs_params=params, n_jobs=1)
            return a, b

        def mnef_each(X=X, sf=sf, psd_params=psd_params):
            return [
                (
                    compute_pow_freq_bands(sf, w, EDGES, normalize=False, psd_params=psd_params),
                    compute_pow_freq_bands(sf, w, EDGES, normalize=True, psd_params=psd_params),
                    compute_hjorth_mobility(w),
                    compute_hjorth_complexity(w),
                )
                for w in X
            ]

        def mne_numpy(X=X, sf=sf, n_fft=n_fft, n_ov=n_ov):
            p, f = mne.time_frequency.psd_array_welch(
                X, sf, n_fft=n_fft, n_overlap=n_ov, verbose="error"
            )
            df = f[1] - f[0]
            ab = np.stack(
                [p[..., (f >= lo) & (f < hi)].sum(-1) * df for lo, hi in bands.values()], -1
            )
            rel = ab / (p.sum(-1) * df)[..., None]
            d1, d2 = np.diff(X, axis=-1), np.diff(X, n=2, axis=-1)
            mob = np.sqrt(d1.var(-1) / X.var(-1))
            return ab, rel, mob, np.sqrt(d2.var(-1) / d1.var(-1)) / mob

        def mne_numpy_each(X=X, sf=sf, n_fft=n_fft, n_ov=n_ov):
            out = []
            for w in X:
                p, f = mne.time_frequency.psd_array_welch(
                    w, sf, n_fft=n_fft, n_overlap=n_ov, verbose="error"
                )
                df = f[1] - f[0]
                ab = np.stack(
                    [p[..., (f >= lo) & (f < hi)].sum(-1) * df for lo, hi in bands.values()], -1
                )
                d1, d2 = np.diff(w, axis=-1), np.diff(w, n=2, axis=-1)
                mob = np.sqrt(d1.var(-1) / w.var(-1))
                out.append(
                    (
                        ab,
                        ab / (p.sum(-1) * df)[..., None],
                        mob,
                        np.sqrt(d2.var(-1) / d1.var(-1)) / mob,
                    )
                )
            return out

        # agreement before timing
        (bp, h), ref = ours_batch(), mne_numpy()
        np.testing.assert_allclose(bp["absolute"], ref[0], rtol=1e-9)
        np.testing.assert_allclose(bp["relative"], ref[1], rtol=1e-9)
        a, b = mnef_extract()
        nb = len(bands)
        n_ch = X.shape[1]
        ab_closed = eeg.band_power(
            eeg.welch_psd(X, sf, n_fft=n_fft, n_overlap=n_ov)[0],
            eeg.welch_psd(X[:1, :1], sf, n_fft=n_fft, n_overlap=n_ov)[1],
            bands,
            closed=True,
        )
        df = sf / n_fft
        np.testing.assert_allclose(ab_closed.reshape(len(X), -1) / df, a[:, : n_ch * nb], rtol=1e-9)
        np.testing.assert_allclose(h[..., 1], a[:, n_ch * nb : n_ch * (nb + 1)], rtol=1e-9)
        np.testing.assert_allclose(h[..., 2], a[:, n_ch * (nb + 1) :], rtol=1e-9)

        sides = {
            "emofeat (all windows)": ours_batch,
            "emofeat (per window)": ours_each,
            "emofeat extractors (transform)": ours_extractors,
            "mne-features extract_features": mnef_extract,
            "mne-features per window": mnef_each,
            "MNE psd_array_welch + NumPy": mne_numpy,
            "MNE + NumPy per window": mne_numpy_each,
        }
        for fn in sides.values():
            fn()
        times = {k: [] for k in sides}
        for _ in range(args.passes):
            for k, fn in sides.items():
                t0 = time.perf_counter()
                fn()
                times[k].append(time.perf_counter() - t0)
        med = {k: statistics.median(v) for k, v in times.items()}
        ext_rel = ours_extractors()[0][:, len(bands) * X.shape[1] :].reshape(len(X), len(bands), -1)
        np.testing.assert_allclose(
            ext_rel.transpose(0, 2, 1),
            eeg.band_power_features(X, sf, bands, kinds=("relative",), n_fft=n_fft, n_overlap=n_ov)[
                "relative"
            ],
            rtol=1e-9,
        )
        print(f"\n{label}: {len(X)} windows, median of {args.passes} interleaved passes")
        for k, t in med.items():
            line = f"  {k:<32} {t * 1e3:9.1f} ms  {len(X) / t:10.0f} windows/s"
            if k.startswith("emofeat"):
                best_mnef = min(
                    med["mne-features extract_features"], med["mne-features per window"]
                )
                best_mne = min(med["MNE psd_array_welch + NumPy"], med["MNE + NumPy per window"])
                line += (f"   {best_mnef / t:6.1f}x best mne-features, "
                         f"{best_mne / t:5.1f}x best MNE+NumPy")
            print(line)


if __name__ == "__main__":
    main()
