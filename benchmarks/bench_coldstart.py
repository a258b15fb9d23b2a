"""Cold and warm start of every feature set, as a user meets them on the command line.

For each set, one small real input goes through the whole ``emofeat extract`` command in a
fresh process, twice in a row on a fresh Numba cache folder (``NUMBA_CACHE_DIR``):

* **cold**: the first run of the set after installation, which compiles its kernels and writes
  them to the cache (the command says so on stderr);
* **warm**: the next run, which loads the compiled kernels from the cache.

The difference is what compilation costs the user once. Also timed: ``emofeat warmup`` of
everything on a fresh cache (what a Docker build step or a cluster image would run), and
``emofeat --version`` (interpreter start-up and the CLI import). Each cold/warm pair runs on
its own new cache folder, pairs are interleaved across sets, and the median and minimum of
``--passes`` pairs are reported.

Run: ``python benchmarks/bench_coldstart.py --passes 5`` (``--sets mfcc,egemaps`` for a
subset). Writes ``benchmarks/results/bench_coldstart.json``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DATA,
    ONE_THREAD_ENV,
    environment,
    markdown_table,
    setting,
    timed_command,
    write_results,
)

EEG_EXTRA = ["--segment", "4s", "--hop", "2s"]


def inputs(tmp: Path) -> dict[str, tuple[list[str], list[str]]]:
    """The input of each modality: (paths, extra CLI arguments)."""
    ravdess = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    muse = sorted((DATA / "eeg" / "muse_mental_state").glob("*.csv"))
    if not ravdess or not muse:
        raise SystemExit(f"need RAVDESS and the Muse EEG files under {DATA}")
    text = tmp / "texts.csv"
    text.write_text("text\nI love this so much!\nThis is not good at all.\nWhat a day :(\n")
    return {
        "audio": ([str(ravdess[0])], []),
        "eeg": ([str(muse[0])], EEG_EXTRA),
        "text": ([str(text)], []),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--sets", default="", help="comma-separated subset (default: all)")
    args = parser.parse_args()

    from emofeat.registry import list_sets

    wanted = [s for s in args.sets.split(",") if s]
    plan = [(mod, info.name) for mod, infos in list_sets().items() for info in infos
            if not wanted or info.name in wanted]
    exe = [sys.executable, "-m", "emofeat"]
    # as after a pip install (_common.environment): byte code written once, so that the
    # warm figures do not depend on whether __pycache__ may be written
    base_env = environment(None)
    print(setting(1, args.passes) + " (fresh processes: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    times: dict[str, dict[str, list[tuple[float, float]]]] = {
        n: {"cold": [], "warm": []} for _, n in plan}
    warmup_all: list[tuple[float, float]] = []
    still_cold: dict[str, list[str]] = {}
    version: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="emofeat-coldstart-") as tmp_name:
        tmp = Path(tmp_name)
        ins = inputs(tmp)
        for p in range(args.passes):
            for mod, name in plan:
                cache = Path(tempfile.mkdtemp(prefix="numba-", dir=tmp))
                env = {**base_env, "NUMBA_CACHE_DIR": str(cache)}
                paths, extra = ins[mod]
                out = tmp / f"{name}.parquet"
                cmd = [*exe, "extract", "--set", name, *paths, "-o", str(out), "--overwrite",
                       "-q", *extra]
                times[name]["cold"].append(timed_command(cmd, env))
                times[name]["warm"].append(timed_command(cmd, env))
                if p == 0:  # a kernel still cold now would be compiled again by every run
                    still_cold[name] = cold_after(name, env)
                shutil.rmtree(cache)
            cache = Path(tempfile.mkdtemp(prefix="numba-", dir=tmp))
            warmup_all.append(timed_command([*exe, "warmup"],
                                            {**base_env, "NUMBA_CACHE_DIR": str(cache)}))
            shutil.rmtree(cache)
            version.append(timed_command([*exe, "--version"], base_env))
            print(f"pass {p + 1}/{args.passes} done", file=sys.stderr)

    def med(pairs, k):
        return statistics.median(p[k] for p in pairs)

    rows = []
    for mod, name in plan:
        cold, warm = times[name]["cold"], times[name]["warm"]
        rows.append({
            "set": name, "modality": mod,
            "cold wall s": med(cold, 0), "cold CPU s": med(cold, 1),
            "warm wall s": med(warm, 0), "warm CPU s": med(warm, 1),
            "compilation CPU s (median of cold - warm)":
                statistics.median(c[1] - w[1] for c, w in zip(cold, warm, strict=True)),
            "cold wall min s": min(p[0] for p in cold),
            "warm wall min s": min(p[0] for p in warm),
            "kernels still cold after the warm run": len(still_cold[name]),
        })
    other = [
        {"what": "emofeat warmup (every set, fresh cache)", "wall median s": med(warmup_all, 0),
         "CPU median s": med(warmup_all, 1), "wall min s": min(p[0] for p in warmup_all)},
        {"what": "emofeat --version (start-up)", "wall median s": med(version, 0),
         "CPU median s": med(version, 1), "wall min s": min(p[0] for p in version)},
    ]
    md = markdown_table(rows) + "\n\n" + markdown_table(other)
    print(md)
    for name, cold in still_cold.items():
        if cold:
            print(f"WARNING: {name}: {len(cold)} kernels still cold after its warm run (every "
                  f"later run compiles them again): {', '.join(cold)}")
    write_results(
        "bench_coldstart",
        "python benchmarks/bench_coldstart.py " + " ".join(sys.argv[1:]),
        {"cold and warm start per set (one input, whole command)": rows,
         "warm-up and start-up": other},
        notes=("Each set: one small real input (a RAVDESS file; a Muse EEG recording in 4 s "
               "windows; three short texts) through `emofeat extract` in a fresh process, "
               "first on an empty Numba cache (cold: compiles and caches), then again (warm). "
               f"{args.passes} interleaved passes, BLAS one thread. CPU = user + system "
               "seconds of the command's process (steadier than wall time on a busy "
               "machine)."),
        markdown=md,
    )


def cold_after(name: str, env: dict) -> list[str]:
    """The set's declared kernels that have no disk cache in ``env``'s cache folder."""
    import json
    import subprocess

    code = ("import json, sys; from emofeat.registry import get_extractor; "
            "from emofeat._numba import cold_kernels; "
            "print(json.dumps(cold_kernels(get_extractor(sys.argv[1]).kernels)))")
    out = subprocess.run([sys.executable, "-c", code, name], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
