"""A parameter one of several sets refuses names that set (session 48, helper A's leftover).

``emofeat extract --set mfcc,librosa --param sr=8000`` said "spectral-contrast bands exceed
Nyquist ..." without saying which set refused it (``mfcc`` takes 8 kHz; ``librosa``'s spectral
contrast does not); ``emofeat.extract(..., ["mfcc", "librosa"], params=...)`` the same. Now the
message starts with the set; one set alone keeps its message as it was.
"""

from __future__ import annotations

import pytest
from conftest import shared_path

import emofeat
from emofeat.cli import main

NYQUIST = r"spectral-contrast bands exceed Nyquist"


def test_the_command_names_the_set_that_refused_a_param(tmp_path, capsys):
    wav = shared_path("speech", "emodb", "03a01Fa.flac")
    out = tmp_path / "out.parquet"
    rc = main(["extract", "--set", "mfcc,librosa", "--param", "sr=8000", str(wav), "-o",
               str(out), "-q"])
    err = capsys.readouterr().err
    assert rc != 0 and f"set 'librosa': {NYQUIST}" in err, err
    rc = main(["extract", "--set", "librosa", "--param", "sr=8000", str(wav), "-o", str(out),
               "-q"])
    err = capsys.readouterr().err
    assert rc != 0 and f"emofeat: {NYQUIST}" in err and "set 'librosa'" not in err, err
    # the set that takes it runs
    assert main(["extract", "--set", "mfcc", "--param", "sr=8000", str(wav), "-o", str(out),
                 "-q"]) == 0


def test_extract_names_the_set_that_refused_a_param():
    wav = shared_path("speech", "emodb", "03a01Fa.flac")
    with pytest.raises(ValueError, match=rf"^set 'librosa': {NYQUIST}"):
        emofeat.extract([str(wav)], ["mfcc", "librosa"], params={"sr": 8000})
    with pytest.raises(ValueError, match=rf"^{NYQUIST}"):
        emofeat.extract([str(wav)], ["librosa"], params={"sr": 8000})


def test_every_set_that_refuses_a_param_is_named(tmp_path, capsys):
    """Session 49: of several refusing sets only the first was named, so a user fixing its
    parameter met the next refusal on the next run (``sr=2000``: ``librosa``'s contrast bands
    and ``paa``'s chroma window)."""
    wav = shared_path("speech", "emodb", "03a01Fa.flac")
    out = tmp_path / "out.parquet"
    rc = main(["extract", "--set", "mfcc,librosa,paa", "--param", "sr=2000", str(wav), "-o",
               str(out), "-q"])
    err = capsys.readouterr().err
    assert rc != 0, err
    assert f"set 'librosa': {NYQUIST}" in err and "set 'paa': pyAudioAnalysis's chroma" in err, err
    assert "set 'mfcc'" not in err and not out.exists(), err
    with pytest.raises(ValueError, match=rf"(?s)^set 'librosa': {NYQUIST}.*\nset 'paa': "):
        emofeat.extract([str(wav)], ["mfcc", "librosa", "paa"], params={"sr": 2000})
