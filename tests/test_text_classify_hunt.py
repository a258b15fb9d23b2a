"""The text-classification journey on the real corpora (a bug hunt): extract, train,
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


def test_text_csv_keeps_identifier_columns_as_strings_through_evaluate(tmp_path, capsys):
    """ISEAR written by load_isear (``subject`` a string) and extracted from CSV keeps its
    subject ids as strings, as an audio manifest's (they became int64: "011001" would be
    11001); evaluating by subject then keeps every row once with its id."""
    if not (TEXT / "isear").is_dir():
        pytest.skip(f"ISEAR is not in {TEXT}")
    import pandas as pd

    from emofeat import read_table
    from emofeat.datasets import load_isear

    isear = load_isear(TEXT / "isear").head(210)
    isear.loc[0:6, "subject"] = "0" + isear.loc[0, "subject"]  # a zero-padded respondent id
    manifest, out = tmp_path / "isear.csv", tmp_path / "isear.parquet"
    isear.to_csv(manifest, index=False)
    assert main(["extract", "--set", "text_surface", str(manifest), "--input-column", "text",
                 "-o", str(out), "-j", "1", "-q"]) == EXIT_OK
    table = read_table(out)
    assert list(table.index["subject"]) == list(isear["subject"])
    report = tmp_path / "report"
    assert main(["evaluate", str(out), "--target", "emotion", "--groups", "subject",
                 "--protocol", "group_kfold", "--folds", "3", "--model", "logreg", "-q",
                 "--report", str(report)]) == EXIT_OK, capsys.readouterr().err
    pred = pd.read_csv(report / "predictions.csv", dtype={"subject": str, "group": str})
    assert list(pred["subject"]) == list(isear["subject"])
    assert list(pred["true"]) == list(isear["emotion"])
    assert pred["group"].iloc[0] == isear["subject"].iloc[0] == "011001"


def test_predict_warns_about_rows_of_empty_texts(tmp_path, capsys):
    """A model trained on CARER lexicon features predicted a class for an empty, a blank and
    a missing (JSON null) text without a word (features of no text: all zeros); it warns,
    naming those rows, and still predicts every row (the table's rows are kept)."""
    manifest = _carer_manifest(tmp_path, n=200)
    train = tmp_path / "train.parquet"
    assert main(["extract", "--set", "lexicon,text_surface", str(manifest), "--input-column",
                 "text", "-o", str(train), "-j", "1", "-q"]) == EXIT_OK
    model = tmp_path / "m.joblib"
    assert main(["train", str(train), "--target", "emotion", "--model", "logreg",
                 "-o", str(model)]) == EXIT_OK
    new = tmp_path / "new.jsonl"
    new.write_text('{"id": "a", "text": "i feel so happy today 😍 #blessed"}\n'
                   '{"id": "b", "text": ""}\n{"id": "c", "text": null}\n'
                   '{"id": "d", "text": "   "}\n{"id": "e", "text": "😡😡"}\n', encoding="utf-8")
    table = tmp_path / "new.parquet"
    assert main(["extract", "--set", "lexicon,text_surface", str(new), "--input-column",
                 "text", "-o", str(table), "-j", "1", "-q"]) == EXIT_OK
    capsys.readouterr()
    out = tmp_path / "pred.parquet"
    assert main(["predict", str(model), str(table), "-o", str(out)]) == EXIT_OK
    err = capsys.readouterr().err
    assert "3 of the 5 rows hold an empty text" in err and "rows 1, 2, 3)" in err, err
    import pandas as pd

    pred = pd.read_parquet(out)
    assert list(pred["id"]) == ["a", "b", "c", "d", "e"] and pred["pred"].notna().all()


def test_predict_on_texts_with_words_gives_no_empty_text_warning():
    """The warning names empty texts only: real CARER texts, an emoji-only text and a lone
    hashtag have tokens."""
    if not (TEXT / "carer").is_dir():
        pytest.skip(f"CARER is not in {TEXT}")
    import warnings

    import pandas as pd
    from emofeat.classifiers import train

    import emofeat
    from emofeat.datasets import load_carer

    texts = load_carer(TEXT / "carer", "val").head(300)
    model = train(emofeat.extract(texts, sets=["lexicon"]), target="emotion", model="logreg")
    new = emofeat.extract(pd.DataFrame({"text": ["😡", "#fail", ":(", "ok"]}), sets=["lexicon"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(model.predict(new)) == 4
    assert not [w for w in caught if "empty text" in str(w.message)]


def test_train_and_evaluate_say_how_many_rows_a_label_map_left_out(tmp_path, capsys):
    """CARER's 'love' has no Ekman label: --label-map ekman drops those rows, which train and
    evaluate did without a word (only the row count changed); they now say how many."""
    manifest = _carer_manifest(tmp_path, n=300)
    import pandas as pd

    n_love = int((pd.read_csv(manifest)["emotion"] == "love").sum())
    assert n_love > 0
    table = tmp_path / "carer.parquet"
    assert main(["extract", "--set", "text_surface", str(manifest), "--input-column", "text",
                 "-o", str(table), "-j", "1", "-q"]) == EXIT_OK
    capsys.readouterr()
    assert main(["train", str(table), "--target", "emotion", "--model", "logreg",
                 "--label-map", "ekman", "-o", str(tmp_path / "m.joblib")]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"emofeat train: note: {n_love} of the table's 300 rows left out" in err, err
    assert "--label-map ekman maps to nothing" in err
    assert f"on {300 - n_love} rows" in err
    assert main(["train", str(table), "--target", "emotion", "--model", "logreg",
                 "-o", str(tmp_path / "m2.joblib")]) == EXIT_OK
    assert "note:" not in capsys.readouterr().err


def test_label_map_on_joined_goemotions_label_sets_points_to_multilabel(tmp_path, capsys):
    """GoEmotions' label sets written as "approval,neutral" and evaluated with --label-map
    ekman but without --multilabel: the refusal said no shipped mapping covers the labels;
    it now says they look like label sets and names --multilabel, which then works."""
    if not (TEXT / "goemotions").is_dir():
        pytest.skip(f"GoEmotions is not in {TEXT}")
    from emofeat.datasets import load_goemotions

    ge = load_goemotions(TEXT / "goemotions", "dev").head(600)
    ge["emotions"] = ge["labels"].map(",".join)
    ge = ge.drop(columns="labels")
    assert ge["emotions"].str.contains(",").any()
    manifest, table = tmp_path / "ge.csv", tmp_path / "ge.parquet"
    ge.to_csv(manifest, index=False)
    assert main(["extract", "--set", "text_surface", str(manifest), "--input-column", "text",
                 "-o", str(table), "-j", "1", "-q"]) == EXIT_OK
    args = ["evaluate", str(table), "--target", "emotions", "--label-map", "ekman",
            "--groups", "comment_id", "--protocol", "group_kfold", "--folds", "3",
            "--model", "logreg", "-q"]
    capsys.readouterr()
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "look like label sets joined by ','" in err and "--multilabel" in err, err
    assert main([*args, "--multilabel"]) == EXIT_OK, capsys.readouterr().err
    # --corpus goemotions: the joined sets map to nothing and their rows were dropped with
    # no word; the note counts them and names --multilabel
    n_joined = int(ge["emotions"].str.contains(",").sum())
    assert main([*args, "--corpus", "goemotions"]) == EXIT_OK, capsys.readouterr().err
    err = capsys.readouterr().err
    assert f"note: {n_joined} of the table's 600 rows left out" in err, err
    assert "are label sets, mapped label by label with --multilabel" in err
