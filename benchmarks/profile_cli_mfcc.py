"""Where the seconds of ``emofeat extract --set mfcc`` go: one run of the command in this
process (as ``python -m emofeat`` runs it), imports timed, the rest under cProfile and split
into stages by the functions that do the work.

Stages: imports (everything the command imports, timed around the imports it triggers),
Numba cache loading (``load_overload``: the kernels come from the disk cache), decoding
(``load_audio`` less the checks), resampling (``soxr``), framing, FFT (``pocketfft``), mel energies,
log + DCT, deltas, functionals, parquet writing and finalising, and the rest (the runner's
per-file work, manifest, progress, ...). cProfile adds its own overhead to every Python call,
so the total is somewhat above a plain run's; the stage shares are what this shows.

    python benchmarks/profile_cli_mfcc.py [--files 1440]
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

from _common import DATA, write_results

# what the command imports, imported (and timed) before the profiled run
IMPORTS = ("emofeat.cli", "emofeat.runner", "emofeat.registry", "emofeat.extractors.mfcc",
           "emofeat._numba", "pandas", "pyarrow.parquet", "soundfile", "soxr", "scipy.fft",
           "tqdm.auto")

# stage -> [(file name ending, function name)]: cumulative times of calls that do not nest
STAGES = {
    "Numba: kernels loaded from the disk cache": [("numba/core/caching.py", "load_overload")],
    "resampling (soxr HQ; none for the 16 kHz RAVDESS copy)": [("emofeat/audio.py",
                                                                  "_resample")],
    "framing + window (kernel)": [("_spectral_kernels.py", "frame_signal")],
    "FFT (scipy pocketfft)": [("scipy/fft/_pocketfft/basic.py", "r2c")],
    "mel energies (kernel)": [("_mfcc_kernels.py", "mel_energies")],
    "log + DCT (kernel)": [("_mfcc_kernels.py", "cepstra")],
    "deltas (kernel)": [("_functionals_kernels.py", "savgol_deltas")],
    "functionals (kernel)": [("_functionals_kernels.py", "summarize")],
}


def _cum(st: pstats.Stats, file_part: str, func: str) -> float:
    return sum(v[3] for k, v in st.stats.items() if k[2] == func and k[0].endswith(file_part))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--dump", default=None, help="also save the cProfile statistics here")
    args = ap.parse_args()
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
    from emofeat.cli import main as cli_main

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
            notes="one run under cProfile (its overhead inflates per-call Python time)")


if __name__ == "__main__":
    main()
