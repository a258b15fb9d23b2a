"""The text-classification journey on the real corpora (session 35 hunt): extract, train,
predict through the command line."""

from __future__ import annotations

import shutil

import pytest
from conftest import SHARED_DATA

from emofeat.cli import EXIT_OK, EXIT_USAGE, main

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

TEXT = SHARED_DATA / "text"
EMOLEX = SHARED_DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"


def _carer_manifest(tmp_path, n=300):
    if not (TEXT / "carer").is_dir():
        pytest.skip(f"CARER is not in {TEXT}")
    from emofeat.datasets import load_carer

    path = tmp_path / "carer.csv"
    load_carer(TEXT / "carer", "val").head(n).to_csv(path, index=False)
    return path


def _extract(manifest, lexicon, out):
    param = f"lexicons=['vader', 'afinn', ('nrc_emolex', {str(lexicon)!r})]"
    assert main(["extract", "--set", "lexicon", str(manifest), "--input-column", "text",
                 "-o", str(out), "-j", "1", "-q", "--param", param]) == EXIT_OK


def test_predict_compares_a_lexicon_file_by_its_content_not_its_path(tmp_path, capsys):
    """A model trained on EmoLex features refuses a table extracted after the EmoLex file was
    edited in place (same path, other scores: accepted silently before), and accepts one
    extracted with an unchanged copy of the file elsewhere (refused for its path before)."""
    if not EMOLEX.is_file():
        pytest.skip(f"{EMOLEX} is absent")
    manifest = _carer_manifest(tmp_path)
    lex, copy = tmp_path / "emolex.txt", tmp_path / "elsewhere" / "emolex.txt"
    shutil.copyfile(EMOLEX, lex)
    copy.parent.mkdir()
    shutil.copyfile(EMOLEX, copy)
    _extract(manifest, lex, tmp_path / "train.parquet")
    model = tmp_path / "m.joblib"
    assert main(["train", str(tmp_path / "train.parquet"), "--target", "emotion",
                 "--model", "logreg", "-o", str(model)]) == EXIT_OK
    _extract(manifest, copy, tmp_path / "copy.parquet")
    capsys.readouterr()
    assert main(["predict", str(model), str(tmp_path / "copy.parquet"),
                 "-o", str(tmp_path / "p1.parquet")]) == EXIT_OK, capsys.readouterr().err
    # "feel" scores anger/anticipation/... 0 in EmoLex; give it fear
    text = lex.read_text(encoding="utf-8")
    assert "feel\tfear\t0\n" in text
    lex.write_text(text.replace("feel\tfear\t0\n", "feel\tfear\t1\n"), encoding="utf-8")
    _extract(manifest, lex, tmp_path / "edited.parquet")
    capsys.readouterr()
    assert main(["predict", str(model), str(tmp_path / "edited.parquet"),
                 "-o", str(tmp_path / "p2.parquet")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "lexicon.lexicons" in err and "has other contents" in err and str(lex) in err
    assert not (tmp_path / "p2.parquet").exists()
