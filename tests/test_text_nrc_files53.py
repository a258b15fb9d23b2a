"""An NRC file of another form or kind than the spec names is refused, naming the file and line.

Two cases read without a word until session 53:

- NRC EmoLex's word-level file given as ``("nrc_intensity", path)``: its 0/1 association flags
  are numbers in 0..1, so it loaded as ratings, and every one of its 14,154 words matched in
  all ten categories (the ``_mean`` columns averaged flags, ``positive`` and ``negative`` among
  the "intensities").
- EmoLex's sense-level file (``NRC-Emotion-Lexicon-Senselevel-v0.92.txt``, in the same
  download, ``<term>--<near synonyms><TAB>category<TAB>0|1`` as its README gives the form)
  given as ``("nrc_emolex", path)``: keys such as ``abandon--leave, desert`` match no token,
  so every EmoLex column was 0.

The one-column-per-category form (``NRC-Emotion-Lexicon-ForVariousLanguages.txt``, the
``OneFilePerLanguage`` files) was refused already; the error now says which form it is.
"""

from __future__ import annotations

import pytest
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import (
    LexiconFormatError,
    load_nrc_emolex,
    load_nrc_intensity,
)

EMOLEX = ("lexicons", "nrc_emolex", "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt")
INTENSITY = ("lexicons", "nrc_emotion_intensity", "NRC-Emotion-Intensity-Lexicon-v1.txt")


def test_emolex_given_as_nrc_intensity_is_refused_naming_its_first_zero_line():
    emolex = shared_path(*EMOLEX)
    first = emolex.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first[2] == "0"  # 'aback anger 0': the file's first line is a 0 flag
    with pytest.raises(LexiconFormatError,
                       match=rf"NRC-Emotion-Lexicon-Wordlevel-v0.92.txt, line 1: "
                       rf"'{first[0]}' '{first[1]}' is 0 and every score of the file is 0 or "
                       r"1: association flags.*give an EmoLex file as \('nrc_emolex', path\)"):
        LexiconFeatures(lexicons=[("nrc_intensity", str(emolex))]).fit([])
    # the files of the kinds named load as before
    assert len(load_nrc_emolex(emolex).entries) > 6000
    intensity = load_nrc_intensity(shared_path(*INTENSITY))
    assert intensity.kind == "rating" and len(intensity.entries) > 5000


def _sense_level(tmp_path, synonyms: str):
    """The first 30 words of the real word-level file written in the sense-level form."""
    lines = shared_path(*EMOLEX).read_text(encoding="utf-8").splitlines()[:300]
    path = tmp_path / "NRC-Emotion-Lexicon-Senselevel-v0.92.txt"
    path.write_text("".join(f"{w}--{synonyms}\t{c}\t{f}\n"
                            for w, c, f in (line.split("\t") for line in lines)),
                    encoding="utf-8")
    return path, lines[0].split("\t")[0]


@pytest.mark.parametrize("synonyms", ["backward", "leave, desert", "give up, leave"])
def test_the_sense_level_file_given_as_nrc_emolex_is_refused(tmp_path, synonyms):
    path, word = _sense_level(tmp_path, synonyms)
    with pytest.raises(LexiconFormatError,
                       match=rf"Senselevel-v0.92.txt, line 1: '{word}--{synonyms}' is a word "
                       r"sense \('word--near synonyms'\), as is every key of the file: this is NRC "
                       r"EmoLex's sense-level "
                       r"file .*give the word-level file"):
        LexiconFeatures(lexicons=[("nrc_emolex", str(path))]).fit([])


def test_the_one_column_per_category_form_is_named(tmp_path):
    lines = shared_path(*EMOLEX).read_text(encoding="utf-8").splitlines()[:20]
    cats = list(dict.fromkeys(line.split("\t")[1] for line in lines))
    words = list(dict.fromkeys(line.split("\t")[0] for line in lines))
    flags = {(w, c): f for w, c, f in (line.split("\t") for line in lines)}
    path = tmp_path / "French-NRC-EmoLex.txt"
    path.write_text("English Word\t" + "\t".join(cats) + "\tFrench Word\n" + "".join(
        w + "\t" + "\t".join(flags[w, c] for c in cats) + "\tx\n" for w in words),
        encoding="utf-8")
    with pytest.raises(LexiconFormatError,
                       match=r"French-NRC-EmoLex.txt, line 1: expected 'word<TAB>category"
                       r"<TAB>0\|1' \(this looks like the one-column-per-category form"):
        load_nrc_emolex(path)


def test_a_word_level_file_with_a_few_dashed_keys_loads_and_matches(tmp_path):
    """Only a file of senses alone is the sense-level file (review RD of 949931a): a word-level
    file that holds a key with '--' of its own ('anti--war', a token the tokenizer keeps whole,
    in a user's extension of EmoLex) loads and matches, as before 949931a."""
    lines = shared_path(*EMOLEX).read_text(encoding="utf-8").splitlines()[:300]
    path = tmp_path / "EmoLex-extended.txt"
    cats = list(dict.fromkeys(line.split("\t")[1] for line in lines))
    path.write_text("\n".join(lines) + "\n" + "".join(
        f"anti--war\t{c}\t{int(c == 'anger')}\n" for c in cats), encoding="utf-8")
    lex = load_nrc_emolex(path)
    assert lex.entries["anti--war"] is not None
    X = LexiconFeatures(lexicons=[("nrc_emolex", str(path))], style=False).fit([]).transform(
        ["an anti--war march"])
    names = LexiconFeatures(lexicons=[("nrc_emolex", str(path))], style=False).fit(
        []).get_feature_names_out()
    row = dict(zip(names, X[0], strict=True))
    anger = [v for k, v in row.items() if "anger" in k]
    assert anger and max(anger) > 0, row
