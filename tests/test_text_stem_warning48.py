"""stem= stems the tokens, not the lexicon words: said with a LexiconWarning.

With stem="porter" the default AFINN columns of "I am so happy and excited, this is
amazing" were 0 without a word ("happy", "excited", "amazing" are the tokens "happi",
"excit", "amaz", and AFINN spells none of them). The numbers are unchanged; the featurizer
says which lexicons' words the stemmer changes, and how many.
"""

from __future__ import annotations

import warnings

import pytest
from emofeat.extractors import LexiconFeatures, LexiconWarning
from emofeat.extractors._lexicons import load_afinn
from emofeat.extractors._text_tokenize import TextTokenizer


@pytest.mark.parametrize("stem", ["porter", "snowball"])
def test_stemming_tokens_beside_an_unstemmed_lexicon_is_said(stem):
    words = {w for key in load_afinn().entries for w in key.split() if w.isalpha()}
    tok = TextTokenizer(stem=stem)
    changed = sum(tok._stem(w) != w for w in words)
    assert changed  # a reference count, from the lexicon and NLTK's stemmer
    with pytest.warns(LexiconWarning, match=(
            rf"stem='{stem}' stems the tokens, not the words of lexicon 'afinn': "
            rf"{changed:,} of its {len(words):,} words change when stemmed \('\w+' is the "
            r"token '\w+'\) and match no token; give a lexicon of stemmed words, or leave "
            r"stem=None")):
        X = LexiconFeatures(stem=stem, style=False).fit_transform(["I am so happy"])
    assert X.shape == (1, 12)


def test_no_word_without_stemming_or_with_a_stemmed_lexicon(tmp_path):
    stemmed = tmp_path / "stems.tsv"
    stemmed.write_text("happi\tjoy\t1\nexcit\tjoy\t1\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LexiconWarning)
        LexiconFeatures().fit_transform(["I am so happy"])
        lf = LexiconFeatures(lexicons=[("user", str(stemmed), "mine")], stem="porter",
                             style=False, normalise="raw")
        X = lf.fit_transform(["so happy and excited"])
    assert X[0, list(lf.get_feature_names_out()).index("lexicon_mine_joy")] == 2.0


@pytest.mark.parametrize("stem", ["porter", "snowball"])
def test_a_lexicon_stemmed_with_the_same_stemmer_is_not_told_to_stem(stem, tmp_path):
    """Review 3 of session 48: AFINN stemmed with the tokenizer's own stemmer, given as the
    user's lexicon, was told to "give a lexicon of stemmed words": the stemmers change some
    stems again ("agreed" -> "agre" -> "agr"), 4-6 % of them, where 56-75 % of an unstemmed
    lexicon's words change."""
    tok = TextTokenizer(stem=stem)
    stems: dict[str, float] = {}
    for key, value in load_afinn().entries.items():
        if " " not in key and key.isalpha():
            stems.setdefault(tok._stem(key), float(value["score"]))
    again = sum(tok._stem(w) != w for w in stems)
    assert 0 < again < len(stems) / 10  # the stemmer moves some stems: what the test is about
    path = tmp_path / "afinn_stems.tsv"
    path.write_text("".join(f"{w}\tvalence\t{v:g}\n" for w, v in stems.items()),
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LexiconWarning)
        lf = LexiconFeatures(lexicons=[("user", str(path), "stems")], stem=stem, style=False,
                             normalise="raw")
        X = lf.fit_transform(["I am so happy and excited, this is amazing"])
    assert X[0, list(lf.get_feature_names_out()).index("lexicon_stems_n_matched")] == 3.0


def test_the_command_says_it_once_with_two_workers(tmp_path):
    """Review 3 of session 48: each worker built its featurizer and said it again (twice
    with -j 2, fork or loky); now it is a parameter check's warning, said once a run."""
    import subprocess
    import sys

    from _text_data import goemotions_texts
    from conftest import shared_path

    texts = goemotions_texts(shared_path("text"), "dev")[:40]
    manifest = tmp_path / "texts.csv"
    import csv

    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text"])
        w.writerows([t] for t in texts)
    for backend in ("fork", "loky"):
        proc = subprocess.run(
            [sys.executable, "-m", "emofeat", "extract", "--set", "lexicon", "--param",
             "stem=porter", str(manifest), "-o", str(tmp_path / f"{backend}.parquet"), "-q",
             "-j", "2", "--chunk-size", "10", "--backend", backend],
            capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.count("stems the tokens, not the words of lexicon 'afinn'") == 1, \
            proc.stderr
