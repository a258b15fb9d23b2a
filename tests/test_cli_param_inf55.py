"""``--param mel_norm=inf`` is the infinity norm (helper C2, session 55).

mfcc's ``mel_norm`` takes text (``"slaney"``) and numbers (librosa's ``norm=p``, 0c3dd37):
the command's ``--param mel_norm=inf`` arrived as the text ``'inf'`` and was refused (exit 2,
with a hint to write ``1e999``), as ``top_db=inf`` was before session 51. Now the word is read
as the float where the set refuses the text, as ``mel_norm=none`` is read as None.
"""

from __future__ import annotations

import numpy as np
from emofeat.extractors.mfcc import MFCC

from emofeat import read_table
from emofeat.cli import main


def test_mel_norm_inf_is_the_infinity_norm(tmp_path, capsys, emodb_dir):
    files = sorted(emodb_dir.glob("*.flac"))[:2]
    capsys.readouterr()
    code = main(["extract", "-q", *map(str, files), "-o", str(tmp_path / "a.parquet"),
                 "--set", "mfcc", "--param", "mel_norm=inf"])
    err = capsys.readouterr().err
    assert code == 0, err  # before: exit 2, "... got 'inf' (text, not a number: ...)"
    got = read_table(tmp_path / "a.parquet")
    assert got.provenance["sets"][0]["params"]["mel_norm"] == np.inf
    # the same numbers as the Python API given np.inf (tolerance: none, the same code path)
    want = MFCC(mel_norm=np.inf).transform([str(f) for f in files])
    cols = list(MFCC(mel_norm=np.inf).get_feature_names_out())
    frame = got.to_pandas()
    np.testing.assert_array_equal(frame[cols].to_numpy(), want)
    # and not the default (Slaney) norm's: the word was not dropped
    assert not np.allclose(MFCC().transform([str(f) for f in files]), want)


def test_text_words_the_set_takes_stay_text(tmp_path, capsys, emodb_dir):
    # mel_norm="slaney" is text the set takes: unchanged (the word rule applies to refused text)
    files = sorted(emodb_dir.glob("*.flac"))[:1]
    capsys.readouterr()
    assert main(["extract", "-q", *map(str, files), "-o", str(tmp_path / "s.parquet"),
                 "--set", "mfcc", "--param", "mel_norm=slaney"]) == 0
    assert read_table(tmp_path / "s.parquet").provenance["sets"][0]["params"][
        "mel_norm"] == "slaney"
