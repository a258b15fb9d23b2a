"""The script a user writes for the surface cues of texts without emofeat: a regular expression
for the tokens, then per text the number of tokens, their characters, the ``!`` and ``?``
tokens and the all-caps words (count, sum, mean of each, as ``emofeat extract --set
text_surface`` gives them, under the same column names), to parquet. The baseline of
``bench_cli_text.py``.

The cues are those of docs/catalogue.md (``text_surface``): tokens are runs of word
characters with inner apostrophes, runs of two or more dots (an ellipsis), or single other
non-space characters; a word token of two
or more characters with a cased letter is all-caps when every cased letter is upper case.

    python benchmarks/ref_text_surface_script.py texts.csv out.parquet
"""

from __future__ import annotations

import math
import re
import sys

import pandas as pd

TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|\.\.+|[^\w\s]")


def caps(token: str) -> int | None:
    """1 for an all-caps word, 0 for another word, None for what is not a cased word."""
    if len(token) < 2 or not (token[0].isalnum() or token[0] == "_"):
        return None
    if token.isupper():
        return 1
    if token.islower() or token != token.upper():
        return 0
    return None


def cues(text: str) -> dict[str, float]:
    tokens = TOKEN.findall(text)
    n = len(tokens)
    words = [c for c in map(caps, tokens) if c is not None]
    row = {}
    for name, values in (("chars", [len(t) for t in tokens]),
                         ("exclamation", [t == "!" for t in tokens]),
                         ("question", [t == "?" for t in tokens]), ("allcaps", words)):
        count = len(values) if name == "allcaps" else n
        total = float(sum(values))
        row[f"text_surface_{name}_count"] = float(count)
        row[f"text_surface_{name}_sum"] = total
        row[f"text_surface_{name}_mean"] = total / count if count else math.nan
    return row


def main(texts: str, output: str) -> None:
    df = pd.read_csv(texts, keep_default_na=False)
    out = pd.DataFrame([cues(text) for text in df["text"]])
    out.insert(0, "text", df["text"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
