"""The eGeMAPS pipeline's speed-ups change no number: reused buffers, kernels run over kept
spectra, per-hop frame powers (docs/egemaps.md, "Speed")."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors import _egemaps_kernels as K
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio


@pytest.fixture(scope="module")
def signals(ravdess_files):
    return [load_audio(f, 16000).y.astype(np.float64) for f in ravdess_files[:3]]


def _all(y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return E.egemaps_functionals(y), E.egemaps_lld(y)[0]


def test_results_do_not_depend_on_what_ran_before(signals):
    """The workspace is reused from file to file: a file's numbers are the same bits whether
    a longer or a shorter signal ran before it, and after a multi-block one."""
    a, b, c = signals
    long = np.concatenate([a, b, c, a])
    first = _all(a)
    _all(long)  # grows the buffers
    E.descriptors(long, block_frames=97)  # the multi-block path (no kept spectra)
    again = _all(a)
    _all(b[: 2000])
    third = _all(a)
    for x, y, z in zip(first, again, third, strict=True):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(x, z)


def test_frame_power_from_hop_sums(signals):
    """Per-hop sums give the frame powers of the direct sums to rounding, the zero-padded
    frames past the end included."""
    y = signals[0][:16000 * 2 + 77]
    for n in (E.N_SHORT, E.N_LONG):
        n_frames = (y.shape[0] - n) // E.HOP + 3  # two frames past the end
        direct = np.empty(n_frames)
        hops = np.empty(n_frames)
        K.frame_power(y, n, E.HOP, n_frames, direct)
        K.frame_power_hops(y, n // E.HOP, E.HOP, n_frames, hops)
        np.testing.assert_allclose(hops, direct, rtol=1e-13, atol=0)


@pytest.mark.parametrize("n", [500, 900, 1200])
@pytest.mark.parametrize("level", ["functionals", "lld"])
def test_block_protocol_on_inputs_shorter_than_its_frames(tmp_path, n, level):
    """Below and just above one 60 ms frame the block protocol gives the whole-file result
    (all-NaN functionals / no LLD rows below it, the same rows and times above)."""
    import soundfile as sf

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    path = tmp_path / "short.wav"
    y = np.random.default_rng(0).standard_normal(n).astype(np.float32) * 0.1
    sf.write(path, y, 16000)
    ext = get_extractor("egemaps", level=level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = run([path], [ext], long_file_seconds=None).table
        blocks = run([path], [ext], long_file_seconds=0.001, block_seconds=0.02).table
    np.testing.assert_array_equal(blocks.X, whole.X)
    assert blocks.index.equals(whole.index)
