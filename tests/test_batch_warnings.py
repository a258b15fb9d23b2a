"""Warnings of inputs extracted in worker processes (``n_jobs > 1``: forked, or spawned by
loky) reach the caller as those of a serial run do: the same categories and messages, each
once as the serial run shows it, under the caller's filters. Before, a forked worker's
warnings went into its own copy of the caller's ``catch_warnings(record=True)`` list and
were lost, and a loky worker printed them raw on its stderr: ``emofeat.extract(files,
n_jobs=2)`` told nothing of a truncated file or a flat EEG channel. Real data: Muse
recordings with a channel made flat, MNE's EDF test file cut short, RAVDESS WAV copies, one
cut short."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
import soundfile as sf
from conftest import shared_path
from emofeat.extractors import MFCC

from emofeat.errors import TruncatedAudioWarning
from emofeat.registry import get_extractor
from emofeat.runner import run

BACKENDS = ["fork", "loky"]


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory, ravdess_files) -> dict[str, tuple[list[str], list[str]]]:
    """Per modality ``(inputs, the inputs a serial run warns of)``: Muse recordings, two of
    them with a channel held constant (an electrode off the skin); MNE's EDF test recording
    and a copy cut to two thirds (MNE: the header's record count does not match the file
    size); RAVDESS recordings as 16-bit WAV, one cut in half."""
    folder = tmp_path_factory.mktemp("bad")
    muse = sorted(shared_path("eeg", "muse_mental_state").glob("*.csv"))[:4]
    flat = []
    for src, channel in ((muse[1], "TP9"), (muse[3], "AF8")):
        frame = pd.read_csv(src)
        frame[channel] = 3.0
        flat.append(str(folder / f"flat_{channel}_{src.name}"))
        frame.to_csv(flat[-1], index=False)
    edf = shared_path("eeg", "mne_testdata", "test.edf")
    cut_edf = folder / "cut.edf"
    cut_edf.write_bytes(edf.read_bytes()[:edf.stat().st_size * 2 // 3])
    wavs = []
    for i, src in enumerate(ravdess_files[:4]):
        y, sr = sf.read(src, dtype="float64")
        wavs.append(str(folder / f"f{i}.wav"))
        sf.write(wavs[-1], y, sr, subtype="PCM_16")
    cut_wav = folder / "cut.wav"
    cut_wav.write_bytes(Path(wavs[1]).read_bytes()[:Path(wavs[1]).stat().st_size // 2])
    return {
        "eeg": ([str(muse[0]), flat[0], str(muse[2]), flat[1]], flat),
        "edf": ([str(edf), str(cut_edf)], [str(cut_edf)]),
        "audio": ([*wavs[:2], str(cut_wav), *wavs[2:]], [str(cut_wav)]),
    }


SETS = {"eeg": "eeg_hjorth", "edf": "eeg_hjorth", "audio": "mfcc"}


def _warnings_of(items, extractors, n_jobs, backend="auto", **kw):
    """The warnings the caller records of a run (category, message), in the order shown,
    and the run's result."""
    with warnings.catch_warnings(record=True) as caught:
        res = run(items, extractors, n_jobs=n_jobs, backend=backend, chunk_size=1,
                  on_error="record", **kw)
    return [(w.category, str(w.message)) for w in caught], res


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["eeg", "edf", "audio"])
def test_workers_warnings_reach_the_caller_as_a_serial_runs(bad_inputs, kind, backend):
    items, warned = bad_inputs[kind]
    serial, res1 = _warnings_of(items, [get_extractor(SETS[kind])], 1)
    # the serial run's own warnings: one per bad input, naming it
    assert sorted(m.partition(":")[0] for _, m in serial) == sorted(warned), serial
    jobs, res2 = _warnings_of(items, [get_extractor(SETS[kind])], 2, backend)
    assert res1.n_failed == res2.n_failed == 0
    # shown as shards finish: the order may differ, the list may not
    assert sorted(jobs, key=repr) == sorted(serial, key=repr)


class _SameWords(MFCC):
    """MFCC that warns the same words for every input (a library's warning that does not
    name the input), so that every shard of a run shows it."""

    def features_of(self, signal):
        warnings.warn("the same words for every input", UserWarning, stacklevel=1)
        return super().features_of(signal)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_warning_of_every_shard_is_shown_once_as_in_a_serial_run(bad_inputs, backend):
    """A warning every shard shows (each worker's registry starts afresh per shard) is shown
    once a run, as Python's ``default`` action shows it (once per text and line; a serial
    run may show it again where a library it imports on the way changes the filters); under
    ``always`` once per input, as a serial run shows it. The fork pool's warmup on a made-up
    input of its own showed it once more."""
    items = bad_inputs["audio"][0][:2] + bad_inputs["audio"][0][3:]  # the whole files

    def words(n_jobs, action=None):
        with warnings.catch_warnings(record=True) as caught:
            if action is not None:
                warnings.simplefilter(action)
            run(items, [_SameWords()], n_jobs=n_jobs, backend=backend, chunk_size=1)
        return [str(w.message) for w in caught if "same words" in str(w.message)]

    assert len(words(1)) >= 1
    assert len(words(2)) == 1
    assert len(words(1, "always")) == len(words(2, "always")) == len(items)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_callers_filters_decide_in_the_workers(bad_inputs, backend):
    """``simplefilter("error", TruncatedAudioWarning)`` in the caller makes the cut file a
    failed input with workers as without: loky's spawned workers did not have the caller's
    filters and extracted it; ``ignore`` shows nothing."""
    items, (cut,) = bad_inputs["audio"]
    for n_jobs in (1, 2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("error", TruncatedAudioWarning)
            res = run(items, [get_extractor("mfcc")], n_jobs=n_jobs, backend=backend,
                      chunk_size=1, on_error="record")
        assert list(res.errors["path"]) == [cut], (n_jobs, res.errors)
        assert list(res.errors["error_type"]) == ["TruncatedAudioWarning"]
        assert not [w for w in caught if w.category is TruncatedAudioWarning]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("ignore", TruncatedAudioWarning)
            res = run(items, [get_extractor("mfcc")], n_jobs=n_jobs, backend=backend,
                      chunk_size=1, on_error="record")
        assert res.n_failed == 0 and not caught, (n_jobs, caught)


def test_extract_and_extract_recordings_pass_on_their_workers_warnings(bad_inputs):
    """The API's entry points over the runner: ``emofeat.extract`` and
    ``extract_recordings`` (whose warnings name each recording by its source, not the
    ``<array k>`` the runner sees) warn with ``n_jobs=2`` as with ``n_jobs=1``."""
    import emofeat
    from emofeat.eeg_input import extract_recordings, read_recording

    items, flat = bad_inputs["eeg"]
    recordings = [read_recording(p) for p in items]
    got = {}
    for n_jobs in (1, 2):
        with warnings.catch_warnings(record=True) as a:
            emofeat.extract(items, "eeg_hjorth", n_jobs=n_jobs)
        with warnings.catch_warnings(record=True) as b:
            extract_recordings(recordings, "eeg_hjorth", n_jobs=n_jobs)
        got[n_jobs] = [sorted((w.category, str(w.message)) for w in ws) for ws in (a, b)]
    assert got[1] == got[2]
    for listed in got[1]:
        assert sorted(m.partition(":")[0] for _, m in listed) == sorted(flat), listed
