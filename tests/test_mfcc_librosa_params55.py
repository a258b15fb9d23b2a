"""The mfcc set takes the librosa parameters a ported script passes (session 55).

librosa takes ``window=("kaiser", 8)`` and any other ``scipy.signal.get_window`` tuple, a
number (Kaiser's beta) or the window's values as an array; ``norm=<number>`` in
``filters.mel`` (each filter divided by its p-norm: ``librosa.util.normalize``); and
``ref=np.max`` in ``power_to_db`` (0 dB at the input's loudest value). The set refused
each ("window must be str", "mel_norm must be str or None", "ref must be int or float").
Now each is taken and gives ``librosa.feature.mfcc`` over ``melspectrogram`` +
``power_to_db`` and ``librosa.feature.delta`` on 20 EmoDB files (every 27th: every
speaker), within the set's stated tolerance, max abs. 1e-3 (docs/mfcc.md; seen 9e-5 to
2.7e-4). Each is recorded so that it reads back: a tuple as a list, an array as a list of
numbers, ``np.max`` as the text ``"max"`` (a function has no JSON value: its repr holds
its address, another each process); the output's provenance rebuilds a set of the same
numbers, a rerun resumes (nothing extracted again), and ``sklearn.clone`` copies each.
Callables other than ``np.max`` (since session 57: ``np.min``, ``np.mean``, ``np.median``),
which cannot be recorded, are refused saying what to give.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC

from emofeat.audio import load_audio
from emofeat.registry import sets_of_record
from emofeat.runner import run

librosa = pytest.importorskip("librosa")

BASE = dict(n_fft=400, hop_length=160, n_mels=40)


@pytest.fixture(scope="module")
def files(emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("*.flac"))[::27]][:20]
    assert len(paths) == 20
    return paths


@pytest.fixture(scope="module")
def signals(files):
    return [load_audio(p, 16000).y for p in files]  # 16 kHz FLAC: read as it is


CASES = {
    "kaiser": (dict(window=("kaiser", 8)), dict(window=("kaiser", 8)), {}),
    "array": (dict(window=np.hanning(400)), dict(window=np.hanning(400)), {}),
    # a list parameter (scipy's general_cosine coefficients: Hann's), which the set's cached
    # plan refused as unhashable (a raw TypeError, "a bug in emofeat") until the mend of
    # 0c3dd37
    "general-cosine": (dict(window=("general_cosine", [0.5, 0.5])),
                       dict(window=("general_cosine", [0.5, 0.5])), {}),
    "general-cosine-array": (dict(window=("general_cosine", np.array([0.42, 0.5, 0.08]))),
                             dict(window=("general_cosine", np.array([0.42, 0.5, 0.08]))),
                             {}),
    "tukey-300": (dict(window=("tukey", 0.5), win_length=300),
                  dict(window=("tukey", 0.5), win_length=300), {}),
    "norm-1": (dict(mel_norm=1), dict(norm=1), {}),
    "norm-inf": (dict(mel_norm=np.inf), dict(norm=np.inf), {}),
    "ref-max": (dict(ref=np.max), {}, dict(ref=np.max)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_matches_librosa_on_20_emodb_files(case, files, signals):
    ours_kw, mel_kw, db_kw = CASES[case]
    ext = MFCC(level="lld", **ours_kw)
    worst = 0.0
    for path, y in zip(files, signals, strict=True):
        ours = ext.fit_transform([path])
        mel = librosa.feature.melspectrogram(y=y, sr=16000, **BASE, **mel_kw)
        m = librosa.feature.mfcc(S=librosa.power_to_db(mel, **db_kw), n_mfcc=13)
        ref = np.concatenate([m, librosa.feature.delta(m), librosa.feature.delta(m, order=2)]).T
        assert ours.shape == ref.shape
        worst = max(worst, float(np.abs(ours - ref).max()))
    assert worst <= 1e-3, worst


@pytest.mark.parametrize("params,recorded", [
    (dict(window=("kaiser", 8)), ["kaiser", 8]),
    (dict(window=np.hanning(400)), np.hanning(400).tolist()),
    (dict(window=("general_cosine", np.array([0.5, 0.5]))), ["general_cosine", [0.5, 0.5]]),
    (dict(mel_norm=np.inf), np.inf),
    (dict(ref=np.max), "max"),
], ids=["tuple", "array", "tuple-array", "norm", "ref"])
def test_recorded_rebuilt_resumed_and_cloned(params, recorded, files, tmp_path):
    sklearn = pytest.importorskip("sklearn.base")
    name, value = next(iter(params.items()))
    out = tmp_path / "f.parquet"
    run(files[:2], [MFCC(**params)], output=str(out))
    import emofeat

    table = emofeat.read_table(str(out))
    sets = table.provenance["sets"]
    assert sets[0]["params"][name] == recorded
    rebuilt = sets_of_record(sets)
    assert rebuilt is not None, "the recorded parameters were refused"
    np.testing.assert_array_equal(rebuilt[0].fit_transform(files[:1]),
                                  MFCC(**params).fit_transform(files[:1]))
    again = run(files[:2], [MFCC(**params)], output=str(out))
    assert again.n_skipped == 2  # the same fingerprint: resumed, nothing extracted again
    if name == "ref":  # the text the output records resumes it too
        assert run(files[:2], [MFCC(ref="max")], output=str(out)).n_skipped == 2
    clone = sklearn.clone(MFCC(**params))
    assert clone.get_params()[name] is not None


def test_ref_max_is_each_inputs_own_maximum(files, signals):
    """Only c0 moves, by sqrt(n_mels) times the input's loudest mel energy in dB: the largest
    value of librosa's melspectrogram of the file (float64; +11.5 dB here, above the 1.0
    reference: a mel band sums the power of many bins), within 1e-3 (seen 3e-6: the set's
    float32 frames)."""
    a = MFCC(level="lld", deltas=0).fit_transform(files[:1])
    b = MFCC(level="lld", deltas=0, ref=np.max).fit_transform(files[:1])
    np.testing.assert_allclose(b[:, 1:], a[:, 1:], atol=1e-9)
    shift = a[:, 0] - b[:, 0]
    np.testing.assert_allclose(shift, shift[0], atol=1e-9)
    mel = librosa.feature.melspectrogram(y=signals[0].astype(np.float64), sr=16000, **BASE)
    assert abs(shift[0] - np.sqrt(40) * 10 * np.log10(mel.max())) <= 1e-3


@pytest.mark.parametrize("kw,scale", [
    (dict(), np.sqrt(40)),
    (dict(lifter=22), np.sqrt(40) * (1 + 11 * np.sin(np.pi / 22))),
    (dict(convention="htk", log="db", n_mels=26), np.sqrt(2 * 26)),
    (dict(convention="htk", log="db", n_mels=26, lifter=22), np.sqrt(2 * 26)),
], ids=["librosa", "librosa-lifter", "htk", "htk-lifter"])
def test_a_reference_moves_c0_by_the_conventions_scale(kw, scale, files):
    """What docs/mfcc.md says of ref=np.max: a reference L dB higher lowers c0 alone by
    scale x L, where scale is c0's DCT row sum (orthonormal: sqrt(n_mels); HTK's sqrt(2 /
    n_mels) on every row: sqrt(2 n_mels)) times its lifter weight (librosa's lifter weighs c0
    by 1 + (L/2) sin(pi / L); HTK's leaves it). The docs said sqrt(n_mels) for both
    conventions. rtol 1e-9 (float64 arithmetic on the same frames)."""
    a = MFCC(level="lld", deltas=0, **kw).fit_transform(files[:1])
    b = MFCC(level="lld", deltas=0, ref=10.0, **kw).fit_transform(files[:1])
    np.testing.assert_allclose(b[:, 1:], a[:, 1:], atol=1e-9)
    np.testing.assert_allclose(a[:, 0] - b[:, 0], 10.0 * scale, rtol=1e-9)


@pytest.mark.parametrize("params,said", [
    # np.median, refused here until session 57, is taken (tests/test_mfcc_ref_statistics57.py)
    (dict(ref=np.std), r"^ref=std: .*np\.max, np\.min, np\.mean or np\.median .* give the "
                       r"reference as a number$"),
    (dict(ref=True), r"^ref must be a finite number .* or 'max'"),
    (dict(window=lambda n: np.ones(n)), r"^window=<function .*: give a window name"),
    (dict(window=np.ones(300)), r"^window given by its values holds 300 of them, but frames "
                                r"hold win_length=400 samples .*: give 400 values"),
    (dict(window=("kaiser",)), r"^window=\('kaiser',\) is not a window that "
                               r"scipy\.signal\.get_window makes"),
    (dict(window=("general_cosine", {})), r"^window=\('general_cosine', \{\}\): its "
                                           r"parameter \{\} is not a number, text or an array"),
    (dict(window=("general_cosine", [[0.5], [0.5, 1.0]])),
     r"^window=.*: its parameter \[\[0\.5\], \[0\.5, 1\.0\]\] is not an array of numbers"),
    (dict(window=("general_cosine", ["a"])), r"^window=\('general_cosine', \['a'\]\) is not "
                                             r"a window that scipy\.signal\.get_window makes"),
    (dict(mel_norm=-1.0), r"^mel_norm must be 'slaney' .* got -1\.0$"),
    (dict(mel_norm="inf"), r"got 'inf' \(text, not a number: give np\.inf"),
])
def test_what_cannot_be_taken_is_refused_saying_what_to_give(params, said):
    with pytest.raises(ValueError, match=said) as err:
        MFCC(**params).fit()
    assert len(str(err.value)) < 400  # an array is not printed value by value


def test_ref_max_in_long_file_blocks_is_the_whole_files_maximum(files, tmp_path):
    """In --long-file blocks the reference is the whole file's loudest mel energy, as for the
    top_db floor: six EmoDB files at six levels joined (12 s) in 2 s blocks give the frames
    of the whole-file analysis (max abs. 1e-9)."""
    soundfile = pytest.importorskip("soundfile")
    from emofeat.blocks import blockwise_features

    y = np.concatenate([load_audio(p, 16000).y * (0.2 + 0.3 * i)
                        for i, p in enumerate(files[:6])])
    wav = tmp_path / "joined.wav"
    soundfile.write(wav, y, 16000, subtype="FLOAT")
    ext = MFCC(ref=np.max, level="lld")
    whole = ext.fit_transform([str(wav)])
    blocks = blockwise_features(ext, str(wav), block_seconds=2.0)[0]
    assert blocks.shape == whole.shape
    np.testing.assert_allclose(blocks, whole, rtol=0, atol=1e-9)


@pytest.mark.parametrize("norm", [1, 2, 0.5, np.inf, 0])
@pytest.mark.parametrize("htk", [False, True])
def test_filterbank_p_norms_equal_librosas(norm, htk):
    """The filterbank itself against ``librosa.filters.mel(norm=p)`` in float64 (seen: equal
    to the last bit; rtol 1e-12)."""
    from emofeat.extractors.filters import mel_filterbank

    ours = mel_filterbank(16000, 400, 40, 0.0, None, htk, norm)
    ref = librosa.filters.mel(sr=16000, n_fft=400, n_mels=40, htk=htk, norm=norm,
                              dtype=np.float64)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)
