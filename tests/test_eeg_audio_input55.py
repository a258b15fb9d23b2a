"""A WAV or FLAC given to an EEG set says that it is audio and names the audio sets.

Until session 55 it said only MNE's words, "cannot read EEG (ValueError: Unsupported file
type (.wav). Consider using a dedicated reader function for more options.)", through the
extractors, ``read_recording`` and the command alike. Real audio: EmoDB's 03a01Fa (FLAC),
and the same speech written as a 16-bit WAV.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import read_recording
from emofeat.errors import EEGReadError
from emofeat.registry import list_sets

pytest.importorskip("mne")


@pytest.fixture(scope="module")
def audio_files(tmp_path_factory):
    sf = pytest.importorskip("soundfile")
    flac = shared_path("speech", "emodb", "03a01Fa.flac")
    y, sr = sf.read(str(flac))
    wav = tmp_path_factory.mktemp("audio") / "03a01Fa.wav"
    sf.write(str(wav), np.asarray(y), sr, subtype="PCM_16")
    return {".flac": str(flac), ".wav": str(wav)}


@pytest.mark.parametrize("ext", [".wav", ".flac"])
@pytest.mark.parametrize("how", ["extractor", "read_recording"])
def test_audio_given_as_eeg_is_named_audio_with_the_audio_sets(audio_files, ext, how):
    path = audio_files[ext]
    audio_sets = [info.name for info in list_sets("audio")["audio"]]
    assert "mfcc" in audio_sets and "eeg_bands" not in audio_sets
    # the kind of file its extension names (the bytes are not read on this error path:
    # 'it is an audio file' was said of a text file named notes.wav, review RB)
    want = (rf"^{re.escape(path)}: cannot read EEG \(.*\); a {re.escape(ext)} file is "
            rf"audio, not EEG: give it to an audio set "
            rf"\({re.escape(', '.join(audio_sets))}\)$")
    with pytest.raises(EEGReadError, match=want):
        if how == "extractor":
            EEGBandPower().fit_transform([path])
        else:
            read_recording(path)


def test_an_eeg_file_that_fails_gets_no_audio_hint(tmp_path):
    """Control: an unreadable EDF says MNE's words alone."""
    path = tmp_path / "broken.edf"
    path.write_bytes(b"0       not an EDF header at all" * 4)
    with pytest.raises(EEGReadError) as err:
        EEGBandPower().fit_transform([str(path)])
    assert "audio" not in str(err.value)
