"""The script a typical vaderSentiment user writes: ``polarity_scores`` of every text of a CSV,
to parquet. The baseline of ``bench_cli_sets.py --sets lexicon`` (the same work as ``emofeat
extract --set lexicon --param "lexicons=('vader',)" --param style=False --param
vader_sentences=False``: the four VADER columns).

AFINN is not scored here: the ``afinn`` package (the reference of emofeat's AFINN columns) is
not installed in this project's environment.

    python benchmarks/ref_vader_script.py texts.csv out.parquet
"""

from __future__ import annotations

import sys

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main(texts: str, output: str) -> None:
    df = pd.read_csv(texts, keep_default_na=False)
    analyzer = SentimentIntensityAnalyzer()
    rows = [analyzer.polarity_scores(text) for text in df["text"]]
    out = pd.DataFrame(rows).add_prefix("vader_")
    out.insert(0, "text", df["text"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
