"""Where the seconds of ``emofeat extract --set mfcc`` go: one run of the command in this
process (as ``python -m emofeat`` runs it), imports timed, the rest under cProfile and split
into stages by the functions that do the work.

Stages: imports (everything the command imports, timed around the imports it triggers),
Numba cache loading (``load_overload``: the kernels come from the disk cache), decoding
(``load_audio`` less the checks), resampling (``soxr``), framing, FFT (``pocketfft``), mel energies,
log + DCT, deltas, functionals, parquet writing and finalising, and the rest (the runner's
per-file work, manifest, progress, ...). cProfile adds its own overhead to every Python call,
so the total is somewhat above a plain run's; the stage shares are what this shows. Both modes
first compile the mfcc kernels into Numba's disk cache (``emofeat warmup --set mfcc`` in a
fresh process, as after install) and run with BLAS on one thread.

    python benchmarks/profile_cli_mfcc.py [--files 1440]

With ``--startup``: the start-up and the end of the command, stage by stage in CPU seconds,
in fresh processes without a profiler (median of ``--passes``): interpreter and NumPy,
pyarrow, Numba's import, emofeat's modules, the decoders, Numba's first use (its
library of implementations, loaded by the first kernel even from the disk cache), the
kernels and the first file, and the process' end (module teardown). ``--baseline-src DIR``
measures another source tree (laid out as installed, see bench_startup.py) interleaved.

    python benchmarks/profile_cli_mfcc.py --startup [--passes 5] [--baseline-src /tmp/base]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    DATA,
    ONE_THREAD_ENV,
    limit_blas,
    setting,
    warm_command_variants,
    write_results,
)

# what the command imports, imported (and timed) before the profiled run
# (scipy.fft, scipy.linalg, tqdm and joblib are no longer among them: see docs/performance.md)
IMPORTS = ("emofeat.cli", "emofeat.runner", "emofeat.registry", "emofeat.extractors.mfcc",
           "emofeat._numba", "pyarrow.parquet", "soundfile", "_miniaudio")
# (pandas is no longer among them either: the command writing a file does not import it)

# stage -> [(file name ending, function name)]: cumulative times of calls that do not nest
STAGES = {
    # Numba's own loader, or the emofeat program's lean one (emofeat.cli._lean_cache_loads)
    "Numba: kernels loaded from the disk cache": [("numba/core/caching.py", "load_overload"),
                                                  ("emofeat/cli.py", "load_overload")],
    "resampling (soxr HQ; none for the 16 kHz RAVDESS copy)": [("emofeat/audio.py",
                                                                  "_resample")],
    "framing + window (kernel)": [("_spectral_kernels.py", "frame_signal")],
    "FFT (scipy's pocketfft)": [("scipy/fft/_pocketfft/basic.py", "r2c"),
                                ("~", "<built-in method scipy.fft._pocketfft.pypocketfft.r2c>")],
    "mel energies (kernel)": [("_mfcc_kernels.py", "mel_energies")],
    "log + DCT (kernel)": [("_mfcc_kernels.py", "cepstra")],
    "deltas (kernel)": [("_functionals_kernels.py", "savgol_deltas")],
    "functionals (kernel)": [("_functionals_kernels.py", "summarize")],
}


def _cum(st: pstats.Stats, file_part: str, func: str) -> float:
    return sum(v[3] for k, v in st.stats.items() if k[2] == func and k[0].endswith(file_part))


STARTUP_CHILD = r"""
import json, sys, time
last = [time.process_time()]
stages = [("interpreter start", last[0])]
def step(name):
    now = time.process_time()
    stages.append((name, now - last[0]))
    last[0] = now
import numpy
step("NumPy")
import pyarrow.parquet
step("pyarrow.parquet")
import emofeat._numba
step("Numba import")
import emofeat.cli as cli, emofeat.runner, emofeat.registry
from emofeat.registry import get_extractor
ext = get_extractor("mfcc", functionals=("mean", "std"))
ext.check_params()
step("emofeat modules (CLI, runner, the mfcc set; pandas where the tree imports it)")
import soundfile
try:
    import _miniaudio  # noqa: F401 - dr_flac, as emofeat.audio loads it
except ImportError:
    pass
step("decoders (soundfile, miniaudio's compiled module)")
if hasattr(cli, "_lean_numba_start"):
    cli._lean_numba_start()
from numba.core.registry import cpu_target
cpu_target.target_context.refresh()
step("Numba first use: its library of implementations")
from emofeat.audio import load_audio
ext.features_of(load_audio(sys.argv[1], 16000))
step("the five kernels from the disk cache + the first file")
print(json.dumps({"stages": stages, "cpu_at_end": time.process_time()}), flush=True)
if getattr(cli, "_END_FAST", None) is not None:  # as the extract command now ends
    cli._end_now(0)
"""


def startup_profile(passes: int, baseline: str | None) -> list[dict]:
    """Start-up and end of the command by stage (CPU seconds, fresh processes)."""
    import json
    import resource
    import statistics
    import subprocess

    first = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))[0]
    # BLAS one thread, byte code written once, and each tree's mfcc kernels compiled into
    # Numba's disk cache first (``emofeat warmup --set mfcc``, as after install)
    env, variants = warm_command_variants("mfcc", baseline)
    got: dict[str, list[dict]] = {k: [] for k in variants}
    for _ in range(passes):
        for name, src in variants.items():
            e = {**env, **({"PYTHONPATH": src} if src else {})}
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([sys.executable, "-c", STARTUP_CHILD, str(first)], env=e,
                                 capture_output=True, text=True, check=True,
                                 cwd=tempfile.gettempdir())
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            rec = json.loads(out.stdout.strip().splitlines()[-1])
            total = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            rec["stages"].append(["the process' end (module teardown)",
                                  max(0.0, total - rec["cpu_at_end"])])
            rec["stages"].append(["total CPU of the process", total])
            got[name].append(rec)
    rows = []
    for i, (stage, _) in enumerate(got["this tree"][0]["stages"]):
        row = {"stage": stage}
        for name, recs in got.items():
            row[f"{name} CPU s"] = statistics.median(r["stages"][i][1] for r in recs)
        rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--startup", action="store_true",
                    help="the start-up and end by stage, fresh processes, no profiler")
    ap.add_argument("--passes", type=int, default=5, help="--startup: passes (median)")
    ap.add_argument("--baseline-src", default=None, help="--startup: another source tree")
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--dump", default=None, help="also save the cProfile statistics here")
    args = ap.parse_args()
    line = setting(1, args.passes)
    if not args.startup:  # one run: the setting line less its passes
        line = line.rsplit(";", 1)[0]
    print(line + " ("
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    if args.startup:
        rows = startup_profile(args.passes, args.baseline_src)
        load = os.getloadavg()
        print(f"start-up and end of emofeat extract --set mfcc by stage, CPU seconds, median "
              f"of {args.passes} fresh processes; load average {load[0]:.2f}")
        for r in rows:
            print("  " + r["stage"].ljust(56) + "".join(
                f"{k.removesuffix(' CPU s')}: {v:6.3f}   " for k, v in r.items()
                if k != "stage"))
        if not args.no_write:
            write_results("profile_cli_mfcc_startup", "python benchmarks/" + " ".join(
                [Path(sys.argv[0]).name, *sys.argv[1:]]), {"start-up by stage": rows},
                notes=f"CPU seconds by stage, median of {args.passes} fresh processes "
                      f"(interleaved with the baseline tree when given); load average "
                      f"{load[0]:.2f}")
        return
    # BLAS one thread in this process (NumPy is already imported: threadpoolctl), and the
    # mfcc kernels compiled into Numba's disk cache first (``emofeat warmup --set mfcc`` in
    # a fresh process, as after install): the profiled run loads them, it does not compile
    os.environ.update(ONE_THREAD_ENV)
    limit_blas(1)
    warm_command_variants("mfcc")
    t_start = time.perf_counter()
    labels = DATA / "speech" / "ravdess" / "labels.csv"
    rows = labels.read_text().splitlines()
    body = rows[1:][:: max(1, (len(rows) - 1) // args.files)][: args.files]
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    manifest.write_text("\n".join([rows[0]] + [
        str((labels.parent / r.split(",", 1)[0]).resolve()) + "," + r.split(",", 1)[1]
        for r in body]) + "\n")
    cmd = ["extract", "--set", "mfcc", str(manifest), "-o", str(tmp / "e.parquet"), "-q",
           "--overwrite", "--param", "functionals=('mean','std')"]
    import importlib

    t0 = time.perf_counter()
    for mod in IMPORTS:
        importlib.import_module(mod)
    imports = time.perf_counter() - t0
    import emofeat.cli
    from emofeat.cli import main as cli_main

    emofeat.cli._CONSOLE = True  # as the emofeat program runs it (console_main)

    prof = cProfile.Profile()
    t1 = time.perf_counter()
    prof.enable()
    rc = cli_main(cmd)
    prof.disable()
    total = imports + time.perf_counter() - t1
    assert rc == 0, rc
    st = pstats.Stats(prof)
    if args.dump:
        st.dump_stats(args.dump)
    out = [{"stage": "imports (" + ", ".join(IMPORTS) + ")", "seconds": imports}]
    seen = imports
    for stage, keys in STAGES.items():
        secs = sum(_cum(st, f, fn) for f, fn in keys)
        out.append({"stage": stage, "seconds": secs})
        seen += secs
    # decoding: the file reader less the signal checks (finite samples, mono, resampling)
    decode = _cum(st, "emofeat/audio.py", "load_audio") - _cum(st, "emofeat/audio.py",
                                                               "prepare_signal")
    checks = _cum(st, "emofeat/audio.py", "prepare_signal") - _cum(st, "emofeat/audio.py",
                                                                   "_resample")
    out.insert(2, {"stage": "decoding FLAC (miniaudio, else libsndfile)", "seconds": decode})
    out.insert(3, {"stage": "signal checks (finite samples, mono)", "seconds": checks})
    seen += decode + checks
    # the part writer pulls the shard's rows through a generator: its own share is its
    # cumulative time less the computation it pulls
    write = _cum(st, "emofeat/store.py", "write_part") - _cum(st, "emofeat/compute.py",
                                                              "shard_results")
    fin = _cum(st, "emofeat/store.py", "finalize")
    out.append({"stage": "parquet: rows to Arrow, parts written (fsync)", "seconds": write})
    out.append({"stage": "parquet: parts merged into the output", "seconds": fin})
    seen += write + fin
    out.append({"stage": "the rest (runner and per-file Python, manifest, progress)",
                "seconds": max(0.0, total - seen)})
    out.append({"stage": "total (imports + the profiled command)", "seconds": total})
    load = os.getloadavg()[0]
    print(f"emofeat extract --set mfcc, {len(body)} RAVDESS files, one process, cProfile; "
          f"load average {load:.2f}; script start to command end "
          f"{time.perf_counter() - t_start:.2f} s")
    for r in out:
        print(f"  {r['stage']:<62} {r['seconds']:7.2f} s")
    if not args.no_write:
        write_results("profile_cli_mfcc", "python benchmarks/" + " ".join(
            [Path(sys.argv[0]).name, *sys.argv[1:]]), {"where the time goes": out},
            notes="one run under cProfile (its overhead inflates per-call Python time); "
                  "kernels warmed first (emofeat warmup --set mfcc), BLAS one thread")


if __name__ == "__main__":
    main()
