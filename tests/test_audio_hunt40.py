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
