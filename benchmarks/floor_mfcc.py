"""The floor of ``emofeat extract --set mfcc``: decoding every file of a manifest plus the MFCC
kernel alone (frames, FFT, mel energies, log, DCT: no deltas, no functionals, no table), in
this process (glibc's heap kept between files as the command keeps it), as
``bench_cli_mfcc.py`` runs it in every interleaved pass (a fresh process each time, like the
two commands it is compared with).

Prints one JSON line: ``loop_s`` and ``loop_cpu_s``, the wall and CPU seconds of the loop over
the files after one warm-up file (the floor: what no command can go below), and
``process_s``, the seconds from the interpreter's start to the end of the loop (the loop plus
importing NumPy, Numba and the decoder and loading the kernels).

``--part K N`` loops over every N-th file from the K-th only, and ``--wait`` prints
``ready`` once the kernels are loaded and starts the loop on a line read from stdin; the
JSON line then also holds ``t0`` and ``t1`` (CLOCK_MONOTONIC, shared by processes), so that
``scaling_floor.py`` can release several of these processes together and time them as one.

    python benchmarks/floor_mfcc.py manifest.csv [--part K N] [--wait]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time

T_START = time.perf_counter()


def main(manifest: str, part: tuple[int, int] = (0, 1), wait: bool = False) -> None:
    from emofeat.extractors import MFCC

    from emofeat.audio import load_audio
    from emofeat.blocks import keep_freed_memory

    # the heap set as the command sets it (emofeat.cli): without it every file faults its
    # arrays in afresh, and the floor would be above what the command can reach
    keep_freed_memory()

    with open(manifest, newline="") as fh:
        paths = [row["path"] for row in csv.DictReader(fh)]
    ext = MFCC(deltas=0)
    ext.mfcc_frames(load_audio(paths[0], 16000).y)  # kernels loaded, first call done
    mine = paths[part[0]::part[1]]
    if wait:
        print("ready", flush=True)
        sys.stdin.readline()
    t0, c0 = time.perf_counter(), time.process_time()
    for p in mine:
        ext.mfcc_frames(load_audio(p, 16000).y)
    t1, c1 = time.perf_counter(), time.process_time()
    print(json.dumps({"files": len(mine), "loop_s": t1 - t0, "loop_cpu_s": c1 - c0,
                      "process_s": t1 - T_START, "t0": t0, "t1": t1}), flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest")
    ap.add_argument("--part", nargs=2, type=int, default=(0, 1), metavar=("K", "N"))
    ap.add_argument("--wait", action="store_true")
    args = ap.parse_args()
    main(args.manifest, tuple(args.part), args.wait)
