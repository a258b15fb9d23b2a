"""The slope rule probed against openSMILE's ``cFunctionalPeaks2`` as a black box: its turn
list and four slope statistics of a contour we give it, ours of the same contour, and both
tools' F0 slope functionals of a file (tests of the slope rule; test use only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _opensmile_chain import render, slope_chain
from emofeat.extractors import _egemaps_functionals_kernels as KF
from emofeat.extractors import egemaps as E

Turns = list[tuple[int, int]]
F0_SLOPES = [f"F0semitoneFrom27.5Hz_sma3nz_{s}" for s in
             ("meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope")]


def slope_black_box(folder: Path) -> Callable[[np.ndarray], tuple[Turns, np.ndarray]]:
    """A function of a contour giving openSMILE's turn list (``(frame, +1 maximum / -1
    minimum)``, from its debug output) and its four slope statistics; ``folder`` holds the
    contour, debug and configuration files."""
    import opensmile

    csv, pos, conf = folder / "contour.csv", folder / "positions.txt", folder / "slopes.conf"
    np.savetxt(csv, [0.0, 1.0, 0.0])  # the source reads the file when the chain is set up
    conf.write_text(render(slope_chain(str(csv), str(pos)), ["slopes"]))
    smile = opensmile.Smile(str(conf), "allout")
    tick = np.zeros(1600, np.float32)  # drives opensmile-python's own source only

    def run(x):
        np.savetxt(csv, np.asarray(x, np.float32).reshape(-1, 1), fmt="%.9g")
        if pos.exists():
            pos.unlink()
        values = smile.process_signal(tick, E.SR).to_numpy(np.float64)[0]
        lines = pos.read_text().splitlines() if pos.exists() else []
        turns = [(int(re.search(r"x=(\d+)", s).group(1)), 1 if "_MAX" in s else -1)
                 for s in lines if "_MAX" in s or "_MIN" in s]
        return turns, values

    return run


def kernel_slopes(x) -> tuple[Turns, np.ndarray]:
    """Our turn list and four slope statistics of ``x`` (read as float32, as openSMILE's
    contour source holds it)."""
    x = np.ascontiguousarray(np.asarray(x, np.float32), dtype=np.float64)
    n = x.size
    idx = np.empty(n + 1, np.int64)
    kind = np.empty(n + 1, np.int64)
    m = KF._turns(x, n, KF._threshold(x, n, E.PEAK_HYSTERESIS), E.PEAK_MARGIN, idx, kind)
    out = np.empty(4)
    KF._slopes(x, n, E.HOP / E.SR, E.PEAK_HYSTERESIS, E.PEAK_MARGIN, np.empty(n + 1), out, 0,
               KF.numpy_sum_block())
    return list(zip(idx[:m].tolist(), kind[:m].tolist(), strict=True)), out


def f0_slopes(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Our and openSMILE's (eGeMAPSv02 ``process_signal``) four F0 slope functionals of the
    same 16 kHz samples of ``path``."""
    from _egemaps_pair import functionals_pair

    return functionals_pair(path, F0_SLOPES)
