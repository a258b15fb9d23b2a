"""eGeMAPS functionals of one file from both tools on the same 16 kHz samples (test use)."""

from __future__ import annotations

import functools
import warnings

import numpy as np
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio


@functools.cache
def _smile():
    import opensmile

    return opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02, opensmile.FeatureLevel.Functionals)


def functionals_pair(path, names) -> tuple[np.ndarray, np.ndarray]:
    """``(ours, openSMILE's)`` values of the functionals ``names`` of the file ``path``:
    :func:`egemaps_functionals` (warnings silenced) and openSMILE's eGeMAPSv02
    ``process_signal`` of the same samples (one ``opensmile.Smile``, kept)."""
    y = load_audio(path, E.SR).y
    ref = _smile().process_signal(y, E.SR).iloc[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = E.egemaps_functionals(y)
    return (np.array([ours[E.EGEMAPS_FUNCTIONALS.index(n)] for n in names]),
            np.array([ref[n] for n in names], dtype=np.float64))
