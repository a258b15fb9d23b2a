"""A manifest's URLs (``https://``, ``s3://``, ``file://``) fail their rows naming the URL as
written and why, and a typed URL is refused as typed (hunt of session 50).

Label tools and dataset hubs export URLs for the audio. A manifest listing
``https://example.com/a.wav`` failed its row as ``<manifest folder>/https:/example.com/a.wav:
no such file``: joined to the manifest's folder, pathlib dropping one ``/``, a path nobody
wrote, without a word of why; ``file:///.../03-01-01-01-01-01-01.flac``, a RAVDESS file's own
URL, the same. A URL is now kept as written (emofeat.datasets.load_manifest and the command's
fast CSV reader alike) and its row's error says that emofeat reads files on disk, a file URL
naming the path to give. Windows paths with a drive (``C:\\data\\a.wav``) are said to be one.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.datasets import load_manifest

URL_SAID = "(a URL: emofeat reads files on disk, not over a network"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_manifest_s_urls_fail_as_written_saying_why(tmp_path, capsys, ravdess_two_speakers_six,
                                                       suffix):
    good = ravdess_two_speakers_six[0]
    rows = [(good, "a"), ("https://example.com/a.wav", "b"), ("s3://bucket/b.flac", "c"),
            (f"file://{good}", "d"), ("C:\\data\\c.wav", "e")]
    manifest = tmp_path / f"m{suffix}"
    if suffix == ".csv":
        manifest.write_text("path,emotion\n" + "".join(f"{p},{e}\n" for p, e in rows),
                            encoding="utf-8")
    else:
        manifest.write_text("".join(json.dumps({"path": p, "emotion": e}) + "\n"
                                    for p, e in rows), encoding="utf-8")
    listed = load_manifest(manifest, check_files=False).path.tolist()
    assert listed[:4] == [p for p, _ in rows[:4]], listed  # URLs as written
    out = tmp_path / "o.parquet"
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)]) == 3
    assert pd.read_parquet(out).path.tolist() == [good]
    errors = pd.read_csv(tmp_path / "o.errors.csv").set_index("path").message
    assert list(errors.index[:3]) == [p for p, _ in rows[1:4]], errors
    for url in (rows[1][0], rows[2][0]):
        assert errors[url].startswith(f"no such file {URL_SAID}"), errors[url]
    assert errors[f"file://{good}"] == f"no such file (a file URL: give the file's path, {good})"
    windows = str(tmp_path / "C:\\data\\c.wav")
    assert errors[windows].startswith("no such file (a Windows path, C:\\data\\c.wav?"), errors


def test_a_typed_url_is_refused_as_typed(tmp_path, capsys):
    out = str(tmp_path / "o.parquet")
    for argv in (["https://example.com/a.wav"], ["--set", "lexicon", "s3://bucket/t.txt"]):
        capsys.readouterr()
        assert main(["extract", "-q", *argv, "-o", out]) == 2
        err = capsys.readouterr().err
        assert f"{argv[-1]}: no such file or folder {URL_SAID}" in err, err
