"""Two runs at once in two threads of one process name each its own libraries.

The used-libraries count (emofeat._libraries) was per process: a shard named the libraries
whose process-wide count rose while it ran, so a run of EmoDB FLAC (decoded by miniaudio's
dr_flac alone, 16 kHz) in one thread, while a run of RAVDESS at 48 kHz WAV (libsndfile,
resampled by soxr) ran in another (a notebook's threads, a Dask worker of several threads
serving both), named libsndfile and soxr too. The count is now the shard's own (a context
variable each thread's shard sets). The FLAC run is held in its set until the WAV run has
finished, so that the WAV run's calls fall within it every time. Exact comparisons of the
names recorded (no tolerance: a name is or is not recorded).
"""

from __future__ import annotations

import threading

import soundfile as sf
from scipy.signal import resample_poly

from emofeat.registry import get_extractor
from emofeat.runner import run


def _held(ext, inside: threading.Event, event: threading.Event):
    """``ext`` whose feature calls say they are reached (``inside``: the run's shard is
    under way) and wait for ``event`` (on the instance: this run's only)."""
    for name in ("features_of", "features_of_many"):
        own = getattr(ext, name)

        def wait_then(*a, _own=own, **k):
            inside.set()
            assert event.wait(60), "the other run did not finish"
            return _own(*a, **k)

        setattr(ext, name, wait_then)
    return ext


def test_two_runs_in_two_threads_name_their_own_libraries(tmp_path, emodb_dir,
                                                          ravdess_files):
    flacs = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    wavs = []
    for p in ravdess_files[:2]:  # RAVDESS as distributed: 48 kHz WAV (ours: 16 kHz FLAC)
        y, rate = sf.read(p)
        wavs.append(str(tmp_path / (p.stem + ".wav")))
        sf.write(wavs[-1], resample_poly(y, 48000 // rate, 1), 48000, subtype="PCM_16")
    alone = run(wavs, [get_extractor("mfcc")]).table.provenance["environment"]
    assert {"libsndfile", "soxr"} <= alone.keys()  # what the WAV run names
    inside, done = threading.Event(), threading.Event()
    got: dict[str, object] = {}

    def flac_run():
        try:
            got["flac"] = run(flacs, [_held(get_extractor("mfcc"), inside, done)]).table
        except BaseException as exc:  # shown by the assertion below
            got["flac"] = exc
        inside.set()

    t = threading.Thread(target=flac_run)
    t.start()
    try:
        inside.wait(60)  # the WAV run within the FLAC run's shard, every time
        got["wav"] = run(wavs, [get_extractor("mfcc")]).table
    finally:
        done.set()
        t.join(120)
    flac, wav = got["flac"], got["wav"]
    assert not isinstance(flac, BaseException), flac
    assert len(flac) == 2 and len(wav) == 2
    env = flac.provenance["environment"]
    assert "miniaudio" in env
    assert "libsndfile" not in env and "soxr" not in env, env
    assert {"libsndfile", "soxr"} <= wav.provenance["environment"].keys()
