"""A ``.txt`` of texts that is not UTF-8 is refused naming the line, as a CSV is (hunt of
session 52).

Bytes that are not UTF-8 were kept as lone surrogates: GoEmotions dev texts saved as
Windows-1252 (Notepad's "ANSI"; its curly apostrophe is the byte 0x92) read ``don’t`` as
``don\\udc92t`` (no negation, three tokens), and a Latin-1 ``naïve café`` as seven tokens
matching no lexicon entry; the run succeeded with those numbers, while the same texts in a
CSV were refused ("save it as UTF-8"). Now exit 2 before anything is written, naming the file,
the line and the byte; the texts saved as UTF-8 give vaderSentiment's scores.
"""

from __future__ import annotations

import numpy as np
import pytest
from _text_data import goemotions_texts, vader_reference
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import main


@pytest.fixture
def texts() -> list[str]:
    """The first 400 GoEmotions dev texts that Windows-1252 can hold (393; 52 of them with
    a character beyond ASCII, mostly curly quotes)."""
    out = []
    for t in goemotions_texts(shared_path("text"), "dev")[:400]:
        try:
            t.encode("cp1252")
        except UnicodeEncodeError:
            continue
        out.append(t)
    return out


def test_a_windows_1252_txt_is_refused_naming_the_line(tmp_path, capsys, texts):
    txt = tmp_path / "ansi.txt"
    txt.write_bytes("\n".join(texts).encode("cp1252") + b"\n")
    first = next(i for i, t in enumerate(texts) if not t.isascii()) + 1  # 1-based line
    byte = next(c for c in texts[first - 1] if not c.isascii()).encode("cp1252")[0]
    out = tmp_path / "f.parquet"
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "lexicon", str(txt), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err  # 0 before, the texts read with lone surrogates
    assert f"cannot read {txt}: line {first} is not UTF-8 (byte 0x{byte:02x}" in err, err
    assert "save it as UTF-8" in err
    assert not out.exists()


def test_the_same_texts_as_utf8_give_vaders_scores(tmp_path, capsys, texts):
    txt = tmp_path / "utf8.txt"
    txt.write_text("\n".join(texts) + "\n", encoding="utf-8")
    out = tmp_path / "f.parquet"
    assert main(["extract", "-q", "--set", "lexicon", str(txt), "-o", str(out)]) == 0
    table = read_table(out)
    assert list(table.index["text"]) == texts
    cols = [f"lexicon_vader_{c}" for c in ("neg", "neu", "pos", "compound")]
    got = table.to_pandas()[cols].to_numpy()
    np.testing.assert_allclose(got, vader_reference(texts), rtol=0, atol=1e-6)
