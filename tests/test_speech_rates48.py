"""Speech sets asked to analyse at a file's own rate (session 48, helper A).

``prosody``'s frame is in samples: ``--param sr=44100`` (a user keeping a 44.1 kHz file's
rate) shrinks its 1024-sample frame to 23 ms, under two periods of ``fmin`` (60 Hz), where
librosa.yin/pyin warn. It ran silently; on RAVDESS 03-01-01-01-01-01-01 (a low male voice)
pYIN then called 26 % of the frames voiced where the 16 kHz analysis calls 51 %.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from emofeat.extractors.prosody import Prosody

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")
soxr = pytest.importorskip("soxr")


@pytest.mark.parametrize("sr", [44100, 48000])
def test_prosody_warns_where_librosa_warns_of_a_short_frame(sr):
    with pytest.warns(UserWarning, match=r"less than two periods of fmin") as rec:
        Prosody(sr=sr).fit([])
    msg = str(rec[0].message)
    assert f"sr={sr}" in msg and "frame_length=1024" in msg and "fmin=60 Hz" in msg
    # the test is librosa's; each remedy it names silences it (librosa's own suggestion,
    # 2 ceil(sr / fmin) + 1, still warns at 44.1 kHz, where sr / fmin is a whole 735)
    with warnings.catch_warnings(record=True) as ref:
        warnings.simplefilter("always")
        librosa.pyin(np.zeros(4096), fmin=60.0, fmax=600.0, sr=sr, frame_length=1024)
    assert any("less than two periods" in str(w.message) for w in ref)
    longer = 2 * (sr // 60 + 1)
    assert f"frame_length to {longer}" in msg
    # the fmin named is the least of two decimals above sr / 512, so that typed back as
    # printed it silences the warning (review 3: "fmin above 86.13 Hz", typed, still warned)
    named = float(re.search(r"fmin to (\d+\.\d\d) Hz", msg).group(1))
    assert sr / 512 < named <= sr / 512 + 0.01
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Prosody(sr=sr, frame_length=longer).fit([])
        Prosody(sr=sr, fmin=named).fit([])
    with pytest.warns(UserWarning, match="less than two periods"):
        Prosody(sr=sr, fmin=named - 0.01).fit([])
    with pytest.warns(UserWarning, match="less than two periods"):
        Prosody(sr=sr, frame_length=longer - 1).fit([])


@pytest.mark.parametrize("sr", [16000, 22050])
def test_prosody_default_frame_is_quiet_where_librosa_is(sr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Prosody(sr=sr).fit([])
        librosa.pyin(np.zeros(4096), fmin=60.0, fmax=600.0, sr=sr, frame_length=1024)


def test_prosody_at_44k_on_real_speech_says_why_voicing_drops(ravdess_files):
    """The warned-of analysis is librosa's, frame for frame (same F0 and voicing as
    librosa.pyin at 44.1 kHz), and it is the one that loses voiced frames: the warning is
    about the parameters, not a defect of the set."""
    path = next(f for f in ravdess_files if f.name == "03-01-01-01-01-01-01.flac")
    y16 = load_audio(path, sr=None).y
    y = soxr.resample(y16.astype(np.float64), 16000, 44100, "HQ").astype(np.float32)
    with pytest.warns(UserWarning, match="less than two periods"):
        ext = Prosody(sr=44100, level="lld").fit([])
    f0, voiced, _ = ext.pyin_f0(y.astype(np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rf, rv, _ = librosa.pyin(y.astype(np.float64), fmin=60.0, fmax=600.0, sr=44100,
                                 frame_length=1024, hop_length=160)
    assert (voiced == rv).mean() >= 0.99
    _, v16, _ = Prosody(level="lld").fit([]).pyin_f0(y16.astype(np.float64))
    assert voiced.mean() < 0.75 * v16.mean()


def test_clipping_warning_says_only_egemaps_clips(ravdess_files, tmp_path):
    """A float WAV whose peak is 3 (a 10 dB louder copy) run through egemaps and mfcc: the
    warning said "clipped to the 16-bit range" with no set named, read as if every set's
    features were of the clipped signal; only eGeMAPS/GeMAPS clip (mfcc's are the unclipped
    signal's, as librosa's), and the warning now says so."""
    import soundfile as sf

    import emofeat

    y = load_audio(ravdess_files[0], 16000).y.astype(np.float64)
    y *= 3.0 / np.abs(y).max()
    path = tmp_path / "hot.wav"
    sf.write(path, y.astype(np.float32), 16000, subtype="FLOAT")
    with pytest.warns(UserWarning, match=r"beyond \+-1 \(peak 3\): clipped to the 16-bit range "
                      r"for eGeMAPS and GeMAPS, .*\(the other audio sets analyse them "
                      r"unclipped\)"):
        table = emofeat.extract([str(path)], ["egemaps", "mfcc"])
    mfcc = emofeat.get_extractor("mfcc")
    np.testing.assert_array_equal(
        table.X[:, [table.feature_names.index(n) for n in mfcc.get_feature_names_out()]][0],
        mfcc.fit_transform([(y.astype(np.float32), 16000)])[0])


def test_egemaps_loudness_of_padded_silence_is_opensmiles(emodb_dir, ravdess_files):
    """EmoDB files end in digital silence (zero-padded to 2.0 s). The mel bands' floor was
    9.43e-10: every silent frame's loudness 0.45 % above openSMILE's (0.0010386 against
    0.0010340), and the MFCC 1-4 of near-silent frames, whose bands reach the floor, 3-6e-3
    off at the median (22 files). Refitted (9.3034e-10): silence is openSMILE's to its float32
    output, and those MFCCs within about 5e-4."""
    opensmile = pytest.importorskip("opensmile")
    from emofeat.extractors.egemaps import EGeMAPS

    smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.LowLevelDescriptors)
    ext = EGeMAPS(level="lld").fit([])
    names = [n.removeprefix("egemaps_") for n in ext.get_feature_names_out()]
    cols = ["Loudness_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3", "mfcc4_sma3"]
    silent, near = [], []
    # the most padded EmoDB files; RAVDESS files fade into near silence
    padded = [emodb_dir / f"{n}.flac" for n in ("12a02Ac", "14a02Ab", "14a02Nc", "03a02Nc")]
    for path in padded + list(ravdess_files[:8]):
        ref = smile.process_file(str(path))[cols].to_numpy(np.float64)
        ours = np.asarray(ext.transform([path]))[:, [names.index(c) for c in cols]]
        assert ours.shape == ref.shape
        quiet = ref[:, 0] < 0.0010345  # all 26 bands at the floor: 0.0010340
        silent.append(np.abs(ours[quiet, 0] / ref[quiet, 0] - 1))
        low = (ref[:, 0] >= 0.0010345) & (ref[:, 0] < 0.003)  # some bands at the floor
        near.append(np.abs(ours[low, 1:] - ref[low, 1:]).ravel())
    silent, near = np.concatenate(silent), np.concatenate(near)
    assert silent.size > 100 and near.size > 100  # the cases of this test are there
    assert silent.max() < 1e-5
    assert np.median(near) < 1e-3
