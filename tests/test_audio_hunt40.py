"""Audio sets on real speech as a researcher meets it (session 40 hunt): digital silence,
DC offsets, and what the sets and their references give there.

Every test runs on the real RAVDESS and EmoDB files beside the repository (skipped when
absent) and compares with the reference tool on the same samples.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors.prosody import Prosody

import emofeat
from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")
SR = 16000
PITCH = dict(fmin=60.0, fmax=600.0, sr=SR, frame_length=1024, hop_length=160)


@pytest.fixture(scope="module")
def silent_led(emodb_dir, ravdess_files):
    """An EmoDB and a RAVDESS clip that hold digital silence (36 and 37 of their frames)."""
    return [emodb_dir / "03a01Nc.flac", ravdess_files[0]]


def test_yin_voicing_probability_of_digital_silence_is_pyins_zero(silent_led):
    """YIN's voicing probability is ``1 - CMNDF``; a frame of zeros has a CMNDF of 0 (0 over
    the guard), so version 0 gave every digitally silent frame a probability of 1 while
    calling it unvoiced: 36 of EmoDB 03a01Nc's 201 frames, its mean probability 0.558 where
    its sounding frames average 0.461. Reference: the frames whose ``librosa.feature.rms``
    is 0 (the same centred frames), where ``librosa.pyin`` gives probability 0 too. The
    sounding frames keep ``1 - CMNDF`` (checked against the set's own aperiodicity)."""
    for path in silent_led:
        y = load_audio(path, SR).y
        rms = librosa.feature.rms(y=y, frame_length=1024, hop_length=160)[0]
        silent = rms == 0
        assert silent.sum() >= 30, path  # the clips hold the case this test is about
        _, _, ref_prob = librosa.pyin(y.astype(np.float64), **PITCH)
        assert np.all(ref_prob[silent] == 0.0)

        yin = Prosody(method="yin", level="lld")
        lld = np.asarray(yin.fit_transform([(y, SR)]))
        assert lld.shape[0] == rms.size
        assert np.all(lld[silent, 3] == 0.0), path
        assert np.all(lld[silent, 2] == 0.0)  # and unvoiced, as before
        _, _, aper = yin.yin_f0(y)
        np.testing.assert_array_equal(lld[~silent, 3], np.clip(1.0 - aper[~silent], 0, 1))

        table = emofeat.extract([str(path)], "prosody", params={"method": "yin"}).to_pandas()
        assert table["prosody_voiced_prob_mean"].iloc[0] == pytest.approx(
            float(np.mean(lld[:, 3])), rel=1e-12)


def test_a_small_dc_offset_costs_voicing_and_moves_spectra_as_in_librosa(ravdess_files):
    """docs/feature_sets.md ("Bad input") said a DC offset biases prosody's F0 "slightly" and
    lands "in bin 0 only" for the librosa set. On a real quiet clip (RAVDESS, peak 0.040) an
    offset of 0.001 of full scale costs pYIN over a quarter of its voiced frames (librosa's
    difference function is not offset-invariant) and moves the librosa set's spectral
    centroid by more than half (bins 0 and 1 outweigh quiet frames). Both sets follow librosa
    frame for frame there (the offset is not removed, as documented): voicing identical to
    ``librosa.pyin``; centroid (float64 analysis) to rtol 1e-5 of
    ``librosa.feature.spectral_centroid``."""
    from emofeat.extractors.librosa_set import LibrosaFeatures

    y = load_audio(ravdess_files[0], SR).y
    assert 0.02 < np.abs(y).max() < 0.06  # a quiet clip, as most RAVDESS ones
    voiced, centroid = {}, {}
    for dc in (0.0, 0.001, 0.01):
        z = (y + np.float32(dc)).astype(np.float32)
        ours = np.asarray(Prosody(level="lld").fit_transform([(z, SR)]))
        _, ref_voiced, _ = librosa.pyin(z.astype(np.float64), **PITCH)
        np.testing.assert_array_equal(ours[:, 2] > 0, ref_voiced)
        voiced[dc] = int(ref_voiced.sum())

        lib = LibrosaFeatures(level="lld", precision="float64")
        lld = np.asarray(lib.fit_transform([(z, SR)]))
        mag = np.abs(librosa.stft(z.astype(np.float64), n_fft=2048, hop_length=512))
        ref = librosa.feature.spectral_centroid(S=mag, sr=SR)[0]
        col = list(lib.get_feature_names_out()).index("librosa_spectral_centroid")
        np.testing.assert_allclose(lld[:, col], ref, rtol=1e-5)
        centroid[dc] = float(ref.mean())
    assert voiced[0.001] < 0.8 * voiced[0.0] and voiced[0.01] < 0.5 * voiced[0.0], voiced
    assert centroid[0.001] < 0.5 * centroid[0.0], centroid


def test_stereo_egemaps_is_opensmiles_mixdown_not_its_default_first_channel(ravdess_files,
                                                                          tmp_path):
    """docs/egemaps.md: a stereo file is averaged to mono, where opensmile-python's ``Smile``
    reads the first channel only (``channels=0``); ``channels=[0, 1], mixdown=True`` is the
    comparable call. A real clip at full and half gain in the two channels: loudness and
    spectral functionals within 1e-3 relative of the mixdown (the mono parity of
    tests/test_egemaps.py), and the first channel alone farther than that."""
    opensmile = pytest.importorskip("opensmile")
    sf = pytest.importorskip("soundfile")
    y = load_audio(ravdess_files[0], SR).y
    path = tmp_path / "stereo.wav"
    sf.write(path, np.column_stack([y, 0.5 * y]), SR, subtype="FLOAT")
    cols = ["loudness_sma3_amean", "spectralFlux_sma3_amean", "mfcc1_sma3_amean",
            "equivalentSoundLevel_dBp"]
    ours = emofeat.extract([str(path)], "egemaps").to_pandas()
    ours = ours[[f"egemaps_{c}" for c in cols]].to_numpy(float)[0]

    def smile(**kw):
        s = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.Functionals, **kw)
        return s.process_file(str(path))[cols].to_numpy(float)[0]

    np.testing.assert_allclose(ours, smile(channels=[0, 1], mixdown=True), rtol=1e-3)
    first = smile()
    assert abs(first[0] - ours[0]) > 0.1 * abs(ours[0])  # loudness of the louder channel


def test_digital_silence_row_of_the_docs_per_set(emodb_dir):
    """docs/inputs.md said digital silence gives "finite features" and feature_sets.md that
    prosody's "segment lengths" are NaN there. The digital silence that ends a real EmoDB
    clip (its last 6,220 samples are exact zeros), cut out: the sets the row names as
    finite are; ``prosody`` has NaN F0 statistics and mean voiced segment (librosa.pyin voices
    no frame there either), voicing probability 0 with both trackers, and a mean unvoiced
    segment of the frames' whole length; ``egemaps`` NaN voiced-only functionals, warned."""
    y = load_audio(emodb_dir / "03a01Nc.flac", SR).y
    lead = y[int(np.flatnonzero(y)[-1]) + 1:]
    assert lead.size > 4000 and not lead.any()  # a quarter second and more of it
    finite = emofeat.extract([(lead, SR)], ["mfcc", "mfcc_htk", "librosa", "paa", "rqa",
                                             "rqa_speech"]).to_pandas()
    assert np.isfinite(finite.select_dtypes("number").to_numpy(float)).all()

    _, ref_voiced, _ = librosa.pyin(lead.astype(np.float64), **PITCH)
    assert not ref_voiced.any()
    for method in ("pyin", "yin"):
        row = emofeat.extract([(lead, SR)], "prosody", params={"method": method}).to_pandas()
        nan = {c for c in row.columns if c.startswith("prosody_") and row[c].isna().all()}
        assert nan == {c for c in row.columns
                       if c.startswith(("prosody_f0_hz_", "prosody_f0_semitones_"))
                       or c == "prosody_mean_voiced_segment_s"}, (method, nan)
        assert row["prosody_voiced_prob_max"].iloc[0] == 0.0
        assert row["prosody_mean_unvoiced_segment_s"].iloc[0] == pytest.approx(
            ref_voiced.size * PITCH["hop_length"] / SR)

    with pytest.warns(UserWarning, match="no voiced frame"):
        eg = emofeat.extract([(lead, SR)], "egemaps").to_pandas()
    assert eg.filter(like="F0semitone").isna().all(axis=None)


#: mfcc_htk's parameters its convention does not use, each with a value other than the set's
_UNUSED = [("top_db", 20.0), ("ref", 3.0), ("center", True), ("pad_mode", "reflect")]
#: parameters that change mfcc_htk's numbers (the docs say every other one does)
_USED = [("htk", False), ("mel_norm", "slaney"), ("window", "hann"), ("amin", 2.0),
         ("input_scale", 1.0), ("power", 2.0), ("fmin", 100.0), ("lifter", 0.0),
         ("preemphasis", 0.0)]


def test_parameters_a_convention_does_not_use_are_the_documented_ones(ravdess_files):
    """docs/mfcc.md lists the parameters accepted without effect (``top_db``/``ref`` with the
    natural log, ``center``/``pad_mode`` in the HTK convention); on a real clip those give
    the same coefficients and the others do not. A parameter that became ignored (or one
    the docs call ignored that starts to act) fails here."""
    path = [str(ravdess_files[0])]
    base = np.asarray(emofeat.get_extractor("mfcc_htk", level="lld").fit_transform(path))
    for name, value in _UNUSED:
        other = emofeat.get_extractor("mfcc_htk", level="lld", **{name: value})
        np.testing.assert_array_equal(np.asarray(other.fit_transform(path)), base)
    for name, value in _USED:
        other = emofeat.get_extractor("mfcc_htk", level="lld", **{name: value})
        assert not np.array_equal(np.asarray(other.fit_transform(path)), base), name


def test_pyin_of_frames_opening_on_a_loud_sample_is_librosas(emodb_dir):
    """librosa 0.11's difference function leaves ``x_0**2`` out of ``d(1)`` (it zeroes the
    ``d(0)`` slot of its running energy sum before reading it there), and ``d(1)`` enters
    every lag's cumulative mean. The set took the full sum: in frames of loud, aperiodic
    speech opening on a large sample the CMNDF was up to 0.16 off librosa's, and 6 of
    EmoDB 10a01Ac's 201 frames took the other voicing (the set documents pYIN as
    librosa.pyin). Reference: ``librosa.pyin`` on the same samples; voicing identical in
    every frame, F0 to rtol 1e-9 where voiced, voicing probability to 1e-6 in every frame
    (tests/test_prosody.py's tolerances, which allow 1 % of frames off: none is here)."""
    y = load_audio(emodb_dir / "10a01Ac.flac", SR).y
    lld = np.asarray(Prosody(level="lld").fit_transform([(y, SR)]))
    f0, voiced, prob = librosa.pyin(y.astype(np.float64), **PITCH)
    np.testing.assert_array_equal(lld[:, 2] > 0, voiced)
    np.testing.assert_allclose(lld[voiced, 0], f0[voiced], rtol=1e-9)
    np.testing.assert_allclose(lld[:, 3], prob, rtol=0, atol=1e-6)
