"""``extract --long-file`` / ``--block`` for text and EEG sets (leftover of session 51).

They read long audio files in blocks; text has no time axis and EEG recordings are read whole,
yet both options were taken without a word: ``--set lexicon --long-file 5`` wrote the same
table as without it, and an EEG run asked for bounded memory read the recording whole. They
are refused as ``--segment`` of texts is (exit 2, before any work, nothing written), naming
the option; audio runs keep them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _text_data import carer_texts
from conftest import shared_path

from emofeat.cli import main


@pytest.fixture
def texts(tmp_path) -> str:
    manifest = tmp_path / "texts.csv"
    pd.DataFrame({"text": carer_texts(shared_path("text"), "test")[:20]}).to_csv(
        manifest, index=False)
    return str(manifest)


@pytest.mark.parametrize("options", [["--long-file", "5"], ["--block", "3"],
                                     ["--long-file", "0", "--block", "2"],
                                     ["--long-file", "600"]])  # the default, said: refused too
def test_text_sets_refuse_the_block_options(tmp_path, capsys, texts, options):
    out = tmp_path / "t.parquet"
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "lexicon", texts, "-o", str(out), *options])
    err = capsys.readouterr().err
    assert code == 2, err  # 0 before: the options did nothing, the table written
    named = " and ".join(o for o in options if o.startswith("--"))
    assert f"emofeat: {named}: text inputs have no time axis to read in blocks" in err, err
    assert "audio files only" in err
    assert not out.exists()
    # without them the same run works (the refusal is the options', not the input's)
    assert main(["extract", "-q", "--set", "lexicon", texts, "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 20


def test_eeg_sets_refuse_them(tmp_path, capsys):
    muse = shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv")
    out = tmp_path / "e.parquet"
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "eeg_bands", str(muse), "-o", str(out),
                 "--long-file", "10"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--long-file: EEG recordings are read whole; it applies to audio files only" in err
    assert not out.exists()


def test_audio_keeps_them(tmp_path, capsys, emodb_dir):
    out = tmp_path / "a.parquet"
    assert main(["extract", "-q", "--set", "mfcc", str(emodb_dir / "03a01Fa.flac"), "-o",
                 str(out), "--long-file", "0", "--block", "1"]) == 0
    assert len(pd.read_parquet(out)) == 1
