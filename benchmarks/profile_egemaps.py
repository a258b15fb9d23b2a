"""Where eGeMAPS's time goes: CPU time per stage (exclusive), functionals or LLD level.

Every Numba kernel of ``extractors/_egemaps_kernels.py`` (and of the functionals kernel
module when present), the FFTs (``_rfft``, ``scipy.fft.dct``) and the Python functionals
(``functionals_of``) are wrapped with a timer that counts only its own time (nested timers
are subtracted); "glue" is the rest of the call (NumPy indexing, allocation, Python).
Kernels are warmed up first; the same RAVDESS signals as ``bench_egemaps.py``.

    python benchmarks/profile_egemaps.py [--files 50] [--passes 3] [--level functionals]
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
import sys
import time
import warnings

import scipy.fft
from _common import limit_blas, ravdess_signals, write_results
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
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--level", choices=["functionals", "lld"], default="functionals")
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    limit_blas(1)
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
    total = _timer("total", lambda: [fn(y) for y in signals for _ in range(args.passes)])
    t0 = time.process_time()
    total()
    all_s = time.process_time() - t0
    _totals.pop("total")
    glue = all_s - sum(_totals.values())
    rows = sorted(_totals.items(), key=lambda kv: -kv[1]) + [("glue (rest)", glue)]
    print(f"{args.level}, {len(signals)} files x {args.passes} passes, CPU time per pass; "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, s in rows:
        print(f"  {name:<40s} {1e3 * s / args.passes:8.1f} ms  {100 * s / all_s:5.1f} %")
    print(f"  {'total':<40s} {1e3 * all_s / args.passes:8.1f} ms")
    audio = sum(len(y) for y in signals) / E.SR
    print(f"  {audio * args.passes / all_s:.0f}x real time (CPU)")
    table = [{"stage": name, "ms_per_pass": 1e3 * s / args.passes, "share_pct": 100 * s / all_s}
             for name, s in rows]
    table.append({"stage": "total", "ms_per_pass": 1e3 * all_s / args.passes,
                  "share_pct": 100.0})
    write_results(f"profile_egemaps_{args.level}",
                  "python benchmarks/" + " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:]]),
                  {f"CPU time per stage, {args.level}": table},
                  notes=f"{len(signals)} RAVDESS files ({audio:.0f} s of audio), {args.passes} "
                        "passes in one process, exclusive CPU time per stage; "
                        f"{audio * args.passes / all_s:.0f}x real time in CPU time")


if __name__ == "__main__":
    main()
