"""eGeMAPSv02 functionals and LLDs: emofeat vs openSMILE (``opensmile`` 2.6), side by side.

Same RAVDESS files, decoded once into memory (16 kHz float32), one process, warm-up excluded;
openSMILE through ``Smile.process_signal`` (its in-process C++ library), emofeat through
:func:`emofeat.extractors.egemaps.egemaps_functionals` / ``egemaps_lld``. The passes of the
two sides are interleaved and the ratio is the median over ``--repeats`` passes, in wall time
and in process CPU time (the machine may be shared: CPU time is the steadier figure).

    python benchmarks/bench_egemaps.py [--files 60] [--repeats 5]

BLAS is limited to one thread (``--blas-threads 1``, the default); openSMILE is single-threaded.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import add_common_args, limit_blas, ravdess_signals


def _timed(signals, fn) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    for y in signals:
        fn(y)
    return time.perf_counter() - w0, time.process_time() - c0


def main() -> None:
    import opensmile
    from emofeat.extractors import egemaps as E

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    signals = ravdess_signals(args.files)
    audio_s = sum(len(y) for y in signals) / E.SR
    print(f"{len(signals)} RAVDESS files, {audio_s:.0f} s of audio, {args.repeats} interleaved "
          "passes (median)")
    for level, smile_level, ours in (
        ("functionals", opensmile.FeatureLevel.Functionals, E.egemaps_functionals),
        ("lld", opensmile.FeatureLevel.LowLevelDescriptors, E.egemaps_lld),
    ):
        smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02, smile_level)

        def ref(y, smile=smile):
            return smile.process_signal(y, E.SR)

        ref(signals[0])
        ours(signals[0])  # compile / load the kernels
        ref_t, our_t = [], []
        for _ in range(args.repeats):
            ref_t.append(_timed(signals, ref))
            our_t.append(_timed(signals, ours))
        for i, what in enumerate(("wall", "cpu")):
            r = statistics.median(t[i] for t in ref_t)
            o = statistics.median(t[i] for t in our_t)
            ratio = statistics.median(a[i] / b[i] for a, b in zip(ref_t, our_t, strict=True))
            print(f"eGeMAPSv02 {level:<11} {what:<4}  openSMILE {audio_s / r:7.0f}x real time   "
                  f"emofeat {audio_s / o:7.0f}x real time   speed-up {ratio:5.1f}x")


if __name__ == "__main__":
    main()
