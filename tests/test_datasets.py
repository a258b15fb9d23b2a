"""Bundled sample and corpus loaders."""

from pathlib import Path

import pandas as pd
import pytest

from emofeat.datasets import SAMPLE_DIR, load_emodb, load_manifest, load_ravdess


def test_sample_is_small_balanced_and_licensed(sample):
    assert len(sample) == 240
    assert sample.emotion.nunique() == 8
    genders = sample.groupby("speaker").gender.first()
    assert (genders == "female").sum() >= 2 and (genders == "male").sum() >= 2
    assert all(Path(p).is_file() for p in sample.path)
    size = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    assert size <= 10 * 2**20
    text = (SAMPLE_DIR / "LICENSE.txt").read_text()
    assert "CC BY-NC-SA 4.0" in text and "Livingstone" in text
    assert sample.speaker.iloc[0] == "09"  # codes stay strings


def test_sample_labels_agree_with_file_names(sample):
    parsed = load_ravdess(SAMPLE_DIR)
    merged = sample.merge(parsed, on="path", suffixes=("", "_parsed"))
    for col in ("speaker", "gender", "emotion", "intensity"):
        assert (merged[col] == merged[f"{col}_parsed"]).all(), col


def test_ravdess_loader_matches_shared_labels(ravdess_dir):
    ours = load_ravdess(ravdess_dir)
    ref = load_manifest(ravdess_dir / "labels.csv")
    assert len(ours) == len(ref) == 1440
    m = ours.merge(ref, on="path", suffixes=("", "_ref"))
    assert len(m) == 1440
    for col in ("speaker", "gender", "emotion", "intensity"):
        assert (m[col] == m[f"{col}_ref"]).all(), col


def test_emodb_loader_matches_shared_labels(emodb_dir):
    ours = load_emodb(emodb_dir)
    ref = load_manifest(emodb_dir / "labels.csv")
    m = ours.merge(ref, on="path", suffixes=("", "_ref"))
    assert len(ours) == len(m) == 535
    for col in ("speaker", "gender", "emotion"):
        assert (m[col] == m[f"{col}_ref"]).all(), col
    assert ours.emotion.value_counts()["anger"] == 127


def test_manifest_resolves_relative_paths_and_reports_missing(tmp_path, sample):
    src = Path(sample.path.iloc[0])
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / src.name).write_bytes(src.read_bytes())
    pd.DataFrame({"path": [f"audio/{src.name}"], "speaker": ["007"], "valence": [0.5]}).to_csv(
        tmp_path / "m.csv", index=False)
    m = load_manifest(tmp_path / "m.csv")
    assert Path(m.path[0]).is_absolute() and m.speaker[0] == "007" and m.valence[0] == 0.5
    pd.DataFrame({"path": ["nope.wav"]}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(FileNotFoundError, match="1 listed files do not exist"):
        load_manifest(tmp_path / "bad.csv")
    pd.DataFrame({"file": ["x"]}).to_csv(tmp_path / "nopath.csv", index=False)
    with pytest.raises(ValueError, match="'path' column"):
        load_manifest(tmp_path / "nopath.csv")


def test_loaders_refuse_wrong_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        load_ravdess(tmp_path / "none")
    with pytest.raises(FileNotFoundError, match="no files named like"):
        load_emodb(tmp_path)


def test_manifest_paths_keep_their_spelling_so_outputs_resume(tmp_path):
    """Paths are the resume keys of an output: a manifest in a sibling folder (``../wav/``)
    must give the keys it gave before, so that a rerun adds only new inputs (normalising
    ``..`` away re-extracted every input of such an output and doubled its rows)."""
    from emofeat.cli import main
    from emofeat.columns import read_manifest_csv

    src = sorted(SAMPLE_DIR.rglob("*.flac"))[:2]
    (tmp_path / "wav").mkdir()
    (tmp_path / "meta").mkdir()
    for k, f in enumerate(src):
        (tmp_path / "wav" / f"{k}.flac").write_bytes(f.read_bytes())
    csv = tmp_path / "meta" / "m.csv"
    csv.write_text("path,emotion\n../wav/0.flac,x\n")
    want = [str(tmp_path.resolve() / "meta" / ".." / "wav" / "0.flac")]
    assert load_manifest(csv)["path"].tolist() == want
    fast = read_manifest_csv(csv)
    assert fast is None or list(fast.column("path")) == want
    out = tmp_path / "o.parquet"
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    csv.write_text("path,emotion\n../wav/0.flac,x\n../wav/1.flac,y\n")
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    assert pd.read_parquet(out)["emotion"].tolist() == ["x", "y"]
