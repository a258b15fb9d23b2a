"""eGeMAPSv02 functionals and LLDs: emofeat vs openSMILE (``opensmile`` 2.6), side by side,
and the memory of a long recording.

Speed: the same RAVDESS files, decoded once into memory (16 kHz float32), one process, BLAS
on ``--blas-threads`` (one by default), warm-up excluded. openSMILE through
``Smile.process_signal`` (its in-process C++ library); emofeat through the public API,
``EGeMAPS(level=...).transform`` on ``(signal, 16000)`` items (reading, checks and the output
table included), and its bare function (``egemaps_functionals`` / ``egemaps_lld``). Passes are
interleaved (openSMILE, API, function, then API, function, openSMILE, ...: the order turns
from pass to pass); the ratio is the median over ``--passes`` of the per-pass ratios, in wall
time and in process CPU time (on a shared machine CPU time is the steadier figure).

``--baseline REV`` adds a fourth side: the bare function of the eGeMAPS code of git revision
REV (its ``extractors/egemaps.py`` and ``extractors/_egemaps*.py``, exported into a temporary
package; the rest of emofeat is this tree's), interleaved with the others, so that a
before/after speed-up is measured in one run: ``function_vs_baseline_speed_up`` (median of
per-pass ratios) beside the ratios to openSMILE.

Memory (``--long-seconds S``, off by default): a recording of S seconds (RAVDESS files joined,
16 kHz FLAC) through ``emofeat extract --set egemaps`` in a fresh process (blocks of 60 s:
``emofeat.blocks``), peak private memory (anonymous pages, sampled every 2 ms; see
tests/test_batch_blocks.py) and ``/usr/bin/time``'s maximum RSS; then, with ``--whole``, the
same file analysed whole in this process, and the largest difference of the functionals.

    python benchmarks/bench_egemaps.py [--files 60] [--passes 5] [--baseline 005c41a]
        [--long-seconds 3600 --whole]

BLAS is limited to ``--blas-threads`` threads (one by default; the setting line printed first
states it, and the memory run's child process gets the same); openSMILE is single-threaded.
Writes ``benchmarks/results/bench_egemaps.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _common import (
    DATA,
    add_common_args,
    limit_blas,
    ravdess_signals,
    setting,
    write_results,
)

HERE = Path(__file__).resolve().parent


def _timed(fn) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def _baseline_module(rev: str):
    """The ``egemaps`` module of git revision ``rev``, importable beside this tree's: its
    eGeMAPS files exported into a package in the temporary directory (kept per revision, so
    Numba's cache of its kernels is reused); every other module it imports relatively is
    this tree's ``emofeat.extractors`` module of that name."""
    import importlib
    import re

    root = HERE.parent
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=root, check=True,
                         capture_output=True, text=True).stdout.strip()
    name = f"egemaps_baseline_{sha}"
    base = Path(tempfile.gettempdir()) / "emofeat-egemaps-baseline"
    pkg = base / name
    pkg.mkdir(parents=True, exist_ok=True)
    files = subprocess.run(["git", "ls-tree", "--name-only", sha, "extractors/"], cwd=root,
                           check=True, capture_output=True, text=True).stdout.split()
    ours = [f for f in files if re.fullmatch(r"extractors/(egemaps|_egemaps\w*)\.py", f)]
    for f in ours:
        text = subprocess.run(["git", "show", f"{sha}:{f}"], cwd=root, check=True,
                              capture_output=True, text=True).stdout
        target = pkg / Path(f).name
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    exported = {Path(f).stem for f in ours}
    (pkg / "__init__.py").write_text("")
    text = (pkg / "egemaps.py").read_text()
    for mod in set(re.findall(r"^from \.(\w+) import|^from \. import (\w+)", text, re.M)):
        mod = mod[0] or mod[1]
        if mod and mod not in exported:
            (pkg / f"{mod}.py").write_text(
                "import sys\n\nfrom emofeat.extractors import " + mod + " as _m\n\n"
                "sys.modules[__name__] = _m\n")
    sys.path.insert(0, str(base))
    return importlib.import_module(f"{name}.egemaps"), sha


def speed(args) -> list[dict]:
    import opensmile
    from emofeat.extractors import egemaps as E

    old = sha = None
    if args.baseline:
        old, sha = _baseline_module(args.baseline)

    signals = ravdess_signals(args.files)
    audio_s = sum(len(y) for y in signals) / E.SR
    items = [(y, E.SR) for y in signals]
    load0 = os.getloadavg()[0]
    print(f"{len(signals)} RAVDESS files, {audio_s:.0f} s of audio, {args.passes} interleaved "
          f"passes (median; fastest pass in the *_fastest columns); BLAS "
          f"{args.blas_threads} thread(s); load average {load0:.1f}")
    rows = []
    for level, smile_level, bare in (
        ("functionals", opensmile.FeatureLevel.Functionals, E.egemaps_functionals),
        ("lld", opensmile.FeatureLevel.LowLevelDescriptors, E.egemaps_lld),
    ):
        smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02, smile_level)
        ext = E.EGeMAPS(level=level)
        sides = {
            "openSMILE": lambda smile=smile: [smile.process_signal(y, E.SR) for y in signals],
            "emofeat API": lambda ext=ext: ext.transform(items),
            "emofeat function": lambda bare=bare: [bare(y) for y in signals],
        }
        if old is not None:
            ob = old.egemaps_functionals if level == "functionals" else old.egemaps_lld
            sides[f"baseline {sha} function"] = lambda ob=ob: [ob(y) for y in signals]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for fn in sides.values():  # warm-up: compile / load the kernels
                fn()
            times: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
            # the order of the sides turns from pass to pass: on a loaded machine the slot
            # in the pass biased a fixed order (the function, always run just before the
            # baseline, measured 15-20 % slower than the API doing the same work)
            names = list(sides)
            for p in range(args.passes):
                for k in names[p % len(names):] + names[: p % len(names)]:
                    times[k].append(_timed(sides[k]))
        ref = times["openSMILE"]
        for i, what in enumerate(("wall", "cpu")):
            row = {"level": level, "time": what, "load": round(os.getloadavg()[0], 2),
                   "openSMILE_x_real_time": audio_s / statistics.median(t[i] for t in ref)}
            for k in ("emofeat API", "emofeat function"):
                ours = times[k]
                row[f"{k}_x_real_time"] = audio_s / statistics.median(t[i] for t in ours)
                row[f"{k}_speed_up"] = statistics.median(
                    a[i] / b[i] for a, b in zip(ref, ours, strict=True))
            if old is not None:
                base_t = times[f"baseline {sha} function"]
                row["baseline"] = sha
                row["baseline_function_x_real_time"] = audio_s / statistics.median(
                    t[i] for t in base_t)
                row["function_vs_baseline_speed_up"] = statistics.median(
                    a[i] / b[i] for a, b in zip(base_t, times["emofeat function"], strict=True))
            # the fastest pass of each side beside the medians (benchmark hygiene, issue 9)
            for k, v in times.items():
                row[f"{k}_x_real_time_fastest"] = audio_s / min(t[i] for t in v)
            rows.append(row)
            print(f"eGeMAPSv02 {level:<11} {what:<4}  openSMILE "
                  f"{row['openSMILE_x_real_time']:5.0f}x real time   emofeat API "
                  f"{row['emofeat API_x_real_time']:5.0f}x ({row['emofeat API_speed_up']:4.1f}x)"
                  f"   function {row['emofeat function_x_real_time']:5.0f}x "
                  f"({row['emofeat function_speed_up']:4.1f}x)"
                  + (f"   baseline {sha} {row['baseline_function_x_real_time']:5.0f}x "
                     f"(now {row['function_vs_baseline_speed_up']:.3f}x faster)"
                     if old is not None else ""))
    return rows


def _join(seconds: float, path: Path) -> float:
    import soundfile as sf

    files = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    total, target = 0, int(seconds * 16000)
    with sf.SoundFile(path, "w", 16000, 1, "PCM_16") as out:
        while total < target:
            for f in files:
                y, sr = sf.read(f, dtype="int16")
                out.write(y)
                total += y.shape[0]
                if total >= target:
                    break
    return total / 16000


def memory(args) -> list[dict]:
    import re

    tests = HERE.parent / "tests" / "test_batch_blocks.py"
    peak_script = re.search(r'PEAK = """(.*?)"""', tests.read_text(), re.S)[1]
    peak_script = peak_script.replace("\\\\", "\\")
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "long.flac"
    seconds = _join(args.long_seconds, path)
    threads = str(args.blas_threads)  # the same BLAS setting as this process
    env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads,
           "MKL_NUM_THREADS": threads}
    subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "egemaps"], check=True,
                   env=env, capture_output=True)
    out = tmp / "long.parquet"
    cmd = [sys.executable, "-c", peak_script, "extract", str(path), "--set", "egemaps",
           "-o", str(out), "-q", "--overwrite"]
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    t0 = time.perf_counter()
    res = subprocess.run(timer + cmd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    peak = float(res.stdout.split("PEAK_MB")[1].split()[0])
    hwm = float(res.stdout.split("VMHWM_MB")[1].split()[0])
    maxrss = None
    if timer:
        maxrss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)[1])
    row = {"seconds": seconds, "peak_private_mb": peak, "vmhwm_mb": hwm,
           "max_rss_mb": maxrss / 1024 if maxrss else None, "wall_s": wall,
           "load": round(os.getloadavg()[0], 2)}
    print(f"{seconds:.0f} s recording through emofeat extract (blocks): peak private "
          f"{peak:.0f} MB, VmHWM {hwm:.0f} MB, max RSS {row['max_rss_mb']:.0f} MB, {wall:.0f} s")
    if args.whole:
        from emofeat.extractors.egemaps import EGeMAPS

        from emofeat.runner import run
        from emofeat.table import FeatureTable

        blocks = FeatureTable.read_parquet(out).X[0]
        whole = run([path], [EGeMAPS()], long_file_seconds=None).table.X[0]
        ok = np.isfinite(whole) & np.isfinite(blocks)
        d = np.abs(blocks[ok] - whole[ok])
        row["max_abs_diff_whole"] = float(d.max())
        row["max_rel_diff_whole"] = float(np.max(d / np.maximum(np.abs(whole[ok]), 1e-300)))
        row["nan_pattern_equal"] = bool(np.array_equal(np.isnan(whole), np.isnan(blocks)))
        print(f"  functionals blocks vs whole file: max abs {row['max_abs_diff_whole']:.1e}, "
              f"max rel {row['max_rel_diff_whole']:.1e}, NaN pattern equal "
              f"{row['nan_pattern_equal']}")
    return [row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--passes", "--repeats", dest="passes", type=int, default=5)
    parser.add_argument("--long-seconds", type=float, default=0.0,
                        help="also measure the memory of a recording this long (0: skip)")
    parser.add_argument("--whole", action="store_true",
                        help="with --long-seconds: compare with a whole-file analysis")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--baseline", default="",
                        help="git revision whose eGeMAPS code runs as a fourth side")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    print(setting(args.blas_threads, args.passes))
    tables = {}
    if not args.skip_speed:
        tables["speed"] = speed(args)
    if args.long_seconds > 0:
        tables["long recording"] = memory(args)
    write_results("bench_egemaps",
                  "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                  tables,
                  notes="openSMILE process_signal vs emofeat EGeMAPS.transform and the bare "
                        f"function, same 16 kHz signals, {args.passes} interleaved passes, BLAS "
                        f"{args.blas_threads} thread(s) (openSMILE single-threaded); speed_up: "
                        "median of per-pass ratios (openSMILE / emofeat).")


if __name__ == "__main__":
    main()
