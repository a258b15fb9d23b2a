"""The ``lexicon`` set: sklearn transformer on the extractor base, FeatureUnion with TF-IDF,
registry, the per-text (runner) path, and the CLI on text manifests."""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pandas as pd
import pytest
from _text_data import carer_texts, goemotions_texts, isear_texts
from conftest import SHARED_DATA
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._vader import vader_scores

from emofeat.cli import main
from emofeat.registry import get_extractor, list_sets
from emofeat.signal import TextSignal

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

TEXTS = ["I LOVE this so much!!! 😍", "not good at all :(", "meh.", "What? No way... really?",
         "This is the worst day ever", "thanks, that is very kind of you", "", None,
         "sooo happy #blessed @amy http://t.co/x", "I am scared and angry"]


def test_registered_as_a_text_set():
    assert "lexicon" in [info.name for info in list_sets("text")["text"]]
    est = get_extractor("lexicon")
    assert isinstance(est, LexiconFeatures) and est.modality == "text"


def test_names_values_and_vader_parity():
    lf = LexiconFeatures().fit(TEXTS)
    X = lf.transform(TEXTS)
    names = list(lf.get_feature_names_out())
    assert X.shape == (len(TEXTS), len(names)) and np.isfinite(X).all()
    assert all(n.startswith("lexicon_") for n in names)
    assert len(set(names)) == len(names)
    np.testing.assert_array_equal(X[:, :4], vader_scores(["" if t is None else t for t in TEXTS]))
    df = lf.set_output(transform="pandas").transform(pd.Series(TEXTS))
    assert list(df.columns) == names


# The reference's side of the VADER columns: vaderSentiment 3.3.2 on the text, and on each of its
# sentences split as the set documents it (docs/text.md, "Sentence aggregates": after ".", "!"
# or "?" followed by white space; blank pieces dropped; mean/min/max of the sentence compounds,
# 0 for a text without a sentence).
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
VADER_WHOLE = ["lexicon_vader_neg", "lexicon_vader_neu", "lexicon_vader_pos",
               "lexicon_vader_compound"]
VADER_AGG = ["lexicon_vader_sent_compound_mean", "lexicon_vader_sent_compound_min",
             "lexicon_vader_sent_compound_max"]
# vaderSentiment returns the compound rounded to 4 decimals, the set keeps it unrounded: a
# sentence compound, and so a mean, min or max of them, differs by at most half a unit in the
# 4th decimal (+ float slack)
ROUNDING = 0.5e-4 + 1e-12


def reference_aggregates(analyzer, text: str) -> list[float]:
    comp = [analyzer.polarity_scores(s)["compound"] for s in SENTENCE_SPLIT.split(text)
            if s.strip()]
    if not comp:
        return [0.0, 0.0, 0.0]
    return [math.fsum(comp) / len(comp), min(comp), max(comp)]


def test_vader_columns_equal_vader_sentiment_on_real_texts(monkeypatch):
    """The set's VADER columns against vaderSentiment on 7,000 sampled real texts (3,000
    GoEmotions, 3,000 ISEAR, 1,000 CARER; seed 11; 10,264 sentences; ~3 s).

    Measured: the four whole-text columns bit-identical; the sentence aggregates within
    4.998e-5 of the aggregates of the reference's rounded compounds (tolerance ROUNDING,
    5e-5: the reference's 4-decimal rounding), min and max rounding to the reference's values
    exactly; and with the reference's final rounding switched off, min and max bit-identical
    and the mean within 1.1e-16 (tolerance 1e-15: the set sums in another order than
    math.fsum)."""
    vs = pytest.importorskip("vaderSentiment.vaderSentiment",
                             reason="reference: pip install vaderSentiment")
    root = SHARED_DATA / "text"
    missing = [c for c in ("goemotions", "isear", "carer") if not (root / c).exists()]
    if missing:
        pytest.skip(f"real data not available: {[str(root / c) for c in missing]} "
                    "(see ../shared/data/README.md)")
    rng = random.Random(11)
    goemotions = [t for split in ("train", "dev", "test") for t in goemotions_texts(root, split)]
    texts = (rng.sample(goemotions, 3000) + rng.sample(isear_texts(root), 3000)
             + rng.sample(carer_texts(root), 1000))
    lf = LexiconFeatures().fit([])  # the default set, as the CLI runs it
    names = list(lf.get_feature_names_out())
    assert [n for n in names if n.startswith("lexicon_vader_")] == VADER_WHOLE + VADER_AGG
    got = lf.transform(texts)
    whole = got[:, [names.index(n) for n in VADER_WHOLE]]
    agg = got[:, [names.index(n) for n in VADER_AGG]]
    analyzer = vs.SentimentIntensityAnalyzer()

    ref_whole = np.array([[d[k] for k in ("neg", "neu", "pos", "compound")]
                          for d in map(analyzer.polarity_scores, texts)])
    n_diff = int((whole != ref_whole).any(axis=1).sum())
    assert n_diff == 0, f"{n_diff} of {len(texts)} texts: whole-text scores not bit-identical"

    ref_agg = np.array([reference_aggregates(analyzer, t) for t in texts])
    diff = np.abs(agg - ref_agg)
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    assert diff.max() <= ROUNDING, (
        f"{VADER_AGG[worst[1]]}: {(diff > ROUNDING).sum()} values differ by more than "
        f"{ROUNDING}; worst {texts[worst[0]]!r}: reference {ref_agg[worst]}, set {agg[worst]}")
    for k in (1, 2):  # the rounded min/max is the min/max of the rounded compounds
        assert [round(float(v), 4) for v in agg[:, k]] == ref_agg[:, k].tolist(), VADER_AGG[k]

    # the reference unrounded: vaderSentiment calls the built-in round only to round the scores
    # it returns (score_valence), so an identity round in its module gives its own raw compound
    monkeypatch.setattr(vs, "round", lambda x, ndigits=None: x, raising=False)
    raw_agg = np.array([reference_aggregates(analyzer, t) for t in texts])
    assert np.abs(agg[:, 0] - raw_agg[:, 0]).max() <= 1e-15
    np.testing.assert_array_equal(agg[:, 1:], raw_agg[:, 1:])


def test_runner_path_equals_batch_path():
    """features_of (one text at a time) and features_of_many (a shard, as the CLI runs) give
    the batch rows, one (1, n_features) row per text."""
    texts = [t or "" for t in TEXTS]
    root = SHARED_DATA / "text"
    if root.exists():
        texts += random.Random(2).sample(goemotions_texts(root, "dev"), 200)
    lf = LexiconFeatures().fit([])
    batch = lf.transform(texts)
    runner_side = LexiconFeatures().fit([])  # another instance, as in a worker process
    signals = [TextSignal(t, f"<text {i}>") for i, t in enumerate(texts)]
    one = np.vstack([runner_side.features_of(s)[0] for s in signals])
    np.testing.assert_array_equal(one, batch)
    many = LexiconFeatures().fit([]).features_of_many(signals)
    assert len(many) == len(texts) and all(r.shape == (1, batch.shape[1]) and t.shape == (0,)
                                           for r, t in many)
    np.testing.assert_array_equal(np.vstack([r for r, _ in many]), batch)


def test_feature_union_with_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import StandardScaler

    texts = [t or "" for t in TEXTS] * 3
    y = np.array([1, 0, 0, 0, 0, 1, 0, 0, 1, 0] * 3)
    lexical = make_pipeline(LexiconFeatures(), StandardScaler())
    union = FeatureUnion([("lexicon", lexical), ("tfidf", TfidfVectorizer(min_df=1))])
    model = make_pipeline(union, LogisticRegression(max_iter=500)).fit(texts, y)
    assert model.score(texts, y) >= 0.9
    names = union.get_feature_names_out()
    assert any(n.startswith("lexicon__lexicon_vader_compound") for n in names)
    assert any(n.startswith("tfidf__") for n in names)
    Xu = union.transform(texts)
    assert Xu.shape == (len(texts), len(names))


def test_parameters(tmp_path):
    user = tmp_path / "mine.tsv"
    user.write_text("happy\tjoy\t1\nscared\tfear\t1\n", encoding="utf-8")
    lf = LexiconFeatures(lexicons=[("user", str(user), "mine")], style=False).fit([])
    names = list(lf.get_feature_names_out())
    assert names == ["lexicon_mine_joy", "lexicon_mine_fear", "lexicon_mine_n_matched"]
    row = lf.set_params(normalise="raw").transform(["happy and scared, not happy"])[0]
    assert list(row) == [1.0, 1.0, 2.0]  # the negated "happy" is not counted (binary)
    for bad in ({"negation": "invert"}, {"normalise": "words"}, {"negation_scope": -1},
                {"stem": "lancaster"}, {"lexicons": "vader"}, {"lexicons": ["nrc_vad"]}):
        with pytest.raises(ValueError):
            LexiconFeatures(**bad).fit([])
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        LexiconFeatures(lexicons=[("nrc_emolex", str(tmp_path / "missing.txt"))]).fit([])


def test_cli_extract_text_manifest(tmp_path):
    csv = tmp_path / "texts.csv"
    pd.DataFrame({"text": ["I love it!!", "not good :(", "", "😂😂", "x" * 5000],
                  "emotion": ["joy", "sadness", "neutral", "joy", "neutral"]}).to_csv(csv,
                                                                                      index=False)
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
                 str(out), "-q"]) == 0
    df = pd.read_parquet(out)
    lf = LexiconFeatures()
    names = list(lf.fit([]).get_feature_names_out())
    assert len(df) == 5 and "emotion" in df.columns
    texts = pd.read_csv(csv, keep_default_na=False)["text"].tolist()
    np.testing.assert_allclose(df[names].to_numpy(), lf.transform(texts), rtol=0, atol=0)
    plain = tmp_path / "texts.txt"
    plain.write_text("great stuff\nterrible\n", encoding="utf-8")
    out2 = tmp_path / "plain.parquet"
    assert main(["extract", "--set", "lexicon", str(plain), "-o", str(out2), "-q"]) == 0
    assert len(pd.read_parquet(out2)) == 2


@pytest.mark.parametrize("where", ["missing.txt", "."])
def test_cli_lexicon_file_that_is_no_file_is_a_usage_error(tmp_path, capsys, where):
    """A lexicon path that does not exist (or is a folder) given to the command: exit 2 and
    the path named (was a traceback saying "this is a bug in emofeat"); the Python API still
    raises FileNotFoundError, now also a ValueError (a bad parameter value)."""
    import json

    csv = tmp_path / "texts.csv"
    csv.write_text("text\nI am happy\n", encoding="utf-8")
    lexicon = str(tmp_path / where)
    rc = main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
               str(tmp_path / "out.parquet"), "-q", "--param",
               "lexicons=" + json.dumps([["nrc_vad", lexicon]])])
    err = capsys.readouterr().err
    assert rc == 2 and "bug" not in err
    want = "lexicon file not found: " if where != "." else "is a folder: give the file"
    assert want in err and str(tmp_path) in err
    with pytest.raises(FileNotFoundError, match=re.escape(want)) as info:
        LexiconFeatures(lexicons=[("nrc_vad", lexicon)]).fit([])
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("lexicons", [["vader", "afinn", "vader"], ["afinn", "vader", "afinn"]])
def test_a_lexicon_given_twice_is_refused_naming_it(tmp_path, capsys, lexicons):
    """``"vader"`` twice was deduplicated without a word while two AFINNs were refused (as
    "two lexicons share a name"): both are now refused the one way, the duplicate named, by
    the API (ValueError) and by the command (exit 2, no output written)."""
    import json

    twice = lexicons[0]
    with pytest.raises(ValueError, match=f"^lexicon '{twice}' given more than once"):
        LexiconFeatures(lexicons=lexicons).fit([])
    csv = tmp_path / "texts.csv"
    csv.write_text("text\nI am happy\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    rc = main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
               str(out), "-q", "--param", "lexicons=" + json.dumps(lexicons)])
    err = capsys.readouterr().err
    assert rc == 2 and f"lexicon '{twice}' given more than once" in err and "bug" not in err
    assert not out.exists()


def test_a_lexicon_name_given_twice_is_refused_before_any_file_is_read(tmp_path, monkeypatch):
    """Regression: the names were checked after every lexicon was loaded, so a name given
    twice waited for the files (a user lexicon's, or an NRC one's) to be read, and a user
    lexicon named 'vader' beside the bundled VADER was told to give 'two lexicons of one
    kind distinct names'. The names known from the specs (the kind, the name given, the
    file's stem) are checked first, no file read; that one is told 'vader' is the bundled
    VADER."""
    from emofeat.extractors import _lexicons

    mine = tmp_path / "My-Words.tsv"
    mine.write_text("happy\tjoy\t1\n", encoding="utf-8")

    def unread(*args, **kwargs):
        raise AssertionError("a lexicon file read before the names were checked")

    cases = [
        (["afinn", ("user", str(mine), "afinn")], "afinn"),
        ([("user", str(mine)), ("user", str(tmp_path / "my_words.txt"))], "my_words"),
        ([("nrc_vad", str(tmp_path / "a.txt")), ("nrc_vad", str(tmp_path / "b.txt"))],
         "nrc_vad"),
    ]
    with monkeypatch.context() as m:
        for name in ("load_user_lexicon", "load_nrc_vad", "load_afinn"):
            m.setattr(_lexicons, name, unread)
        m.setattr(_lexicons, "_LOADERS", {k: unread for k in _lexicons._LOADERS})
        for lexicons, twice in cases:
            with pytest.raises(ValueError, match=rf"^lexicon '{twice}' given more than once "
                               r"\(lexicons \[.*\]\): name each lexicon once"):
                LexiconFeatures(lexicons=lexicons).fit([])
        with pytest.raises(ValueError, match=r"^lexicon 'vader' given more than once "
                           r"\(lexicons \['vader', 'afinn', 'vader'\]\): 'vader' is the "
                           r"bundled VADER; name yours otherwise"):
            LexiconFeatures(lexicons=["vader", "afinn", ("user", str(mine), "vader")]).fit([])
    # named otherwise, it is read: its columns beside VADER's
    got = LexiconFeatures(lexicons=["vader", ("user", str(mine), "mine")]).fit([])
    assert "lexicon_mine_joy" in got.get_feature_names_out()


def test_a_name_of_none_is_no_name_for_every_kind():
    """Regression: ``('user', path, None)`` is a user lexicon named after its file, but
    ``('nrc_vad', path, None)`` was refused as naming an NRC lexicon. None is no name for
    every kind: the real NRC VAD lexicon given so is the one given as ``(kind, path)``."""
    from conftest import shared_path

    path = str(shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt"))
    texts = ["I am so happy and grateful today", "This is a terrible, sad loss"]
    two = LexiconFeatures(lexicons=[("nrc_vad", path)]).fit(texts)
    three = LexiconFeatures(lexicons=[("nrc_vad", path, None)]).fit(texts)
    assert list(three.get_feature_names_out()) == list(two.get_feature_names_out())
    np.testing.assert_array_equal(three.transform(texts), two.transform(texts))


def test_a_name_given_twice_shows_an_entry_of_unknown_form_as_given():
    """Regression: the refusal of a name given twice listed an entry of no known form as
    '?' (lexicons ['afinn', '?', 'afinn']); it shows the entry as given."""
    with pytest.raises(ValueError, match=r"^lexicon 'afinn' given more than once \(lexicons "
                       r"\['afinn', \('user', 3\), 'afinn'\]\)"):
        LexiconFeatures(lexicons=["afinn", ("user", 3), "afinn"]).fit([])


@pytest.mark.parametrize(("lexicons", "problem"), [
    ([("user", 3)], "the entry ('user', 3) has a path of type int, not str or os.PathLike"),
    ([["user", b"x.tsv"]], "the entry ['user', b'x.tsv'] has a path of type bytes"),
    ([3], "the entry 3 is of no known form"),
    ([{"user": "x.tsv"}], "the entry {'user': 'x.tsv'} is of no known form"),
    ([("user", "x.tsv", "mine", "more")], "the entry ('user', 'x.tsv', 'mine', 'more') is of "
                                          "no known form"),
    ([(["user"], "x.tsv")], "the entry (['user'], 'x.tsv') names no lexicon kind read from a "
                            "file (['user'])"),
    ([("user", "LEXICON", 3)], "has a name of type int, not str"),
    # the name was dropped: the columns were lexicon_nrc_vad_*, not lexicon_mine_*
    ([("nrc_vad", "LEXICON", "mine")], "gives the name 'mine' to an 'nrc_vad' lexicon; only "
                                       "('user', path, name) takes a name: drop it"),
    ([("afinn", "LEXICON", 3)], "gives the name 3 to an 'afinn' lexicon; only ('user', path, "
                                "name) takes a name: drop it"),
    ({"vader": 1}, "lexicons must be a list of lexicon specs, got {'vader': 1}"),
    # iterated in an order that changes from one process to the next
    ({"afinn"}, "lexicons must be a list of lexicon specs, got {'afinn'}"),
    ([("user", "FOLDER")], "is a folder: give the file"),
])
def test_a_malformed_lexicon_spec_is_refused_naming_the_parameter(tmp_path, capsys, lexicons,
                                                                   problem):
    """``--param "lexicons=[('user', 3)]"`` raised a TypeError the command took for a bug in
    emofeat (exit 1, a traceback); an unhashable kind, a name that is no str, likewise (an
    AttributeError); a name given to an NRC lexicon was dropped without a word. Now each is
    refused naming ``lexicons`` and the forms an entry may take: from Python a
    ``LexiconSpecError`` (a TypeError and a ValueError), from the command exit 2, no output."""
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("happy\tjoy\t1\n", encoding="utf-8")

    def placed(value):
        if isinstance(value, str):
            return {"LEXICON": str(lexicon), "FOLDER": str(tmp_path)}.get(value, value)
        if isinstance(value, list | tuple):
            return type(value)(placed(v) for v in value)
        return value

    lexicons, problem = placed(lexicons), problem.replace("LEXICON", str(lexicon))
    with pytest.raises((TypeError, ValueError)) as info:
        LexiconFeatures(lexicons=lexicons).fit([])
    assert problem in str(info.value)
    if isinstance(lexicons, list) and "folder" not in problem:
        assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
        assert str(info.value).startswith("lexicons: the entry ")
        assert "an entry is 'vader', 'afinn', a Lexicon, (kind, path)" in str(info.value)
    texts = tmp_path / "texts.txt"
    texts.write_text("I am so happy today\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    rc = main(["extract", "--set", "lexicon", str(texts), "-o", str(out), "-q", "--param",
               f"lexicons={lexicons!r}"])
    err = capsys.readouterr().err
    assert rc == 2 and "bug" not in err and "Traceback" not in err
    assert problem in err
    assert not out.exists()


def test_cli_lexicon_file_that_cannot_be_read_says_so(tmp_path, capsys, monkeypatch):
    """A lexicon file this user may not read (simulated: the tests may run as root): the
    command said "cannot write <the lexicon>: Permission denied"; now the file is named as
    one it cannot read, exit 2, and the API raises a LexiconFormatError (a ValueError)."""
    import errno
    import json
    import pathlib

    from emofeat.extractors._lexicons import LexiconFormatError

    csv = tmp_path / "texts.csv"
    csv.write_text("text\nI am happy\n", encoding="utf-8")
    lexicon = tmp_path / "vad.txt"
    lexicon.write_text("happy\t0.9\t0.7\t0.6\n", encoding="utf-8")
    real = pathlib.Path.read_bytes

    def denied(self):
        if self.name == "vad.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    rc = main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
               str(tmp_path / "out.parquet"), "-q", "--param",
               "lexicons=" + json.dumps([["nrc_vad", str(lexicon)]])])
    err = capsys.readouterr().err
    assert rc == 2 and "cannot write" not in err and "bug" not in err
    assert f"{lexicon}: cannot read it (Permission denied)" in err
    with pytest.raises(LexiconFormatError, match="cannot read it"):
        LexiconFeatures(lexicons=[("nrc_vad", str(lexicon))]).fit([])


def test_parameter_list_matches_signature():
    """The featurizer cache key lists every __init__ parameter (else a change would be missed)."""
    import inspect

    from emofeat.extractors.lexicon import _PARAMS

    assert tuple(inspect.signature(LexiconFeatures.__init__).parameters)[1:] == _PARAMS


def test_bad_input_through_the_transformer():
    texts = [None, float("nan"), "", "😂😂😂", "good but bad " * 8000, "a\ud800b",
             "Это очень хорошо", "\x00\x1c"]
    lf = LexiconFeatures().fit([])
    X = lf.transform(texts)
    assert X.shape == (len(texts), len(lf.get_feature_names_out())) and np.isfinite(X).all()
    np.testing.assert_array_equal(X[0], X[2])
    np.testing.assert_array_equal(X[1], X[2])
    with pytest.raises(Exception, match="text 1"):
        lf.transform(["ok", 3.5])


def test_a_tilde_in_a_lexicon_path_is_the_home_folder_from_python_too(tmp_path, monkeypatch):
    """``get_extractor('lexicon', lexicons=[('nrc_emolex', '~/x')])`` looked for a folder
    named ``~`` (lexicon file not found) where ``emofeat extract --param`` and a manifest's
    paths read it as the home folder: now the loaders read it so, and the run hashes that
    file, on the real NRC lexicons (the same features and content hashes as the absolute
    paths; the provenance records the paths read, the home folder's, the set's own
    parameters keep them as given)."""
    from conftest import shared_path
    from emofeat.extractors._lexicons import load_nrc_emolex

    import emofeat

    home = tmp_path / "home"
    home.mkdir()
    sources = {"emolex.txt": ("nrc_emolex", "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"),
               "vad.txt": ("nrc_vad", "NRC-VAD-Lexicon.txt"),
               "intensity.txt": ("nrc_emotion_intensity", "NRC-Emotion-Intensity-Lexicon-v1.txt")}
    for name, (folder, file) in sources.items():
        (home / name).write_bytes(shared_path("lexicons", folder, file).read_bytes())
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    listed = (("nrc_emolex", "emolex.txt"), ("nrc_vad", "vad.txt"),
              ("nrc_intensity", "intensity.txt"), ("user", "intensity.txt", "mine"))
    specs = {"tilde": [(kind, f"~/{name}", *rest) for kind, name, *rest in listed],
             "absolute": [(kind, str(home / name), *rest) for kind, name, *rest in listed]}
    texts = ["I am so happy and grateful today", "This is a terrible, sad loss"]
    tables = {how: emofeat.extract(texts, "lexicon", params={"lexicons": spec})
              for how, spec in specs.items()}
    tilde, absolute = tables["tilde"], tables["absolute"]
    assert tilde.feature_names == absolute.feature_names
    assert any(n.startswith("lexicon_nrc_emolex_joy") for n in tilde.feature_names)
    np.testing.assert_array_equal(tilde.X, absolute.X)
    # recorded as read, the home folder, as the command records them (it was '~/emolex.txt'
    # from Python: another fingerprint than the command's for one run)
    assert tilde.provenance["sets"] == absolute.provenance["sets"]
    assert list(tilde.provenance["sets"][0]["files"]) == [
        str(home / "emolex.txt"), str(home / "vad.txt"), str(home / "intensity.txt")]
    assert get_extractor("lexicon", lexicons=specs["tilde"]).transform(texts).shape == \
        tilde.X.shape
    assert load_nrc_emolex("~/emolex.txt").entries == \
        load_nrc_emolex(home / "emolex.txt").entries
    assert not (tmp_path / "~").exists()
    assert get_extractor("lexicon", lexicons=specs["tilde"]).lexicons == specs["tilde"]


def test_a_run_with_a_tilde_lexicon_resumes_across_the_command_and_python(tmp_path,
                                                                            monkeypatch,
                                                                            capsys):
    """Regression: a lexicon given as '~/vad.txt' was recorded expanded by the command
    (its --param reads ~ as the home folder) and as typed from Python (in the parameters and
    the provenance's files), so one run had two fingerprints: an output the command wrote
    was refused by emofeat.runner.run resuming it ('made with other extraction parameters
    ... edited since?'), the file unchanged. Both record the home folder's path now. Real
    NRC VAD lexicon."""
    from conftest import shared_path

    from emofeat import read_table
    from emofeat.runner import run

    home = tmp_path / "home"
    home.mkdir()
    (home / "vad.txt").write_bytes(
        shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt").read_bytes())
    monkeypatch.setenv("HOME", str(home))
    texts = tmp_path / "texts.txt"
    texts.write_text("I am so happy today\nThis is a terrible, sad loss\n", encoding="utf-8")
    spec = [("nrc_vad", "~/vad.txt")]
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "lexicon", str(texts), "-o", str(out), "-q", "--param",
                 f"lexicons={spec!r}"]) == 0
    capsys.readouterr()
    wrote = read_table(out)
    # the texts the command read from the file, one a line: all done already
    run(texts.read_text(encoding="utf-8").splitlines(),
        [get_extractor("lexicon", lexicons=spec)], output=str(out))
    again = read_table(out)
    assert len(again) == len(wrote) == 2
    assert again.provenance["sets"] == wrote.provenance["sets"]
