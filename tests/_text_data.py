"""Readers for the real text corpora in ../shared/data/text, used by the text tests and benchmarks.

Each returns a plain list of strings (the texts), in file order, or skips the calling test (with
the reason) when the corpus is absent.
"""

from __future__ import annotations

from pathlib import Path


def goemotions_texts(root: Path, split: str = "train") -> list[str]:
    """GoEmotions: TSV without header, columns text, label_ids, comment_id."""
    texts = []
    with open(root / "goemotions" / f"{split}.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                texts.append(line.split("\t")[0])
    return texts


def carer_texts(root: Path, split: str = "train") -> list[str]:
    """CARER: ``text;label_name`` with one header line."""
    with open(root / "carer" / f"{split}.txt", encoding="utf-8") as f:
        lines = f.read().splitlines()[1:]
    return [line.rsplit(";", 1)[0] for line in lines if line]


def isear_texts(root: Path) -> list[str]:
    """ISEAR: '|'-separated, the text is everything between field 40 and the last two fields.

    Some texts contain '|', so the line is parsed by position (see ../shared/data/README.md).
    """
    with open(root / "isear" / "isear.csv", encoding="utf-8") as f:
        lines = f.read().split("\n")[1:]
    texts = []
    for line in lines:
        fields = line.rstrip("\r").split("|")
        if len(fields) < 43:
            continue
        texts.append("|".join(fields[40:-2]))
    return texts


def all_texts(root: Path) -> dict[str, list[str]]:
    """Every corpus and split named above: {"goemotions/train": [...], ...}."""
    out = {}
    for split in ("train", "dev", "test"):
        out[f"goemotions/{split}"] = goemotions_texts(root, split)
    for split in ("train", "val", "test"):
        out[f"carer/{split}"] = carer_texts(root, split)
    out["isear"] = isear_texts(root)
    return out


def vader_reference(texts: list[str]):
    """vaderSentiment's (neg, neu, pos, compound) of each text as an (n, 4) array, or skips the
    calling test when the reference is not installed."""
    import numpy as np
    import pytest

    vs = pytest.importorskip("vaderSentiment.vaderSentiment",
                             reason="reference: pip install vaderSentiment")
    ref = vs.SentimentIntensityAnalyzer()
    return np.array([[ref.polarity_scores(t)[c] for c in ("neg", "neu", "pos", "compound")]
                     for t in texts]).reshape(len(texts), 4)
