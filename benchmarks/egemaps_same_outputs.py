"""Do two versions of the eGeMAPS code give the same numbers? Save the 88 functionals and the
25 LLDs of 30 real files (20 RAVDESS, 10 EmoDB) with one version, compare with another.

    python benchmarks/egemaps_same_outputs.py save before.npz      # in the old tree
    python benchmarks/egemaps_same_outputs.py compare before.npz   # in the new tree

``compare`` prints the largest relative difference of each level (and where), fails on NaN
positions or shapes that differ or on a difference above ``--rtol`` (1e-9).
"""

from __future__ import annotations

import argparse
import sys
import warnings

import numpy as np
from _common import DATA
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio


def _files() -> list[str]:
    rav = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))[::60][:20]
    emo = sorted((DATA / "speech" / "emodb").glob("*.flac"))[::30][:10]
    return [str(f) for f in rav + emo]


def _outputs(path: str) -> tuple[np.ndarray, np.ndarray]:
    y = load_audio(path, 16000).y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return E.egemaps_functionals(y), np.asarray(E.egemaps_lld(y)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["save", "compare"])
    parser.add_argument("npz")
    parser.add_argument("--rtol", type=float, default=1e-9)
    args = parser.parse_args()
    if args.mode == "save":
        out = {}
        files = _files()
        for i, f in enumerate(files):
            out[f"f{i}"], out[f"l{i}"] = _outputs(f)
        np.savez(args.npz, files=np.array(files), **out)
        print(f"{len(files)} files saved to {args.npz}")
        return 0
    ref = np.load(args.npz)
    worst = {"functionals": (0.0, ""), "lld": (0.0, "")}
    bad = 0
    for i, f in enumerate(ref["files"]):
        for key, level, new in zip("fl", worst, _outputs(str(f)), strict=True):
            old = ref[f"{key}{i}"]
            if old.shape != new.shape or not np.array_equal(np.isnan(old), np.isnan(new)):
                print(f"{level} {f}: shapes or NaN positions differ")
                bad += 1
                continue
            m = ~np.isnan(old) & (old != new)
            if not m.any():
                continue
            rel = np.abs(new[m] - old[m]) / np.abs(old[m])
            r = float(rel.max())
            if r > worst[level][0]:
                where = np.argwhere(m)[int(np.argmax(rel))].tolist()
                worst[level] = (r, f"{f.split('/')[-1]} at {where}")
            bad += int(r > args.rtol)
    for level, (r, where) in worst.items():
        print(f"{level}: largest relative difference {r:.2e} {where}")
    print(f"{len(ref['files'])} files, {bad} over rtol {args.rtol:g} or with other NaNs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
