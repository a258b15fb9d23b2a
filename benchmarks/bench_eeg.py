"""EEG band power + Hjorth: emofeat vs mne-features and vs MNE ``psd_array_welch`` + NumPy.

Real recordings from ../shared/data/eeg, whole, cut into the windows the docs use:

- the 139-channel EDF (138 EEG channels, 512 Hz, 6 s): 2 s windows every 0.25 s (17 windows),
  and every 1 s (50 % overlap, 5 windows);
- the 24 Muse files (4 channels; gap-free stretches, tails shorter than a window left out),
  taken as arrays at 250 Hz: 4 s windows every 2 s (592 windows with all 24 files). The
  headband samples at 256 Hz (emofeat estimates 256.02 Hz from the timestamps); 250 Hz is
  the rate they were once estimated at (one over the median step of millisecond-rounded
  timestamps), kept so that the timings stay comparable with those published (at 256 Hz the
  same cut gives 575 windows of 1024 samples). A speed benchmark: the values are checked
  between the ways at whatever rate they are given.

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

Median and min of ``--passes`` interleaved passes (every side once per pass, every other pass
in reverse order), warm-up excluded, BLAS on ``--blas-threads`` threads (one by default; the
setting line printed first says so); both the wall clock and the CPU time of this process
(``time.process_time``: on a shared, loaded machine the wall clock of a pass also counts the
time other jobs hold the cores; on an idle machine the two agree). Each speed-up ``x_vs_*``
is the median over passes of (the fastest way of the reference in that pass / emofeat's time
in that pass); ``x_vs_*_of_medians`` beside it is the ratio of the medians. Writes
``benchmarks/results/bench_eeg.json``.

``--baseline REV`` (e.g. ``--baseline main``) adds emofeat's ways, run by git revision
``REV`` and by this tree, each in a worker process, as sides of the same interleaved passes
(rows ``worker, <sha>: ...`` and ``worker, this tree: ...``): the revision's ``emofeat``,
``extractors`` and ``classifiers`` are exported into a temporary folder and imported by its
worker (the same inputs, built there); each worker times one call when asked, after an
untimed MNE call on the same windows (so both have the same history: in the main process
the references run between emofeat's calls). Before timing, the revision's outputs are
compared with this tree's (bit for bit, and the largest relative difference);
``x_vs_baseline`` on the rows of this tree's worker is the median over passes of the
revision's time over this tree's (the two ran back to back in each pass).
``--no-mne-features`` leaves mne-features out (development runs: it is the slowest side),
``--no-write`` leaves ``benchmarks/results/`` alone.

    python benchmarks/bench_eeg.py [--passes 5] [--muse-files 24] [--inputs edf,edf-1s,muse]
                                   [--baseline main] [--no-mne-features] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np
from _common import DATA, add_common_args, limit_blas, setting, write_results

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
        r = read_muse(p)  # 256 Hz in truth; 250 Hz, one rate for all, as published (docstring)
        edges = [0, *r.breaks, r.n_times]
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            if b - a >= n_win:
                k = (b - a - n_win) // n_hop
                out.append(np.ascontiguousarray(r.data[:, a : a + k * n_hop + n_win]))
    return out, 250.0


def make_inputs(args) -> list[tuple]:
    """``(label, recordings, sfreq, window s, hop s)`` of each input in ``args.inputs``."""
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
    return inputs


def prepare(recs, sf, window, hop):
    """The windows of the input and emofeat's ways of computing their features (this
    process's emofeat: the tree's own, or a baseline revision's in the worker)."""
    from emofeat.extractors import EEGBandPower, EEGHjorth, eeg

    from emofeat.runner import run

    bands = {n: (EDGES[i], EDGES[i + 1]) for i, n in enumerate(eeg.DEFAULT_BANDS)}
    kinds = ("absolute", "relative")
    n_win, n_hop = int(round(window * sf)), int(round(hop * sf))
    spans = [eeg.window_spans(r.shape[1], n_win, n_hop) for r in recs]
    Xs = [np.stack([r[:, a:b] for a, b in s]) for r, s in zip(recs, spans, strict=True)]
    X = np.concatenate(Xs)
    n_fft = int(sf)
    n_ov = n_fft // 2
    names = tuple(f"ch{k}" for k in range(X.shape[1]))
    bp_ext = EEGBandPower(bands=bands, kinds=("abs", "rel"), relative_to="all",
                          segment=n_fft / sf, overlap=0.5, sfreq=sf, ch_names=names).fit(None)
    hj_ext = EEGHjorth(convention="mne_features", sfreq=sf, ch_names=names).fit(None)
    items = [(w, sf, names) for w in X]
    rec_items = [(r, sf, names) for r in recs]

    def ours_recording():
        out = [eeg.band_power_hjorth_windows(r, sf, s, bands, kinds=kinds,
                                             convention="mne_features", n_fft=n_fft,
                                             n_overlap=n_ov)
               for r, s in zip(recs, spans, strict=True)]
        return ({k: np.concatenate([o[0][k] for o in out]) for k in kinds},
                np.concatenate([o[1] for o in out]))

    def ours_array():
        return (eeg.band_power_features(X, sf, bands, kinds=kinds, n_fft=n_fft,
                                        n_overlap=n_ov),
                eeg.hjorth_parameters(X, convention="mne_features"))

    def ours_runner():
        return run(rec_items, [bp_ext, hj_ext], segment=window, hop=hop).table

    def ours_transform():
        return bp_ext.transform(items), hj_ext.transform(items)

    def ours_bands_recording():
        return [eeg.band_power_windows(r, sf, s, bands, kinds=kinds, n_fft=n_fft,
                                       n_overlap=n_ov)
                for r, s in zip(recs, spans, strict=True)]

    sides = {
        "emofeat functions, windows of the recording": ours_recording,
        "emofeat functions, windows array": ours_array,
        "emofeat extractors, runner (--segment/--hop)": ours_runner,
        "emofeat extractors, transform(list of windows)": ours_transform,
        "band power only: emofeat functions, windows of the recording": ours_bands_recording,
    }
    ctx = {"bands": bands, "kinds": kinds, "spans": spans, "Xs": Xs, "X": X, "n_fft": n_fft,
           "n_ov": n_ov, "sf": sf}
    return sides, ctx


def outputs(sides) -> dict[str, list[np.ndarray]]:
    """Every emofeat side's values as a flat list of arrays (to compare revisions)."""
    def flat(v):
        if isinstance(v, np.ndarray):
            return [v]
        if isinstance(v, dict):
            return [a for k in sorted(v) for a in flat(v[k])]
        if isinstance(v, list | tuple):
            return [a for x in v for a in flat(x)]
        return [np.asarray(v.X)]  # a FeatureTable

    return {k: flat(fn()) for k, fn in sides.items()}


def _timed(fn) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def worker() -> None:
    """A worker of ``--baseline``: builds the inputs and emofeat's ways with the emofeat
    first on ``sys.path`` (a revision's, or this tree's), then answers requests on stdin:
    ``("values", i)``: the outputs of input ``i``; ``("time", i, side)``: wall and CPU seconds
    of one call, after an untimed call of MNE's ``psd_array_welch`` on each recording's
    windows (as in the main process, where the references run between emofeat's calls and
    leave the caches and the heap in their state); ``("stop",)``."""
    import pickle

    import mne

    # the answers go on the original stdout; anything printed goes to stderr
    out, inp = os.fdopen(os.dup(1), "wb"), sys.stdin.buffer
    os.dup2(2, 1)
    args = pickle.loads(bytes.fromhex(sys.argv[2]))
    limit_blas(args.blas_threads)
    warnings.simplefilter("ignore")
    prepared = [prepare(recs, sf, window, hop) for _, recs, sf, window, hop in make_inputs(args)]

    def disturb(ctx):
        for x in ctx["Xs"]:
            mne.time_frequency.psd_array_welch(x, ctx["sf"], n_fft=ctx["n_fft"],
                                               n_overlap=ctx["n_ov"], verbose="error")

    for sides, _ in prepared:  # warm-up (Numba caches, scratch memory)
        for fn in sides.values():
            fn()
    pickle.dump(("ready", __import__("emofeat").__file__), out)
    out.flush()
    while True:
        req = pickle.load(inp)
        if req[0] == "stop":
            return
        sides, ctx = prepared[req[1]]
        if req[0] == "values":
            pickle.dump(outputs(sides), out)
        else:
            disturb(ctx)
            pickle.dump(_timed(sides[req[2]]), out)
        out.flush()


class Baseline:
    """A worker process running the emofeat of git revision ``rev``, or this tree's when
    ``rev`` is ``None`` (see :func:`worker`)."""

    def __init__(self, rev: str | None, args) -> None:
        import shutil
        import subprocess
        import tempfile
        from pathlib import Path

        root = Path(__file__).resolve().parents[1]
        if rev is None:
            self.sha, pkg, env = "this tree", root / "emofeat", dict(os.environ)
            self._start(args, env, pkg)
            return
        self.sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=root, check=True,
                                  capture_output=True, text=True).stdout.strip()
        # kept per revision: Numba's cache of its kernels is reused from run to run
        base = Path(tempfile.gettempdir()) / "emofeat-eeg-baseline" / self.sha
        pkg = base / "emofeat"
        if not (base / ".complete").exists():
            shutil.rmtree(base, ignore_errors=True)
            (base / "src").mkdir(parents=True)
            tar = subprocess.run(["git", "archive", self.sha, "emofeat", "extractors",
                                  "classifiers"], cwd=root, check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(base / "src")], input=tar.stdout, check=True)
            shutil.move(str(base / "src" / "emofeat"), str(pkg))
            for sub in ("extractors", "classifiers"):  # the mapping of setup.cfg
                shutil.move(str(base / "src" / sub), str(pkg / sub))
            (base / ".complete").write_text(self.sha)
        env = dict(os.environ, PYTHONPATH=str(base) + os.pathsep
                   + os.environ.get("PYTHONPATH", ""))
        self._start(args, env, pkg)

    def _start(self, args, env, pkg) -> None:
        import pickle
        import subprocess

        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", pickle.dumps(args).hex()],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        _, where = self._get()
        if not where.startswith(str(pkg)):
            raise SystemExit(f"the baseline worker imported emofeat from {where}, not {pkg}")

    def _get(self):
        import pickle

        try:
            return pickle.load(self.proc.stdout)
        except EOFError:
            raise SystemExit("the baseline worker stopped (its error is above)") from None

    def ask(self, *req):
        import pickle

        pickle.dump(req, self.proc.stdin)
        self.proc.stdin.flush()
        return self._get()

    def close(self) -> None:
        import pickle

        pickle.dump(("stop",), self.proc.stdin)
        self.proc.stdin.flush()
        self.proc.wait()


def compare(ours: dict, theirs: dict) -> dict[str, tuple[bool, float]]:
    """Per side: bit for bit equal (NaN where NaN), and the largest relative difference."""
    out = {}
    for k, a_list in ours.items():
        b_list = theirs[k]
        same, worst = len(a_list) == len(b_list), 0.0
        for a, b in zip(a_list, b_list, strict=False):
            if a.shape != b.shape:
                same, worst = False, float("inf")
                continue
            same &= bool(np.array_equal(a, b, equal_nan=True))
            with np.errstate(divide="ignore", invalid="ignore"):
                d = np.abs(a - b) / np.abs(b)
            d = d[np.isfinite(d)]
            worst = max(worst, float(d.max()) if d.size else 0.0)
        out[k] = (same, worst)
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker()
        return
    import mne

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--muse-files", type=int, default=24, help="Muse files used (1-24)")
    parser.add_argument("--inputs", default="edf,edf-1s,muse",
                        help="comma-separated subset of edf, edf-1s, muse")
    parser.add_argument("--baseline", default="",
                        help="git revision whose emofeat is timed side by side (e.g. main)")
    parser.add_argument("--no-mne-features", action="store_true",
                        help="leave mne-features out (development runs)")
    parser.add_argument("--no-write", action="store_true",
                        help="do not write benchmarks/results/bench_eeg.json")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    print(setting(args.blas_threads, args.passes))
    from emofeat.extractors import eeg

    # the revision and this tree each in a worker process: the same process history for both
    baseline = Baseline(args.baseline, args) if args.baseline else None
    current = Baseline(None, args) if args.baseline else None
    rows_out = []
    for index, (label, recs, sf, window, hop) in enumerate(make_inputs(args)):
        ours, ctx = prepare(recs, sf, window, hop)
        bands, kinds, X, Xs = ctx["bands"], ctx["kinds"], ctx["X"], ctx["Xs"]
        n_fft, n_ov = ctx["n_fft"], ctx["n_ov"]
        ours_recording = ours["emofeat functions, windows of the recording"]
        ours_array = ours["emofeat functions, windows array"]
        ours_runner = ours["emofeat extractors, runner (--segment/--hop)"]
        ours_transform = ours["emofeat extractors, transform(list of windows)"]
        ours_bands_recording = ours["band power only: emofeat functions, windows of the recording"]
        psd_params = {"welch_n_fft": n_fft, "welch_n_per_seg": n_fft, "welch_n_overlap": n_ov}

        def mnef_extract(X=X, sf=sf, psd_params=psd_params):
            from mne_features.feature_extraction import extract_features

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
            from mne_features.univariate import (
                compute_hjorth_complexity,
                compute_hjorth_mobility,
                compute_pow_freq_bands,
            )

            return [
                (compute_pow_freq_bands(sf, w, EDGES, normalize=False, psd_params=psd_params),
                 compute_pow_freq_bands(sf, w, EDGES, normalize=True, psd_params=psd_params),
                 compute_hjorth_mobility(w),
                 compute_hjorth_complexity(w))
                for w in X
            ]

        def mne_numpy_one(w, sf=sf, n_fft=n_fft, n_ov=n_ov, bands=bands):
            p, f = mne.time_frequency.psd_array_welch(w, sf, n_fft=n_fft, n_overlap=n_ov,
                                                      verbose="error")
            df = f[1] - f[0]
            ab = np.stack([p[..., (f >= lo) & (f < hi)].sum(-1) * df
                           for lo, hi in bands.values()], -1)
            rel = ab / (p.sum(-1) * df)[..., None]
            d1, d2 = np.diff(w, axis=-1), np.diff(w, n=2, axis=-1)
            mob = np.sqrt(d1.var(-1) / w.var(-1))
            return ab, rel, mob, np.sqrt(d2.var(-1) / d1.var(-1)) / mob

        def mne_bands_one(w, sf=sf, n_fft=n_fft, n_ov=n_ov, bands=bands):
            p, f = mne.time_frequency.psd_array_welch(w, sf, n_fft=n_fft, n_overlap=n_ov,
                                                      verbose="error")
            df = f[1] - f[0]
            ab = np.stack([p[..., (f >= lo) & (f < hi)].sum(-1) * df
                           for lo, hi in bands.values()], -1)
            return ab, ab / (p.sum(-1) * df)[..., None]

        def mne_bands_each(X=X, mne_bands_one=mne_bands_one):
            return [mne_bands_one(w) for w in X]

        def mne_bands_rec(Xs=Xs, mne_bands_one=mne_bands_one):
            return [mne_bands_one(x) for x in Xs]

        def mne_numpy(X=X, mne_numpy_one=mne_numpy_one):
            return mne_numpy_one(X)

        def mne_numpy_each(X=X, mne_numpy_one=mne_numpy_one):
            return [mne_numpy_one(w) for w in X]

        def mne_numpy_rec(Xs=Xs, mne_numpy_one=mne_numpy_one):
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
        if not args.no_mne_features:
            a, b = mnef_extract()
            ab_closed = eeg.band_power(*eeg.welch_psd(X, sf, n_fft=n_fft, n_overlap=n_ov),
                                       bands, closed=True)
            df = sf / n_fft
            np.testing.assert_allclose(ab_closed.reshape(n, -1) / df, a[:, : n_ch * nb],
                                       rtol=1e-9)
            np.testing.assert_allclose(h_r[..., 1], a[:, n_ch * nb : n_ch * (nb + 1)],
                                       rtol=1e-9)
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
        if args.no_mne_features:
            for k in [k for k in sides if k.startswith("mne-features")]:
                del sides[k]
        remote: dict[str, str] = {}
        if baseline is not None:
            same = compare(outputs(ours), baseline.ask("values", index))
            for k, (bits, worst) in same.items():
                print(f"  baseline {baseline.sha} vs this tree, {k}: "
                      f"{'bit-identical' if bits else 'NOT bit-identical'}, "
                      f"max relative difference {worst:.3g}")
            for k in ours:
                for w in (current, baseline):
                    remote[f"worker, {w.sha}: {k}"] = (w, k)
                    sides[f"worker, {w.sha}: {k}"] = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for fn in sides.values():
                if fn is not None:
                    fn()
            wall = {k: [] for k in sides}
            cpu = {k: [] for k in sides}
            for p in range(args.passes):
                # every other pass in reverse order: no side always follows the same one
                for k, fn in (list(sides.items()) if p % 2 == 0
                              else list(sides.items())[::-1]):
                    w, c = (_timed(fn) if fn is not None
                            else remote[k][0].ask("time", index, remote[k][1]))
                    wall[k].append(w)
                    cpu[k].append(c)
        load = os.getloadavg()
        print(f"\n{label}: {n} windows, median (min) of {args.passes} interleaved passes "
              f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}); wall clock | CPU "
              "time of this process; x = median over passes of (the fastest reference way "
              "in that pass / emofeat in that pass)")
        med = {k: statistics.median(v) for k, v in wall.items()}
        med_cpu = {k: statistics.median(v) for k, v in cpu.items()}

        def best(m, prefix):
            """The fastest reference way's median (for the ratio of medians)."""
            found = [t for k, t in m.items() if k.startswith(prefix)]
            return min(found) if found else float("nan")

        def per_pass(times, prefix, k):
            """Median over passes of (fastest way whose name starts with ``prefix`` in that
            pass / side ``k`` in that pass): the headline ratio."""
            found = [v for name, v in times.items() if name.startswith(prefix)]
            if not found:
                return float("nan")
            return statistics.median(min(ways) / mine
                                     for *ways, mine in zip(*found, times[k], strict=True))

        def per_pass_of(times, names, k):
            return statistics.median(min(ways) / mine for *ways, mine in
                                     zip(*(times[x] for x in names), times[k], strict=True))

        ratio_keys = ("x_vs_mne_band_power_only", "x_vs_mne_band_power_only_cpu",
                      "x_vs_mne_band_power_only_of_medians", "x_vs_mne_features", "x_vs_mne",
                      "x_vs_mne_features_cpu", "x_vs_mne_cpu",
                      "x_vs_mne_one_call_or_per_window_cpu", "x_vs_mne_features_of_medians",
                      "x_vs_mne_of_medians", "x_vs_mne_features_cpu_of_medians",
                      "x_vs_mne_cpu_of_medians")
        for k in sides:
            t, c = med[k], med_cpu[k]
            t_lo, c_lo = min(wall[k]), min(cpu[k])
            line = (f"  {k:<48} {t * 1e3:8.1f} ({t_lo * 1e3:.1f}) ms {n / t:7.0f} w/s | "
                    f"{c * 1e3:8.1f} ({c_lo * 1e3:.1f}) ms {n / c:7.0f} w/s")
            row = {"input": label, "windows": n, "path": k, "ms": t * 1e3, "ms_min": t_lo * 1e3,
                   "windows_per_s": n / t, "windows_per_s_max": n / t_lo,
                   "cpu_ms": c * 1e3, "cpu_ms_min": c_lo * 1e3, "windows_per_cpu_s": n / c,
                   "passes": len(wall[k]), "blas_threads": args.blas_threads,
                   "load_average": round(load[0], 2),
                   # x_*: median of per-pass ratios (fastest reference way of the pass over
                   # emofeat's time in it); x_*_of_medians: the ratio of the medians, beside
                   # it; filled on emofeat's rows (a column for every row)
                   **dict.fromkeys(ratio_keys)}
            own = remote[k][1] if k in remote else k
            if own.startswith("band power only: emofeat"):
                mne_bp = "band power only: MNE"
                row.update(x_vs_mne_band_power_only=per_pass(wall, mne_bp, k),
                           x_vs_mne_band_power_only_cpu=per_pass(cpu, mne_bp, k),
                           x_vs_mne_band_power_only_of_medians=best(med, mne_bp) / t)
                line += (f"  {row['x_vs_mne_band_power_only']:4.1f}x|"
                         f"{row['x_vs_mne_band_power_only_cpu']:4.1f}x MNE (band power only)")
            if own.startswith("emofeat"):
                row.update(
                    x_vs_mne_features=per_pass(wall, "mne-features", k),
                    x_vs_mne=per_pass(wall, "MNE", k),
                    x_vs_mne_features_cpu=per_pass(cpu, "mne-features", k),
                    x_vs_mne_cpu=per_pass(cpu, "MNE", k),
                    # the two ways only (all windows in one call, or per window)
                    x_vs_mne_one_call_or_per_window_cpu=per_pass_of(
                        cpu, ("MNE psd_array_welch + NumPy, one call",
                              "MNE psd_array_welch + NumPy, per window"), k),
                    x_vs_mne_features_of_medians=best(med, "mne-features") / t,
                    x_vs_mne_of_medians=best(med, "MNE") / t,
                    x_vs_mne_features_cpu_of_medians=best(med_cpu, "mne-features") / c,
                    x_vs_mne_cpu_of_medians=best(med_cpu, "MNE") / c,
                )
                line += (f"  {row['x_vs_mne_features']:5.1f}x|{row['x_vs_mne_features_cpu']:5.1f}x"
                         f" mne-features  {row['x_vs_mne']:4.1f}x|{row['x_vs_mne_cpu']:4.1f}x MNE"
                         f" (of medians {row['x_vs_mne_of_medians']:.1f}x|"
                         f"{row['x_vs_mne_cpu_of_medians']:.1f}x)")
            if k in remote and remote[k][0] is current:
                old = f"worker, {baseline.sha}: {own}"
                # median of the per-pass ratios (each pass's pair ran back to back)
                row.update(baseline=baseline.sha,
                           x_vs_baseline=statistics.median(
                               o / m for o, m in zip(wall[old], wall[k], strict=True)),
                           x_vs_baseline_cpu=statistics.median(
                               o / m for o, m in zip(cpu[old], cpu[k], strict=True)))
                line += f"  {row['x_vs_baseline']:4.2f}x|{row['x_vs_baseline_cpu']:4.2f}x baseline"
            print(line)
            rows_out.append(row)
    if baseline is not None:
        baseline.close()
        current.close()
    if args.no_write:
        return
    write_results(
        "bench_eeg",
        " ".join(["python benchmarks/bench_eeg.py", *sys.argv[1:]]),
        {"speed": rows_out},
        notes="band power (absolute + relative, 5 bands, Welch 1 s segments, half overlap) + "
        f"Hjorth mobility and complexity; {args.passes} interleaved passes, BLAS "
        f"{args.blas_threads} thread(s); ms / cpu_ms: medians, *_min: fastest pass; x_* = "
        "median over passes of (the fastest way of the reference in that pass / emofeat's "
        "time in that pass); x_*_of_medians: the fastest reference way's median over "
        "emofeat's median; values checked to agree (rtol 1e-9) before timing",
    )


if __name__ == "__main__":
    main()
