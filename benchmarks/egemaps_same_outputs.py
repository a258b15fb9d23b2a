"""Do two versions of the eGeMAPS code give the same numbers? Save the 88 functionals and the
25 LLDs of real files (by default 30: 20 RAVDESS, 10 EmoDB) with one version, compare with
another.

    python benchmarks/egemaps_same_outputs.py save before.npz      # in the old tree
    python benchmarks/egemaps_same_outputs.py compare before.npz   # in the new tree
    python benchmarks/egemaps_same_outputs.py compare before.npz --per-column

The save side must really run the old code: with an editable install, ``emofeat.extractors``
is the install's checkout whatever the working directory or ``PYTHONPATH`` (the package's
``extractors`` folder is mapped). For another revision, export it (``git archive REV``),
copy its ``extractors/`` into its ``emofeat/extractors/`` and run ``save`` with
``PYTHONPATH`` at the export; both sides print the file they ran.

``--ravdess N --emodb M`` (with ``save``) choose how many files of each corpus (evenly spaced
through the sorted lists; the list is stored in the npz, so ``compare`` reads the same files).
``compare`` prints the largest relative difference of each level (and where), with
``--per-column`` that of every functional and every LLD, and fails on NaN positions or
shapes that differ or on a difference above ``--rtol`` (1e-9).
"""

from __future__ import annotations

import argparse
import sys
import warnings

import numpy as np
from _common import DATA
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio


def _files(n_ravdess: int = 20, n_emodb: int = 10) -> list[str]:
    rav = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    emo = sorted((DATA / "speech" / "emodb").glob("*.flac"))
    rav = rav[:: max(1, len(rav) // max(n_ravdess, 1))][:n_ravdess]
    emo = emo[:: max(1, len(emo) // max(n_emodb, 1))][:n_emodb]
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
    parser.add_argument("--ravdess", type=int, default=20)
    parser.add_argument("--emodb", type=int, default=10)
    parser.add_argument("--per-column", action="store_true",
                        help="print the largest relative difference of every column")
    args = parser.parse_args()
    if args.mode == "save":
        out = {}
        files = _files(args.ravdess, args.emodb)
        for i, f in enumerate(files):
            out[f"f{i}"], out[f"l{i}"] = _outputs(f)
        np.savez(args.npz, files=np.array(files), code=np.array(E.__file__), **out)
        print(f"{len(files)} files saved to {args.npz} by {E.__file__}")
        return 0
    ref = np.load(args.npz)
    # an editable install maps ``emofeat.extractors`` to its own checkout whatever the
    # working directory: say which code ran on each side (the same file = a vacuous compare)
    saved_by = str(ref["code"]) if "code" in ref else "(not recorded)"
    print(f"saved by {saved_by}; compared with {E.__file__}")
    if saved_by == E.__file__:
        print("warning: both sides ran the same file; check the other side's PYTHONPATH")
    names = {"functionals": E.EGEMAPS_FUNCTIONALS, "lld": E.LLD_NAMES}
    worst = {"functionals": (0.0, ""), "lld": (0.0, "")}
    per_col = {level: np.zeros(len(n)) for level, n in names.items()}
    identical = {level: np.ones(len(n), dtype=bool) for level, n in names.items()}
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
            rel = np.zeros(old.shape)
            rel[m] = np.abs(new[m] - old[m]) / np.maximum(np.abs(old[m]), 1e-300)
            cols = rel.reshape(-1, len(names[level])).max(axis=0)
            per_col[level] = np.maximum(per_col[level], cols)
            identical[level] &= ~m.reshape(-1, len(names[level])).any(axis=0)
            r = float(rel.max())
            if r > worst[level][0]:
                where = np.argwhere(rel == r)[0].tolist()
                worst[level] = (r, f"{f.split('/')[-1]} at {where}")
            bad += int(r > args.rtol)
    if args.per_column:
        for level, n in names.items():
            print(f"--- {level}: largest relative difference per column (0 = bit-identical)")
            for name, r in zip(n, per_col[level], strict=True):
                print(f"  {name:<45s} {r:.2e}")
    for level, (r, where) in worst.items():
        print(f"{level}: largest relative difference {r:.2e} {where}; "
              f"{int(identical[level].sum())} of {len(names[level])} columns bit-identical")
    print(f"{len(ref['files'])} files, {bad} over rtol {args.rtol:g} or with other NaNs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
