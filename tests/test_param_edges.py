"""Parameter edge cases of the audio sets: endpoints that librosa defines are matched, absurd
sizes are refused at fit (naming the parameter) before anything of that size is built, and long
frames are analysed in passes of bounded memory with the same numbers.

* pYIN's ``switch_prob`` and ``no_trough_prob``: librosa.pyin runs 0 and 1 (documenting
  (0, 1)), but ``switch_prob`` 0 or 1 and ``no_trough_prob=1`` decode a voicing the signal
  does not decide (see the test), so they are refused at fit; values near them, and
  ``no_trough_prob=0``, match librosa: the banded Viterbi equals ``librosa.sequence.viterbi``
  on the same observations, state for state, and the results are librosa.pyin's to
  ``test_prosody.py``'s tolerances.
* A frame longer than the input: prosody zero-pads centred frames as librosa.yin/pyin do
  (F0 to rtol 1e-9); MFCC and paa refuse the input (TooShortError) and the librosa set
  zero-pads (tested in their own files).
* Sizes: every frame or FFT length at most ``MAX_FRAME`` (2**20) samples; arrays the
  parameters alone size (filterbanks, DCTs, pYIN's transitions and thresholds, the polynomial
  fit) at most ``MAX_PARAM_VALUES`` (2**25) values; pYIN's pitch grid at most 2**14 bins and
  YIN's lag range (``sr / fmin``) at most 2**14 lags. The librosa set's ``tuning`` is refused
  where librosa's chroma filters overflow (1e300), are not finite, or have no weight of at
  least float64's resolution (|tuning| beyond about 20 octaves: every chroma 0).
"""

from __future__ import annotations

import inspect
import tracemalloc

import numpy as np
import pytest
from emofeat.extractors import _prosody_kernels as KP
from emofeat.extractors import base
from emofeat.extractors import librosa_set as L
from emofeat.extractors import prosody as P
from emofeat.extractors.librosa_set import LibrosaFeatures, chroma_filterbank
from emofeat.extractors.mfcc import MFCC
from emofeat.extractors.paa import PyAudioAnalysis
from emofeat.extractors.prosody import Prosody

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")
SR = 16000
KW = dict(fmin=60.0, fmax=600.0, sr=SR, frame_length=1024, hop_length=160)
#: librosa.pyin's exact decoding: from librosa 1.0 it drops transitions under
#: ``transition_min_prob`` (default 1e-4), an approximation that, with switch_prob=1e-6 or
#: 0.999, never switches voicing where exact decoding does (71 % of a RAVDESS file's frames
#: agreed); the set decodes exactly, as librosa 0.11 did and 1.0 does with None
EXACT = ({"transition_min_prob": None}
         if "transition_min_prob" in inspect.signature(librosa.pyin).parameters else {})


@pytest.fixture(scope="module")
def speech(ravdess_files):
    return [load_audio(f, SR).y for f in ravdess_files[:2]]


# ---------------------------------------------------------------- pYIN probability endpoints
def _banded_and_dense_viterbi(ext: Prosody, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The set's banded Viterbi and librosa's dense one on the set's pYIN observations."""
    d, _ = ext.difference_function(y)
    plan = P._pyin_plan(float(SR), ext.fmin, ext.fmax, ext.hop_length, ext.n_thresholds,
                        tuple(float(b) for b in ext.beta_parameters), ext.resolution,
                        ext.max_transition_rate, float(ext.switch_prob))
    n = plan.n_pitch_bins
    obs, vprob = np.empty((d.shape[0], 2 * n)), np.empty(d.shape[0])
    KP.pyin_observations(d, ext._periods()[0], float(SR), ext.fmin, plan.thresholds,
                         plan.beta_probs, float(ext.boltzmann_parameter),
                         float(ext.no_trough_prob), plan.n_bins_per_semitone, n, obs, vprob)
    tiny = np.finfo(np.float64).tiny
    ours = np.empty(d.shape[0], dtype=np.int64)
    KP.viterbi_banded(np.log(obs + tiny), plan.log_init, plan.into_stay, plan.into_switch,
                      plan.into_stay.max(axis=1), plan.into_switch.max(axis=1), plan.half,
                      float(np.log(tiny)), ours)
    width = round(ext.max_transition_rate * 12 * ext.hop_length / SR) * 10 + 1
    local = librosa.sequence.transition_local(n, width, window="triangle", wrap=False)
    dense = np.kron(librosa.sequence.transition_loop(2, 1 - ext.switch_prob), local)
    return ours, librosa.sequence.viterbi(obs.T, dense, p_init=np.full(2 * n, 0.5 / n))


@pytest.mark.parametrize("edge, named", [
    (dict(switch_prob=0.0), r"switch_prob must lie in \(0, 1\).* never change"),
    (dict(switch_prob=1.0), r"switch_prob must lie in \(0, 1\).* change every frame"),
    (dict(switch_prob=float("nan")), "switch_prob"),
    (dict(no_trough_prob=1.0), r"no_trough_prob must lie in \[0, 1\).* decided by rounding"),
    (dict(no_trough_prob=-0.1), "no_trough_prob"),
])
def test_pyin_probability_endpoints_without_a_signal_are_refused(edge, named):
    """librosa.pyin runs them (documenting (0, 1)), but decodes a voicing the signal does not
    decide: switch_prob=0 keeps one voicing class in every frame, switch_prob=1 alternates it
    every frame, and with no_trough_prob=1 every frame's voiced probability is 1 up to the
    last bit of a sum (96 % of a RAVDESS file's frames within 1e-12 of 1), so its unvoiced
    observation is 0 or rounding noise: the set and librosa then disagree on the voicing of
    up to 15 % (switch_prob=1) and 3 % (no_trough_prob=1) of the frames although their
    Viterbi decoders agree state for state on the same observations."""
    with pytest.raises(ValueError, match=named):
        Prosody(**edge).fit([])


@pytest.mark.parametrize("edge", [dict(switch_prob=1e-6), dict(switch_prob=0.999),
                                  dict(no_trough_prob=0.0), dict(no_trough_prob=0.999)])
def test_pyin_probabilities_near_the_endpoints_match_librosa(speech, edge):
    """Inside the ranges, up to the endpoints: the banded Viterbi equals librosa's dense one
    on the same observations, state for state, and the end result librosa.pyin's to
    ``test_prosody``'s tolerances (voicing in 99 % of frames, F0 rtol 1e-9 where both are
    voiced); no_trough_prob=0 (no mass to the global minimum when no trough is under a
    threshold) is librosa's exactly."""
    y = speech[0].astype(np.float64)
    ext = Prosody(level="lld", **edge).fit([])
    ours, dense = _banded_and_dense_viterbi(ext, y)
    np.testing.assert_array_equal(ours, dense)
    rf, rv, _ = librosa.pyin(y, **KW, **EXACT, **edge)
    f0, voiced, _ = ext.pyin_f0(y)
    assert (voiced == rv).mean() >= 0.99
    both = voiced & rv
    assert both.sum() >= 20  # no_trough_prob=0 leaves few voiced frames
    np.testing.assert_allclose(f0[both], rf[both], rtol=1e-9)


@pytest.mark.parametrize("method", ["yin", "pyin"])
def test_prosody_frame_longer_than_the_input_is_zero_padded_as_librosa(speech, method):
    """3000 samples of speech in 8192-sample frames: centred, zero padded, as librosa."""
    y = speech[0][24000:27000].astype(np.float64)
    ext = Prosody(method=method, frame_length=8192)
    kw = dict(KW, frame_length=8192)
    if method == "yin":
        f0, ref = ext.yin_f0(y)[0], librosa.yin(y, **kw)
    else:
        f0, ref = ext.pyin_f0(y)[0], librosa.pyin(y, **kw, **EXACT)[0]
    assert f0.shape == ref.shape == (19,)
    np.testing.assert_array_equal(np.isnan(f0), np.isnan(ref))
    assert np.isfinite(f0).sum() >= 10
    np.testing.assert_allclose(f0[np.isfinite(f0)], ref[np.isfinite(ref)], rtol=1e-9)
    row = Prosody(method=method, frame_length=8192).fit_transform([(y, SR)])
    assert row.shape == (1, 89)


# ---------------------------------------------------------------- sizes refused at fit
@pytest.mark.parametrize("make, named", [
    (lambda: Prosody(frame_length=10**9), r"frame_length=1000000000 samples .* longest "
                                          r"analysis frame allowed, 1048576"),
    (lambda: Prosody(method="yin", frame_length=2**20 + 1), "frame_length=1048577"),
    (lambda: MFCC(n_fft=10**7), r"n_fft=10000000 samples \(625 s at 16000 Hz\)"),
    (lambda: MFCC(n_fft=2**21, win_length=400), "n_fft=2097152"),
    (lambda: LibrosaFeatures(n_fft=10**7), "n_fft=10000000"),
    (lambda: PyAudioAnalysis(window=100.0), "at most 1048576 samples"),
])
def test_frame_longer_than_max_frame_is_refused_at_fit(make, named):
    """A frame of 10**9 samples asked for 7.5 GiB at transform (prosody's MemoryError); MFCC
    and librosa n_fft=10**7 built a filterbank of 1.5 and 4.8 GiB at fit."""
    with pytest.raises(ValueError, match=named):
        make().fit([])


@pytest.mark.parametrize("make, named", [
    (lambda: MFCC(n_fft=10**5, n_mels=10**5), r"mel filterbank of n_mels=100000 .* lower "
                                               "n_mels or n_fft"),
    (lambda: MFCC(n_fft=2**13, n_mels=6000, n_mfcc=6000), r"DCT of n_mfcc=6000 x n_mels=6000"),
    (lambda: LibrosaFeatures(n_mels=10**6), r"mel filterbank of n_mels=1000000"),
    (lambda: LibrosaFeatures(n_fft=2**20, n_mels=1, n_mfcc=1, poly_order=78),
     r"polynomial fit of poly_order=78 over 524289 FFT bins"),
    (lambda: Prosody(n_thresholds=10**9), "n_thresholds=1000000000"),
    (lambda: Prosody(resolution=1e-4), r"pitch grid of 398632 bins .* raise resolution"),
    (lambda: Prosody(resolution=0.001, max_transition_rate=0.0), "pitch grid of 39864 bins"),
    (lambda: Prosody(resolution=0.003), r"banded transitions \(13315 pitch bins"),
    (lambda: Prosody(fmin=0.5, frame_length=2**16), r"fmin=0.5 is too low: .* 32000 lags"),
])
def test_parameter_sized_arrays_are_refused_before_they_are_built(make, named):
    """Each of these was built (or tried: MemoryError, 37 GiB for the MFCC filterbank) at fit
    or transform; pYIN's plan at resolution 1e-4 would take hours and 238 GiB."""
    with pytest.raises(ValueError, match=named):
        make().fit([])


def test_generous_sizes_still_fit():
    """Cents over 60-600 Hz and 30-8000 Hz, a 1 Hz pitch floor, a 2**20 MFCC FFT."""
    Prosody(resolution=0.01).fit([])
    Prosody(resolution=0.01, fmin=30.0, fmax=8000.0).fit([])
    Prosody(method="yin", fmin=1.0, frame_length=2**15).fit([])
    MFCC(n_fft=2**20, win_length=400).fit([])
    LibrosaFeatures(n_fft=2**16).fit([])


# ---------------------------------------------------------------- chroma tuning
@pytest.mark.parametrize("tuning", [1e300, -1e300, 1000.0, -1000.0, 300.0])
def test_tuning_without_a_chroma_is_refused_at_fit(tuning):
    """1e300 raised OverflowError at transform (in librosa too); -1e300 gives NaN filters;
    +-1000 and 300 leave every chroma filter weight below 2.2e-16 (0 at 1000): chroma and
    tonnetz 0 (or nearly) for every input, as librosa computes them."""
    with pytest.raises(ValueError, match=r"tuning=.* moves the chroma reference .* "
                                         r"fractions of a chroma bin"):
        LibrosaFeatures(tuning=tuning).fit([])


@pytest.mark.parametrize("tuning", [1.0, 5.0, -100.0, 100.0, 200.0])
def test_large_finite_tuning_is_librosas_chroma(tuning):
    """Tunings beyond [-0.5, 0.5) rotate and taper the filters as librosa's do (defined)."""
    LibrosaFeatures(tuning=tuning).fit([])
    np.testing.assert_allclose(chroma_filterbank(SR, 2048, tuning), librosa.filters.chroma(
        sr=SR, n_fft=2048, tuning=tuning, dtype=np.float64), rtol=1e-10, atol=1e-300)


# ---------------------------------------------------------------- long frames: bounded passes
def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make", [
    lambda: MFCC(n_fft=2**17, win_length=400, level="lld"),
    lambda: Prosody(method="yin", frame_length=2**17, level="lld"),
])
def test_long_frames_take_bounded_memory(speech, make):
    """Two seconds of speech in 2**17-sample frames: the frames and spectra of a pass are
    sized to ``base.PASS_BYTES`` (64 MiB; traced peaks 64 MiB for MFCC, 78 MiB for YIN's
    frames, spectra and autocorrelations), where all 201 frames at once took 210 and
    620 MiB, growing with the input."""
    ext = make().fit([])
    audio = (speech[0][: 2 * SR], SR)
    ext.compute_lld(audio)  # compiled and planned
    peak = _peak_bytes(lambda: ext.compute_lld(audio))
    assert peak < 100 << 20, peak


def _same_in_small_passes(monkeypatch, ext, audio, exact=True):
    whole = ext.compute_lld(audio)[0]
    monkeypatch.setattr(base, "PASS_BYTES", 100_000)  # a few frames a pass
    monkeypatch.setattr(L, "ONE_PASS_BYTES", 0)  # the tuning estimated in its own passes
    passes = ext.compute_lld(audio)[0]
    if exact:
        np.testing.assert_array_equal(passes, whole)
    else:
        np.testing.assert_allclose(passes, whole, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("make", [
    lambda: MFCC(level="lld"),
    lambda: MFCC.htk(level="lld"),
    lambda: MFCC(level="lld", precision="float64", pad_mode="reflect"),
    lambda: Prosody(level="lld"),
    lambda: LibrosaFeatures(level="lld"),
    lambda: LibrosaFeatures(level="lld", tuning=0.13),
])
def test_passes_give_the_numbers_of_one_pass(monkeypatch, speech, make):
    """Frames are independent: a few frames a pass (what a long n_fft gets) give the same
    numbers as one pass, bit for bit; the librosa set's tuning estimated in passes of its own
    is the one-pass estimate."""
    for y in speech:
        _same_in_small_passes(monkeypatch, make(), (y, SR))
        monkeypatch.undo()


def test_librosa_float64_passes_agree_to_rounding(monkeypatch, speech):
    """In float64 the tonnetz projection (a BLAS product over the pass's rows) may round in
    the last place differently with fewer rows (observed 8e-14 relative): the same numbers to
    1e-12."""
    _same_in_small_passes(monkeypatch, LibrosaFeatures(level="lld", precision="float64"),
                          (speech[0], SR), exact=False)
