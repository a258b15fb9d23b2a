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

# Python 3.12+ warns at a fork of a process with more than one OS thread: this process has
# pyarrow's allocator thread (jemalloc_bg_thd) once a run has built a table, so every later
# fork-backend run here warns once per worker (pytest shows DeprecationWarnings; Python's
# default filters hide this one). It is Python's word on the caller's process, not a warning
# of any input, and a serial run cannot show it: left out of the comparisons below
# (docs/batch.md, "Warnings of worker processes").
pytestmark = pytest.mark.filterwarnings(
    r"ignore:This process \(pid=\d+\) is multi-threaded, use of fork\(\):DeprecationWarning")


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


def _in_threads(*funcs):
    """Each ``funcs[k]()`` in a thread of its own, started together; their results."""
    import threading

    out: dict[int, object] = {}
    threads = [threading.Thread(target=lambda k=k, f=f: out.__setitem__(k, f()))
               for k, f in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return [out.get(k) for k in range(len(funcs))]


def test_shards_side_by_side_on_threads_keep_their_own_warnings(bad_inputs, monkeypatch):
    """Two shards at once on one worker's threads (a Dask worker's ``--nthreads``), as
    ``with_warnings`` runs them: one reads a truncated EDF (MNE warns, which read_mne
    catches), the other a truncated WAV meanwhile. Each shard's warning comes back with it,
    and a later shard's too. Before, the WAV's warning went into read_mne's
    ``catch_warnings`` list (lost), and the worker's display was left on a list no shard
    reads: the later shard sent nothing."""
    import threading

    import mne

    from emofeat.audio import load_audio
    from emofeat.eeg_input import EEGReadWarning, read_mne
    from emofeat.schedule import with_warnings

    (_, cut_edf), _ = bad_inputs["edf"]
    (_, _, cut_wav, *_), _ = bad_inputs["audio"]
    edf_read, wav_read = threading.Event(), threading.Event()
    read_raw = mne.io.read_raw

    def read_and_wait(*args, **kwargs):  # the EDF read (MNE has warned), held open
        got = read_raw(*args, **kwargs)
        edf_read.set()
        assert wav_read.wait(30)
        return got

    monkeypatch.setattr(mne.io, "read_raw", read_and_wait)

    def wav_shard():
        assert edf_read.wait(30)
        try:
            return load_audio(cut_wav)
        finally:
            wav_read.set()

    (_, edf_caught), (_, wav_caught) = _in_threads(
        lambda: with_warnings(read_mne, cut_edf), lambda: with_warnings(wav_shard))
    assert [(c, m.partition(":")[0]) for m, c, *_ in edf_caught] == [(EEGReadWarning, cut_edf)]
    assert [(c, m.partition(":")[0]) for m, c, *_ in wav_caught] == [
        (TruncatedAudioWarning, cut_wav)]
    [(_, later)] = _in_threads(lambda: with_warnings(load_audio, cut_wav))
    assert [(c, m.partition(":")[0]) for m, c, *_ in later] == [
        (TruncatedAudioWarning, cut_wav)]


def test_egemaps_silences_no_other_threads_warnings(bad_inputs, monkeypatch):
    """eGeMAPS' functionals silence NumPy's floating-point warnings of their own arithmetic
    only: another thread's RuntimeWarning meanwhile (NumPy's mean of an empty slice) comes
    back with its shard, and so does its floating-point warning (``np.errstate`` is per
    thread). Before, ``simplefilter('ignore', RuntimeWarning)`` in a
    ``catch_warnings`` block silenced it in every thread of the process."""
    import threading

    import numpy as np
    from emofeat.extractors import egemaps

    from emofeat.audio import load_audio
    from emofeat.schedule import with_warnings

    inside, warned = threading.Event(), threading.Event()
    functionals_of = egemaps.functionals_of

    def held(d):
        inside.set()
        assert warned.wait(30)
        return functionals_of(d)

    y = load_audio(bad_inputs["audio"][0][0], sr=16000).y[:16000]
    # compiled first: with a cold Numba cache on a busy machine the LLD kernels' compile
    # (25 s of CPU) outlasted the other thread's 30 s wait for 'inside' (failed once so)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        egemaps.egemaps_functionals(y)
    monkeypatch.setattr(egemaps, "functionals_of", held)

    def numpy_shard():
        assert inside.wait(30)
        try:
            return np.mean(np.array([]))
        finally:
            warned.set()

    (out, _), (_, caught) = _in_threads(lambda: with_warnings(egemaps.egemaps_functionals, y),
                                        lambda: with_warnings(numpy_shard))
    assert np.isfinite(out).sum() > 0
    # NumPy's own warning, and its floating-point one (np.errstate: this thread's state), as
    # this NumPy words them (2.0 ends the first with a full stop)
    with warnings.catch_warnings(record=True) as own:
        warnings.simplefilter("always")
        np.mean(np.array([]))
    assert [(c, m) for m, c, *_ in caught] == [(w.category, str(w.message)) for w in own]
    assert len(own) == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_shard_that_fails_passes_on_the_warnings_it_showed_before(bad_inputs, backend,
                                                                    tmp_path):
    """``on_error='raise'`` (``--fail-fast``): the cut file before the broken one in the same
    shard is warned of with workers as without; the shard's warnings were dropped with its
    exception."""
    from emofeat.errors import AudioReadError

    wavs, (cut,) = bad_inputs["audio"]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF" + bytes(range(256)) * 8)
    items = [cut, str(broken), wavs[0], wavs[1]]
    got = {}
    for n_jobs in (1, 2):
        with warnings.catch_warnings(record=True) as caught, pytest.raises(AudioReadError):
            run(items, [get_extractor("mfcc")], n_jobs=n_jobs, backend=backend, chunk_size=2,
                on_error="raise")
        got[n_jobs] = [(w.category, str(w.message)) for w in caught]
    assert [(c, m.partition(":")[0]) for c, m in got[1]] == [(TruncatedAudioWarning, cut)]
    assert got[2] == got[1]


def test_a_failed_shards_warnings_cross_processes_with_its_error(bad_inputs):
    """The Dask backend's path: the exception, pickled as a worker sends it, still holds the
    shard's warnings, which ``relay_result`` shows before raising it."""
    import pickle

    from emofeat.audio import load_audio
    from emofeat.errors import AudioReadError
    from emofeat.schedule import WarningRelay, relay_result, with_warnings

    (_, _, cut, *_), _ = bad_inputs["audio"]

    def shard():
        load_audio(cut)
        raise AudioReadError("broken.wav", "not an audio file")

    with pytest.raises(AudioReadError) as failed:
        with_warnings(shard)
    sent = pickle.loads(pickle.dumps(failed.value))

    def get():
        raise sent

    with warnings.catch_warnings(record=True) as caught, pytest.raises(AudioReadError):
        relay_result(WarningRelay(), get)
    assert [(w.category, str(w.message).partition(":")[0]) for w in caught] == [
        (TruncatedAudioWarning, cut)]


class _WarmsUpSlowly(MFCC):
    """MFCC whose warmup warns of its made-up input, says it is in, and lasts until ``go``."""

    def warmup(self):
        warnings.warn("the warmup's own input", UserWarning, stacklevel=1)
        self.inside.set()
        assert self.go.wait(30)
        return super().warmup()


def test_the_fork_pools_warmup_silences_no_other_thread(bad_inputs):
    """The fork pool's warmup drops what a set says of its made-up input, in its own thread
    only: a shard on another thread meanwhile (as ``with_warnings`` runs it; a real cut WAV)
    sends its warning. Before, ``simplefilter('ignore')`` in ``catch_warnings`` silenced
    every thread of the caller."""
    import threading

    from emofeat.audio import load_audio
    from emofeat.schedule import ForkPool, with_warnings

    (_, _, cut, *_), _ = bad_inputs["audio"]
    ext = _WarmsUpSlowly()
    ext.inside, ext.go = threading.Event(), threading.Event()
    sent: list = []

    def shard():
        assert ext.inside.wait(30)
        try:
            sent.extend(with_warnings(load_audio, cut)[1])
        finally:
            ext.go.set()

    other = threading.Thread(target=shard)
    other.start()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ForkPool([ext], 2).close()
    other.join(30)
    assert [(c, m.partition(":")[0]) for m, c, *_ in sent] == [(TruncatedAudioWarning, cut)]
    assert not [w for w in caught if "the warmup's own input" in str(w.message)]
