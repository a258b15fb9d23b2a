"""How lexicon files are read: the bulk checks give what reading line by line gives (entries in
the same order, the same first error), a file is parsed once per content in a process, and the
loaders' keys need no second normalisation by :class:`Lexicon`.

The NRC lexicons are read from ../shared/data when present (they may not be redistributed);
every other file is a fixture written here.
"""

from __future__ import annotations

import os

import pytest
from conftest import SHARED_DATA
from emofeat.extractors import _lexicons
from emofeat.extractors._lexicons import Lexicon, LexiconFormatError, _Entries

load_afinn, load_user_lexicon = _lexicons.load_afinn, _lexicons.load_user_lexicon
load_nrc_emolex, load_nrc_vad = _lexicons.load_nrc_emolex, _lexicons.load_nrc_vad
load_nrc_intensity = _lexicons.load_nrc_intensity

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

NRC = SHARED_DATA / "lexicons"
REAL = {"emolex": (load_nrc_emolex, NRC / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"),
        "vad": (load_nrc_vad, NRC / "nrc_vad" / "NRC-VAD-Lexicon.txt"),
        "intensity": (load_nrc_intensity,
                      NRC / "nrc_emotion_intensity" / "NRC-Emotion-Intensity-Lexicon-v1.txt")}
LOADERS = {"user": load_user_lexicon, "emolex": load_nrc_emolex, "vad": load_nrc_vad,
           "intensity": load_nrc_intensity, "afinn": load_afinn}


@pytest.fixture
def line_by_line(monkeypatch):
    """Every row entered by :meth:`_Entries.add` as it is read (the rules' plain form), and no
    parsed file remembered."""
    def add_rows(self, path, rows):
        self._files.append((path, self.lower, rows))
        self._line_by_line()

    monkeypatch.setattr(_Entries, "_add_rows", add_rows)
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    for load in (load_nrc_emolex, load_nrc_vad, load_user_lexicon):
        load.cache_clear()
    _lexicons._afinn_entries.cache_clear()


def _as_read(lex: Lexicon):
    """Everything a loader returns, orders included."""
    return (lex.name, lex.categories, lex.kind,
            [(word, list(scores.items())) for word, scores in lex.entries.items()])


def _load_both(load, path, request):
    _clear_caches()
    bulk = _as_read(load(path))
    request.getfixturevalue("line_by_line")
    return bulk, _as_read(load(path))


@pytest.mark.parametrize("kind", sorted(REAL))
def test_real_nrc_files_read_in_bulk_as_line_by_line(kind, request):
    load, path = REAL[kind]
    if not path.exists():
        pytest.skip(f"real NRC lexicon not available at {path}")
    bulk, plain = _load_both(load, path, request)
    assert bulk == plain and len(bulk[3]) > 5000


def test_bundled_afinn_read_in_bulk_as_line_by_line(request):
    """The bundled word and emoticon files share entries with equal scores (``xo``): kept once,
    where the word file put them."""
    bulk, plain = _load_both(load_afinn, None, request)
    assert bulk == plain and [w for w, _ in bulk[3]].count("xo") == 1


# files with repeated pairs (same score: kept once, another: refused), and two problems, of
# which reading line by line reports the first
FILES = {
    "user": ["happy\tjoy\t2\nhappy\tsad\t-1\nHappy\tjoy\t2\nisn\u2019t\tjoy\t1\nisn't\tjoy\t1\n",
             "happy\tjoy\t2\nhappy\tjoy\t3\nsad\tjoy\n",          # repeat (line 2) then format
             "happy\tjoy\t2\nsad\tjoy\nhappy\tjoy\t3\n",          # format (line 2) then repeat
             "a b c d\tjoy\t1\nhappy\tjoy\tlots\n",               # 4 words (line 1) then score
             "happy\tjoy\t1\n\tjoy\t1\nhappy\tjoy\t2\n"],         # empty word (line 2) then repeat
    "emolex": ["happy\tjoy\t1\nhappy\tfear\t0\nhappy\tjoy\t1\nsad\tjoy\t0\n",
               "happy\tjoy\t1\nhappy\tjoy\t0\nsad\tjoy\t2\n",
               "happy\tjoy\t1\nsad\tjoy\t2\nhappy\tjoy\t0\n"],
    "vad": ["happy\t0.9\t0.5\t0.6\nHAPPY\t0.9\t0.5\t0.6\nsad\t0.1\t0.2\t0.3\n",
            "happy\t0.9\t0.5\t0.6\nhappy\t0.9\t0.4\t0.6\nsad\t0.1\t0.2\n",
            "happy\t0.9\t0.5\t0.6\nsad\t0.1\tx\t0.3\nhappy\t0.1\t0.5\t0.6\n"],
    "intensity": ["happy\tjoy\t0.8\nhappy\tfear\t0.1\nhappy\tjoy\t0.8\n",
                  "happy\tjoy\t0.8\nhappy\tjoy\t0.7\nsad\tjoy\tnan\n"],
    "afinn": ["good\t3\nGood\t3\nbad\t-3\n", "good\t3\ngood\t2\nbad\n", "good\t3\nbad\nGOOD\t1\n",
              "over the moon today\t3\ngood\tx\n"],
}


def _outcome(load, path):
    try:
        return _as_read(load(path))
    except LexiconFormatError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_bulk_checks_report_what_line_by_line_reports(kind, tmp_path, monkeypatch):
    """The same entries, or the same first error, whichever line each problem is on (the rows
    read before a malformed line are checked before the format error is raised)."""
    load = LOADERS[kind]
    got = []
    for k, text in enumerate(FILES[kind]):
        path = tmp_path / f"{kind}{k}.txt"
        path.write_text(text, encoding="utf-8")
        _clear_caches()
        got.append(_outcome(load, path))
    with monkeypatch.context() as m:
        def add_rows(self, path, rows):
            self._files.append((path, self.lower, rows))
            self._line_by_line()

        m.setattr(_Entries, "_add_rows", add_rows)
        for k in range(len(FILES[kind])):
            _clear_caches()
            assert got[k] == _outcome(load, tmp_path / f"{kind}{k}.txt"), (kind, k)
    _clear_caches()
    errors = [g[1] for g in got if g[0] == "error"]
    assert len(errors) == len(FILES[kind]) - 1  # the first file loads; each other one fails
    if kind in ("user", "emolex", "vad", "afinn"):
        # the repeat on line 2 comes before the malformed line 3, and vice versa
        assert ", line 2: " in errors[0] and "is given" in errors[0]
        assert ", line 2: " in errors[1] and "is given" not in errors[1]


def test_lines_read_whole_equal_lines_read_one_by_one(tmp_path):
    """Line numbers, blank and comment lines, CR LF, a lone CR, a byte-order mark, and the
    characters ``str.splitlines`` would break at (a line ends with CR LF, LF or a lone CR, as
    in Python's text mode; the lone CR here ends the empty line 9)."""
    text = ("\ufeffhappy\tjoy\t1\r\n\r\n  # a comment\n#another\n\u3000\n\xa0\t\n"
            "a\x0bb\tjoy\t1\nc\x1cd\u2028e\tjoy\t1\r\n\rf\tjoy\t1\n g # not a comment\tx\t1\n"
            "trailing\tjoy\t1  \r\nlast\tjoy\t1")
    path = tmp_path / "lines.txt"
    path.write_bytes(text.encode("utf-8"))
    got = list(_lexicons._lines(path))
    assert got == list(_lexicons._lines_one_by_one(path))
    assert [no for no, _ in got] == [1, 7, 8, 10, 11, 12, 13]
    assert _lexicons._BLANK_OR_HASH == {"#"} | {c for c in map(chr, range(0x110000))
                                                if c.isspace()}
    for kind in REAL.values():
        if kind[1].exists():
            assert list(_lexicons._lines(kind[1])) == list(_lexicons._lines_one_by_one(kind[1]))


def test_a_file_is_parsed_once_per_content(tmp_path, monkeypatch):
    """Refitting a model loads its lexicon file once; a file rewritten with other scores
    (the same size, at once: its modification time may not move) is read again, and each call
    gets entries of its own."""
    _clear_caches()
    reads = []
    real = _lexicons._lines
    monkeypatch.setattr(_lexicons, "_lines", lambda p, **kw: reads.append(p) or real(p, **kw))
    path = tmp_path / "mine.tsv"
    path.write_text("happy\tjoy\t2\nsad\tjoy\t-2\n", encoding="utf-8")
    first = load_user_lexicon(path)
    first.entries["happy"]["joy"] = 99.0  # a caller changing its copy
    again = load_user_lexicon(path)
    assert len(reads) == 1 and again.entries == {"happy": {"joy": 2.0}, "sad": {"joy": -2.0}}
    assert load_user_lexicon(path, name="other").name == "other" and len(reads) == 2
    path.write_text("happy\tjoy\t3\nsad\tjoy\t-2\n", encoding="utf-8")
    assert load_user_lexicon(path).entries["happy"] == {"joy": 3.0} and len(reads) == 3
    path.write_text("happy\tjoy\t3\nsad\tjoy\tx\n", encoding="utf-8")
    for _ in range(2):  # a failure is not remembered
        with pytest.raises(LexiconFormatError, match="line 2: score 'x'"):
            load_user_lexicon(path)
    assert len(reads) == 5
    for k in range(20):  # more files than are remembered: each still its own entries
        other = tmp_path / f"lex{k}.tsv"
        other.write_text(f"word{k}\tjoy\t{k + 2}\n", encoding="utf-8")
        assert load_user_lexicon(other).entries == {f"word{k}": {"joy": k + 2.0}}
        assert load_user_lexicon(other).entries == {f"word{k}": {"joy": k + 2.0}}
    _clear_caches()


def test_a_user_afinn_file_rewritten_with_its_old_time_is_read_again(tmp_path):
    """AFINN files are remembered by their bytes, not their modification time: a file given
    other scores and its old time back (``cp -p``, ``touch -r``, a rewrite within the clock's
    resolution) gives the new scores."""
    _clear_caches()
    path = tmp_path / "afinn.txt"
    path.write_text("good\t3\nbad\t-3\n", encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert load_afinn(path).entries["good"] == {"score": 3.0}
    path.write_text("good\t1\nbad\t-3\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert load_afinn(path).entries["good"] == {"score": 1.0}
    _clear_caches()


def test_loaders_keys_need_no_second_normalisation():
    """A loader's keys are already what :class:`Lexicon` would make of them, so a loaded
    lexicon skips that pass (``Lexicon._of_keys``): it would change nothing."""
    # the bundled AFINN emoticons included: kept as written (xD, XD), as a Lexicon built in
    # code keeps an emoticon key's case (session 57) while lower-casing its other keys
    lexicons = [load_afinn()] + [load(path) for load, path in REAL.values() if path.exists()]
    for lex in lexicons:
        assert _lexicons._normalised_entries(lex.name, lex.entries) is lex.entries, lex.name
    with pytest.raises(ValueError, match="kind must be one of"):
        Lexicon._of_keys("x", ("a",), {"a": {"a": 1.0}}, "odd")
