"""A segment manifest's rows are segments in every line of ``emofeat extract``, not inputs.

bd5f09a made the summary and the failures of a segment-manifest run count segments (``3
segments (manifest rows)``, ``1 segment failed``), as ``emofeat info`` does, but other lines
of the same run still said inputs (review RC of session 56): a run whose every segment failed
said ``wrote OUT without rows: every input failed`` (``every input failed: OUT kept as it
was`` under ``--overwrite``), and a segment listed twice was ``1 input is listed more than
once (such as a.flac)``, naming a file whose other segments were listed once. Now ``every
segment failed`` and ``1 segment is listed more than once (such as a.flac, segment 0-1 s)``.
A folder run still says inputs. Real data: one EmoDB recording (2 s). Exact text checks (no
tolerance).
"""

from __future__ import annotations

import logging

from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, main
from emofeat.datasets import load_manifest
from emofeat.registry import get_extractor
from emofeat.runner import run


def _err(capsys, args, code) -> str:
    capsys.readouterr()
    assert main(args) == code
    return capsys.readouterr().err


def test_every_segment_failed(tmp_path, emodb_dir, capsys):
    flac = sorted(emodb_dir.glob("03a0*.flac"))[0]
    manifest = tmp_path / "m.csv"  # both spans start after the file's end (2 s)
    manifest.write_text(f"path,start,end\n{flac},50,51\n{flac},60,61\n")
    out = str(tmp_path / "o.parquet")
    err = _err(capsys, ["extract", "-q", "--set", "mfcc", str(manifest), "-o", out],
               EXIT_SOME_FAILED)
    assert f"wrote {out} without rows: every segment failed (the same command" in err, err
    err = _err(capsys, ["extract", "-q", "--set", "mfcc", str(manifest), "-o", out,
                        "--overwrite"], EXIT_SOME_FAILED)
    assert f"every segment failed: {out} kept as it was" in err, err
    assert "input" not in err, err
    # a folder of one unreadable file: inputs still
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.wav").write_bytes(b"not audio at all")
    out = str(tmp_path / "f.parquet")
    err = _err(capsys, ["extract", "-q", "--set", "mfcc", str(folder), "-o", out],
               EXIT_SOME_FAILED)
    assert f"wrote {out} without rows: every input failed" in err, err


def test_a_segment_listed_twice(tmp_path, emodb_dir, caplog):
    flac = sorted(emodb_dir.glob("03a0*.flac"))[0]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,start,end\n{flac},0,1\n{flac},0,1\n{flac},0.5,1\n")
    want = [f"1 segment is listed more than once (such as {flac}, segment 0-1 s): each is "
            "extracted once, one row where it is first listed"]
    with caplog.at_level(logging.WARNING, logger="emofeat.runner"):
        assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o",
                     str(tmp_path / "o.parquet")]) == EXIT_OK
    said = [r.getMessage() for r in caplog.records if "more than once" in r.getMessage()]
    assert said == want, said
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="emofeat.runner"):
        # in memory, no output: the same
        run(load_manifest(str(manifest)), [get_extractor("mfcc")])
    said = [r.getMessage() for r in caplog.records if "more than once" in r.getMessage()]
    assert said == want, said
