"""openSMILE's jitter/shimmer component run as a black box beside emofeat's kernel (a diagnostic).

The chain of openSMILE components here (docs/egemaps.md, "openSMILE's jitter path") is
defined from the component and option names of the help texts in the shipped
``libSMILEapi.so`` (no openSMILE source or ``.conf`` file was read; the definition is
``tests/_opensmile_chain.py``, rendered at run time): 60 ms / 10 ms
frames, a Gaussian window (sigma 0.4), FFT magnitudes on an octave scale, ``cPitchShs`` (55-1000
Hz, 15 harmonics, compression 0.85, voicing cut-off 0.70), ``cPitchSmootherViterbi`` and
``cPitchJitter`` (``searchRangeRel`` 0.1, ``minCC`` 0.5, ``minNumPeriods`` 2) with every
per-frame output on (``jitterLocal``, ``shimmerLocal``, ``shimmerLocalDB``, ``refinedF0``,
``sourceQualityMean``/``Range``) and its ``periodOutputFile`` (one line per accepted
period: the mark's sample and its position refined by a parabola). After ``sma3nz`` its
jitter and shimmer equal eGeMAPSv02's columns wherever its F0 equals eGeMAPSv02's (to
5.6e-9 on a RAVDESS file; ``minCC`` 0.3 or 0.7 breaks that), so its raw per-frame values
tell what emofeat's kernel must do given the same F0.

This script runs that chain on a few files (``--files``, every ``--step``-th of RAVDESS and
EmoDB) and prints, per file, how often its voicing and F0 agree with eGeMAPSv02's, and
emofeat's ``period_jitter`` on the chain's own F0 against the chain's raw jitter/shimmer:
the file means and the frames (Pearson r over voiced frames).

    python benchmarks/egemaps_jitter_path.py [--files 10] [--step 197]

Prints a markdown table (no results file: a diagnostic; ~5 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import DATA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _opensmile_chain import jitter_chain, render  # noqa: E402

# columns of the chain's output: F0final, voicing, jitterLocal, shimmerLocal,
# shimmerLocalDB, refined F0, sourceQualityMean, sourceQualityRange
F0, JIT, SHIM_DB = 0, 2, 4


def chain(y: np.ndarray, tmp: Path, mincc: float = 0.5,
          greedy: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The chain's per-frame outputs and its period dump (mark, refined mark) for ``y``;
    ``mincc`` the jitter component's minimum correlation, ``greedy`` the SHS's greedy peak
    candidates (eGeMAPSv02's, measured)."""
    import opensmile

    conf = tmp / "jitter_path.conf"
    pfile = tmp / "periods.csv"
    conf.write_text(render(jitter_chain(str(pfile), mincc, greedy=greedy), ["pitchF", "jitter"]))
    out = opensmile.Smile(str(conf), "allout").process_signal(y, 16000)
    if not pfile.stat().st_size:
        return out.to_numpy(np.float64), np.zeros((0, 2))
    periods = np.loadtxt(pfile, delimiter=",", ndmin=2)
    return out.to_numpy(np.float64), periods


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--step", type=int, default=197)
    args = parser.parse_args()

    import opensmile
    from emofeat.extractors import _egemaps_kernels as K
    from emofeat.extractors import egemaps as E

    from emofeat.audio import load_audio

    files = (sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
             + sorted((DATA / "speech" / "emodb").rglob("*.flac")))[:: args.step][: args.files]
    lld = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                          opensmile.FeatureLevel.LowLevelDescriptors)
    print("| file | voicing agrees with eGeMAPSv02 | chain's jitter after sma3nz = "
          "eGeMAPSv02's (frames) | file mean jitter chain / emofeat | shimmer dB chain / "
          "emofeat | frame r jitter | frame r shimmer |")
    print("|---|---:|---:|---|---|---:|---:|")
    means = []
    frames = [[], [], [], []]
    with tempfile.TemporaryDirectory() as d:
        for path in files:
            y = np.asarray(load_audio(path, E.SR).y, np.float64)
            out, _ = chain(y, Path(d))
            ref = lld.process_signal(y, E.SR).to_numpy(np.float64)
            n = min(len(out), len(ref))
            f0 = out[:, F0]
            voiced = f0 > 0
            jit, shim = np.zeros(f0.size), np.zeros(f0.size)
            K.period_jitter(y, voiced, f0, E.HOP, float(E.SR), E.JITTER_SEARCH,
                            E.JITTER_MIN_CC, float(E.JITTER_LIMIT), float(E.JITTER_FIRST),
                            jit, shim)
            smoothed = E._smooth(out[:, JIT], nz=True)[:n]
            same = np.mean(np.abs(smoothed - ref[:n, 11]) < 1e-6)
            agree = np.mean(voiced[:n] == (ref[:n, 10] > 0))
            v = voiced
            row = (out[v, JIT].mean(), jit[v].mean(), out[v, SHIM_DB].mean(), shim[v].mean())
            means.append(row)
            for k, a in enumerate((out[v, JIT], jit[v], out[v, SHIM_DB], shim[v])):
                frames[k].append(a)
            rj = np.corrcoef(out[v, JIT], jit[v])[0, 1]
            rs = np.corrcoef(out[v, SHIM_DB], shim[v])[0, 1]
            print(f"| {path.parent.name}/{path.name} | {agree:.3f} | {same:.3f} | "
                  f"{row[0]:.4f} / {row[1]:.4f} | {row[2]:.3f} / {row[3]:.3f} | {rj:.3f} | "
                  f"{rs:.3f} |")
    m = np.array(means)
    fr = [np.concatenate(a) for a in frames]
    print(f"\nAcross the {len(files)} files: file means r jitter "
          f"{np.corrcoef(m[:, 0], m[:, 1])[0, 1]:.3f}, shimmer "
          f"{np.corrcoef(m[:, 2], m[:, 3])[0, 1]:.3f}; voiced frames r jitter "
          f"{np.corrcoef(fr[0], fr[1])[0, 1]:.3f}, shimmer {np.corrcoef(fr[2], fr[3])[0, 1]:.3f}")


if __name__ == "__main__":
    main()
