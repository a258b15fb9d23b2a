"""``mfcc_htk`` with a band (``fmin``/``fmax``, HCopy's ``LOFREQ``/``HIFREQ``) against the
HTK-book reference with HSigP's passband (session 56).

HTK's filterbank takes only the FFT bins of a passband it rounds to bins (HTK 3.4 HSigP,
``InitFBank``; bins counted from 1 at DC, ``df = sr / n_fft``): from ``int(LOFREQ / df +
2.5)`` to ``int(HIFREQ / df + 0.5)``. Until numbers version 2 of the set (class
``MFCCHTK``) every bin inside the lowest and highest triangles was kept: at 300-3400 Hz (16
kHz, 512-point FFT) the 312.5 Hz bin entered the first filter, and coefficients were up to
5.4 from HTK's on RAVDESS speech (24 files, every frame). Tolerance: as tests/test_mfcc.py's HTK tests, rtol 1e-4
and atol 1e-3 (float32 frames and FFT against the float64 reference; seen about 1e-4).

The ``mfcc`` set (class ``MFCC``, numbers version 1) keeps its numbers: its default
configuration is compared with librosa in tests/test_mfcc.py; here its version and its
coefficients with an HTK band as built directly (``MFCC(convention="htk")``, which keeps
version 1's filterbank, as docs/mfcc.md says).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC
from test_mfcc import htk_reference

import emofeat
from emofeat.audio import load_audio
from emofeat.registry import installed_numbers_version

RTOL, ATOL = 1e-4, 1e-3


def _speech(files, k=1):
    y, sr = sf.read(files[k], dtype="float32")
    return y[: sr * 2], sr  # two seconds: every filter sees speech, the test stays quick


@pytest.mark.parametrize("fmin, fmax", [(300.0, 3400.0), (80.0, 7600.0), (20.0, 7000.0),
                                        (64.0, None), (0.0, 4000.0)])
def test_htk_band_follows_hsigp_passband_on_ravdess(fmin, fmax, ravdess_files):
    y, sr = _speech(ravdess_files)
    got, _ = MFCC.htk(level="lld", deltas=0, fmin=fmin, fmax=fmax).compute_lld((y, sr))
    ref = htk_reference(y, sr, lofreq=fmin, hifreq=fmax)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL)


def test_htk_band_follows_hsigp_passband_on_emodb_at_8khz(emodb_dir):
    """EmoDB resampled to 8 kHz (a telephone band, 256-point FFT: df 31.25 Hz, the 312.5 Hz
    bin again lies inside the first triangle and outside HTK's passband)."""
    path = sorted(emodb_dir.glob("*.flac"))[3]
    y = load_audio(path, 8000).y
    ext = MFCC.htk(sr=8000, level="lld", deltas=0, fmin=300.0, fmax=3400.0)
    got, _ = ext.compute_lld((y, 8000))
    ref = htk_reference(y, 8000, win=200, hop=80, n_fft=256, lofreq=300.0, hifreq=3400.0)
    np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("p", [1.0, 2.0, np.inf, 0])
def test_a_p_norm_is_taken_over_the_bins_of_the_passband(p, ravdess_files):
    """``mel_norm=p`` divides each filter by its p-norm over the FFT bins that enter it
    (docs/mfcc.md; ``librosa.util.normalize``): normalised before the passband left the
    312.5 Hz bin out, the first filter at 300-3400 Hz had a 1-norm of 0.86 and a 2-norm of
    0.97. Against the reference with each filter normalised after the passband
    (``np.linalg.norm``), same tolerance; and each filter of the set's plan has unit p-norm (rtol 1e-12; ``p=0``
    divides by the count of bins, which dividing leaves as it is)."""
    y, sr = _speech(ravdess_files)
    ext = MFCC.htk(level="lld", deltas=0, fmin=300.0, fmax=3400.0, mel_norm=p)
    if p:
        plan = ext._plan()
        norms = [np.linalg.norm(plan.band[i, : plan.lengths[i]], ord=p)
                 for i in range(len(plan.lengths))]
        np.testing.assert_allclose(norms, 1.0, rtol=1e-12)
    got, _ = ext.compute_lld((y, sr))
    ref = htk_reference(y, sr, lofreq=300.0, hifreq=3400.0, norm=p)
    np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("fmin", [0.0, 300.0])
def test_an_odd_fft_keeps_its_last_bin(fmin, ravdess_files):
    """An odd ``n_fft`` (401) has no Nyquist bin: its last bin, ``(n_fft + 1) // 2``
    counted from 1, lies below Nyquist and enters the filters, as docs/mfcc.md says of the
    band without ``HIFREQ``. Capped at ``n_fft // 2`` it was left out and the full band's
    coefficients moved from version 1's by up to 0.009. The full band equals
    ``MFCC(convention="htk")``'s (version 1's filterbank) bit for bit; both bands match the
    reference within rtol 1e-9, atol 1e-9, in float64 frames and FFT (seen 7e-13): 401 is
    prime, and the float32 FFT of that size is off by up to 2.4e-3 on this clip, beyond the
    HTK tests' atol 1e-3, which says nothing of the bins (since session 57 ``"auto"`` runs
    such a size in float64: tests/test_mfcc_htk_fft_sizes57.py)."""
    y, sr = _speech(ravdess_files)
    ext = MFCC.htk(level="lld", deltas=0, n_fft=401, fmin=fmin, precision="float64")
    got, _ = ext.compute_lld((y, sr))
    ref = htk_reference(y, sr, n_fft=401, lofreq=fmin if fmin else None)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9)
    if fmin == 0.0:
        np.testing.assert_array_equal(got, MFCC(**ext.get_params()).compute_lld((y, sr))[0])


def test_only_mfcc_htk_moves_to_a_new_numbers_version(ravdess_files):
    """The fix is in ``mfcc_htk``'s class alone: ``mfcc`` keeps numbers version 1 (its
    outputs keep resuming), and ``MFCC(convention="htk")`` built directly keeps version 1's
    filterbank (every bin inside the band), so the numbers that class records do not move."""
    assert installed_numbers_version("mfcc") == MFCC.numbers_version == 1
    htk = emofeat.get_extractor("mfcc_htk")
    assert type(htk).numbers_version == installed_numbers_version("mfcc_htk") == 2
    assert type(emofeat.get_extractor("mfcc")) is MFCC
    assert type(MFCC.htk()) is type(htk)
    y, sr = _speech(ravdess_files)
    params = MFCC.htk(level="lld", deltas=0, fmin=300.0, fmax=3400.0).get_params()
    plain, _ = MFCC(**params).compute_lld((y, sr))
    ref = htk_reference(y, sr, lofreq=300.0, hifreq=3400.0)
    # the 312.5 Hz bin, kept by version 1, moves the coefficients well beyond the tolerance
    assert np.abs(plain - ref).max() > 100 * ATOL
    # and at the full band both classes give HTK's numbers, equal to each other
    full = MFCC.htk(level="lld", deltas=0)
    np.testing.assert_array_equal(MFCC(**full.get_params()).compute_lld((y, sr))[0],
                                  full.compute_lld((y, sr))[0])


def test_the_htk_class_refuses_the_librosa_convention():
    with pytest.raises(ValueError, match="convention"):
        MFCC.htk(convention="librosa").fit([np.zeros(16000, np.float32)])


def test_an_mfcc_htk_output_of_version_1_is_not_resumed(ravdess_files, tmp_path):
    """An ``mfcc_htk`` output written before (class ``MFCC``, numbers version 1: what
    ``MFCC(convention="htk")`` records, as the set's old class did) is refused, the refusal
    naming the numbers change alone (the user ran the same command: until the store left the
    recorded class out of that comparison, it said 'made with other extraction parameters',
    naming none, and then 'Besides, ... numbers changed'), and ``overwrite`` extracts it again
    at version 2."""
    import json

    import pyarrow.parquet as pq

    from emofeat.runner import run
    from emofeat.store import ParameterMismatchError

    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    params = MFCC.htk(fmin=300.0).get_params()
    run(files[:1], [MFCC(**params)], output=out)
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, [emofeat.get_extractor("mfcc_htk", fmin=300.0)], output=out)
    said = str(refused.value)
    assert re.search(r"holds rows whose numbers emofeat now computes otherwise: the mfcc_htk "
                     r"set's numbers changed for the same parameters.*numbers version 1 "
                     r"there, 2 now", said), said
    assert "other extraction parameters" not in said and "Besides" not in said, said
    assert refused.value.reason == "written at another numbers version (mfcc_htk 1 there, 2 now)"
    run(files, [emofeat.get_extractor("mfcc_htk", fmin=300.0)], output=out, overwrite=True)
    sets = json.loads(pq.read_schema(out).metadata[b"emofeat"])["provenance"]["sets"]
    assert (sets[0]["class"], sets[0]["numbers_version"]) == (
        "emofeat.extractors.mfcc.MFCCHTK", 2)
