"""Where eGeMAPS's time goes: CPU time per stage (exclusive), functionals or LLD level.

Every Numba kernel of ``extractors/_egemaps_kernels.py`` (and of the functionals kernel
module when present), the FFTs (``_rfft``, ``scipy.fft.dct``) and the Python functionals
(``functionals_of``) are wrapped with a timer that counts only its own time (nested timers
are subtracted); "glue" is the rest of the call (NumPy indexing, allocation, Python).
Kernels are warmed up first; the same RAVDESS signals as ``bench_egemaps.py``; BLAS one
thread. Each pass runs over every signal once; each stage's time per pass is reported as the
median and the min over ``--passes``.

    python benchmarks/profile_egemaps.py [--files 50] [--passes 5] [--level functionals]
        [--cprofile]

``--cprofile`` prints cProfile's top functions by internal time instead (the Python part).
Without it the split is also written to ``benchmarks/results/profile_egemaps_<level>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import statistics
import sys
import time
import warnings

import scipy.fft
from _common import limit_blas, ravdess_signals, setting, write_results
from emofeat.extractors import _egemaps_kernels as K
from emofeat.extractors import egemaps as E

try:  # the functionals kernel module, when this version has one
    from emofeat.extractors import _egemaps_functionals_kernels as KF
except ImportError:  # pragma: no cover - older versions
    KF = None

_totals: dict[str, float] = {}
_stack: list[float] = []  # time spent in nested timers, per open timer


def _timer(name: str, fn):
    @functools.wraps(fn)
    def wrapped(*a, **k):
        _stack.append(0.0)
        t0 = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            dt = time.process_time() - t0
            inner = _stack.pop()
            _totals[name] = _totals.get(name, 0.0) + dt - inner
            if _stack:
                _stack[-1] += dt
    return wrapped


def _wrap_all() -> None:
    from numba.core.registry import CPUDispatcher

    for mod, tag in ((K, "K"), (KF, "KF")):
        if mod is None:
            continue
        for name, obj in list(vars(mod).items()):
            if isinstance(obj, CPUDispatcher) and not name.startswith("_"):
                setattr(mod, name, _timer(f"{tag}.{name}", obj))
    E._rfft = _timer("rfft (20 ms / 60 ms frames)", E._rfft)
    scipy.fft.dct = _timer("dct (autocorrelations)", scipy.fft.dct)
    E.functionals_of = _timer("functionals_of (Python part)", E.functionals_of)
    E.lld_table = _timer("lld_table (Python part)", E.lld_table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--level", choices=["functionals", "lld"], default="functionals")
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    limit_blas(1)
    print(setting(1, args.passes))
    signals = ravdess_signals(args.files)
    fn = E.egemaps_functionals if args.level == "functionals" else E.egemaps_lld
    warnings.simplefilter("ignore")
    for y in signals:  # warm-up (compile / load kernels)
        fn(y)
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.passes):
            for y in signals:
                fn(y)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    _wrap_all()
    # one timed pass over every signal at a time: each stage's exclusive CPU time per pass,
    # reported as the median (and min) over the passes
    per_pass: list[dict[str, float]] = []
    pass_total: list[float] = []
    for _ in range(args.passes):
        _totals.clear()
        t0 = time.process_time()
        for y in signals:
            fn(y)
        all_s = time.process_time() - t0
        stages = dict(_totals)
        stages["glue (rest)"] = all_s - sum(_totals.values())
        per_pass.append(stages)
        pass_total.append(all_s)
    names = {k for stages in per_pass for k in stages}
    med = {k: statistics.median(st.get(k, 0.0) for st in per_pass) for k in names}
    low = {k: min(st.get(k, 0.0) for st in per_pass) for k in names}
    glue_key = "glue (rest)"
    order = sorted((k for k in names if k != glue_key), key=lambda k: -med[k]) + [glue_key]
    tot_med, tot_min = statistics.median(pass_total), min(pass_total)
    print(f"{args.level}, {len(signals)} files, {args.passes} passes, exclusive CPU time per "
          f"pass: median (min); share of the median pass total; load average "
          f"{os.getloadavg()[0]:.1f}")
    for name in order:
        print(f"  {name:<40s} {1e3 * med[name]:8.1f} ms ({1e3 * low[name]:8.1f})  "
              f"{100 * med[name] / tot_med:5.1f} %")
    print(f"  {'total':<40s} {1e3 * tot_med:8.1f} ms ({1e3 * tot_min:8.1f})")
    audio = sum(len(y) for y in signals) / E.SR
    print(f"  {audio / tot_med:.0f}x real time (CPU, median pass; fastest pass "
          f"{audio / tot_min:.0f}x)")
    table = [{"stage": name, "ms_per_pass_median": 1e3 * med[name],
              "ms_per_pass_min": 1e3 * low[name], "share_pct": 100 * med[name] / tot_med}
             for name in order]
    table.append({"stage": "total", "ms_per_pass_median": 1e3 * tot_med,
                  "ms_per_pass_min": 1e3 * tot_min, "share_pct": 100.0})
    write_results(f"profile_egemaps_{args.level}",
                  "python benchmarks/" + " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:]]),
                  {f"CPU time per stage, {args.level}": table},
                  notes=f"{len(signals)} RAVDESS files ({audio:.0f} s of audio), {args.passes} "
                        "passes in one process, BLAS one thread, exclusive CPU time per stage "
                        "per pass: median and min over the passes (share: of the median "
                        f"pass's total); {audio / tot_med:.0f}x real time in CPU time (median "
                        f"pass), {audio / tot_min:.0f}x (fastest)")

if __name__ == "__main__":
    main()
