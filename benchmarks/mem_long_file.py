"""Peak memory of ``emofeat extract`` on a one-hour recording, per feature set, with a warm
and a cold Numba cache: ``/usr/bin/time -v``'s maximum resident set size (what issue 9's
500 MB target is stated in), the peak private (anonymous) memory sampled every 2 ms and the
file-backed pages at the peak (shared libraries mapped from disk).

The recording is RAVDESS files joined into one 16 kHz FLAC (``--seconds``, 3600 by default),
processed in blocks by the runner (``emofeat.blocks``). Warm: the set's kernels compiled
beforehand by ``emofeat warmup`` in another process, as after a deployment. Cold: a fresh
empty ``NUMBA_CACHE_DIR``, so the command compiles the set's kernels itself (the first run
after an install). One fresh process per (set, cache) pair; BLAS one thread.

    python benchmarks/mem_long_file.py [--sets egemaps,gemaps] [--cache warm,cold]
                                       [--seconds 3600] [--level functionals]

Writes ``benchmarks/results/mem_long_file.json``; every row names the date (``measured``) and
the machine (``machine``: CPU, cores) of its own measurement, so that rows kept from an
earlier file by ``--keep-others`` keep theirs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DATA, ONE_THREAD_ENV, RESULTS, environment, machine, setting, write_results

# the command's own peak, sampled in its process: anonymous pages every 2 ms (RssAnon), the
# file-backed pages and the whole RSS at the largest RSS seen, and the high-water mark
PEAK = r"""
import re, sys, threading, time
import emofeat.cli as cli
from emofeat.cli import main

cli._CONSOLE = True  # as the emofeat program runs it (console_main): its heap settings too

def fields():
    s = open("/proc/self/status").read()
    return {k: int(re.search(k + r":\s+(\d+) kB", s)[1]) / 1024
            for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}

best = {"anon": 0.0, "rss": 0.0, "file_at_rss": 0.0}
done = threading.Event()

def sample():
    while not done.is_set():
        f = fields()
        best["anon"] = max(best["anon"], f["RssAnon"])
        if f["VmRSS"] > best["rss"]:
            best["rss"], best["file_at_rss"] = f["VmRSS"], f["RssFile"]
        time.sleep(0.002)

threading.Thread(target=sample, daemon=True).start()
code = main(sys.argv[1:])
done.set()
f = fields()
print("PEAK_ANON_MB", max(best["anon"], f["RssAnon"]), "VMHWM_MB", f["VmHWM"],
      "FILE_AT_PEAK_MB", best["file_at_rss"])
sys.exit(code)
"""


def join_ravdess(seconds: float, path: Path) -> float:
    """RAVDESS files joined into one 16 kHz 16-bit FLAC of at least ``seconds``."""
    import soundfile as sf

    files = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    if not files:
        raise SystemExit(f"no RAVDESS files under {DATA} (see shared/data/README.md)")
    total, target = 0, int(seconds * 16000)
    with sf.SoundFile(path, "w", 16000, 1, "PCM_16") as out:
        while total < target:
            for f in files:
                y, _ = sf.read(f, dtype="int16")
                out.write(y)
                total += y.shape[0]
                if total >= target:
                    break
    return total / 16000


def measure(path: Path, name: str, level: str, cache: str, tmp: Path) -> dict:
    env = environment(None)
    if cache == "cold":
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-cold-", dir=tmp)
    else:
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", name], check=True,
                       env=env, capture_output=True)
    out = tmp / f"{name}-{cache}.parquet"
    cmd = ["/usr/bin/time", "-v", sys.executable, "-c", PEAK, "extract", str(path), "--set",
           name, "--level", level, "-o", str(out), "-q", "--overwrite", "-j", "1"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"{name} ({cache}) failed:\n{res.stderr[-3000:]}")
    nums = dict(zip(res.stdout.split()[::2], map(float, res.stdout.split()[1::2]), strict=True))

    def timed(key: str) -> float:
        return float(re.search(key + r": ([\d.]+)", res.stderr)[1])

    maxrss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)[1])
    return {"set": name, "level": level, "cache": cache,
            "max_rss_mb": round(maxrss / 1024, 1),
            "peak_private_mb": round(nums["PEAK_ANON_MB"], 1),
            "file_backed_at_peak_mb": round(nums["FILE_AT_PEAK_MB"], 1),
            "wall_s": round(wall, 1),
            "cpu_s": round(timed("User time \\(seconds\\)") + timed("System time \\(seconds\\)"),
                           1),
            "load": round(os.getloadavg()[0], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="egemaps")
    ap.add_argument("--cache", default="warm,cold")
    ap.add_argument("--seconds", type=float, default=3600.0)
    ap.add_argument("--level", default="functionals")
    ap.add_argument("--file", type=Path, help="an existing long recording (else RAVDESS joined)")
    ap.add_argument("--keep-others", action="store_true",
                    help="keep the rows of results/mem_long_file.json for the sets and caches "
                         "not measured now (each row says when it was measured)")
    args = ap.parse_args()
    # the setting line less its passes (one measurement per set and cache)
    print(setting(1, 1).rsplit(";", 1)[0] + " (one fresh process per set and cache: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    if not Path("/usr/bin/time").exists():
        raise SystemExit("needs /usr/bin/time (GNU time) for the maximum RSS")
    tmp = Path(tempfile.mkdtemp())
    path = args.file
    if path is None:
        path = tmp / "long.flac"
        join_ravdess(args.seconds, path)
    import soundfile as sf

    seconds = sf.info(str(path)).duration
    here = _machine_of(machine())
    rows = []
    for name in args.sets.split(","):
        for cache in args.cache.split(","):
            row = measure(path, name, args.level, cache, tmp)
            row["seconds"] = round(seconds, 1)
            row["measured"] = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
            row["machine"] = here  # each row its own: --keep-others mixes runs
            print(f"{name:<10} {args.level:<11} {cache:<4}  max RSS {row['max_rss_mb']:6.1f} MB"
                  f"  private {row['peak_private_mb']:6.1f} MB  file-backed at peak "
                  f"{row['file_backed_at_peak_mb']:6.1f} MB  {row['wall_s']:6.1f} s wall "
                  f"{row['cpu_s']:6.1f} s CPU  load {row['load']}", flush=True)
            rows.append(row)
    if args.keep_others:
        rows = _kept_rows(rows) + rows
    write_results(
        "mem_long_file",
        "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        {"one long recording": rows},
        notes=f"{seconds:.0f} s of RAVDESS speech joined (16 kHz FLAC); emofeat extract in a "
              "fresh process; max RSS from /usr/bin/time -v; warm = emofeat warmup first, "
              "cold = empty NUMBA_CACHE_DIR."
              + (" Rows of sets not measured by this command kept from the previous file "
                 "(columns 'measured' and 'machine' say when and where each row was "
                 "measured; the machine above is this run's)." if args.keep_others
                 else ""))


def _machine_of(m: dict) -> str:
    """``CPU, N cores`` of a :func:`_common.machine` record."""
    return f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores"


def _kept_rows(new: list[dict]) -> list[dict]:
    """The earlier rows of ``results/mem_long_file.json`` that ``new`` does not measure again,
    each with the date and the machine (CPU, cores) it was measured on: a row without its
    own keeps the file's (the new file's header names the new run's machine only)."""
    import json

    path = RESULTS / "mem_long_file.json"
    if not path.exists():
        return []
    old = json.loads(path.read_text())
    header = _machine_of(old.get("machine", {}))
    done = {(r["set"], r["level"], r["cache"]) for r in new}
    kept = []
    for row in old["tables"]["one long recording"]:
        if (row["set"], row["level"], row["cache"]) not in done:
            row.setdefault("measured", old["date"][:16])
            # a row of the file's own run was measured on the file's machine; an older row
            # (kept before rows had this column) most likely too, but that is not recorded
            row.setdefault("machine", header if row["measured"][:10] == old["date"][:10]
                           else f"{header} (assumed: the machine of the file it was kept from)")
            kept.append(row)
    return kept


if __name__ == "__main__":
    main()
