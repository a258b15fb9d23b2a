"""The floor of ``emofeat extract --set mfcc``: decoding every file of a manifest plus the MFCC
kernel alone (frames, FFT, mel energies, log, DCT: no deltas, no functionals, no table), in
this process (glibc's heap kept between files as the command keeps it), as
``bench_cli_mfcc.py`` runs it in every interleaved pass (a fresh process each time, like the
two commands it is compared with).

Prints one JSON line: ``loop_s`` and ``loop_cpu_s``, the wall and CPU seconds of the loop over
the files after one warm-up file (the floor: what no command can go below), and
``process_s``, the seconds from the interpreter's start to the end of the loop (the loop plus
importing NumPy, Numba and the decoder and loading the kernels).

    python benchmarks/floor_mfcc.py manifest.csv
"""

from __future__ import annotations

import csv
import json
import sys
import time

T_START = time.perf_counter()


def main(manifest: str) -> None:
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
    t0, c0 = time.perf_counter(), time.process_time()
    for p in paths:
        ext.mfcc_frames(load_audio(p, 16000).y)
    t1, c1 = time.perf_counter(), time.process_time()
    print(json.dumps({"files": len(paths), "loop_s": t1 - t0, "loop_cpu_s": c1 - c0,
                      "process_s": t1 - T_START}))


if __name__ == "__main__":
    main(sys.argv[1])
