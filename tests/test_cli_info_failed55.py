"""``emofeat info`` says how many inputs failed in the run that wrote the output.

A folder of three EmoDB recordings and a file that is no audio, extracted with -j 2: the run
listed the failure in its errors table and recorded ``n_failed`` in the provenance, but
``info`` said ``inputs: 3`` and nothing of the fourth file, as if the folder had been
extracted whole. Now it prints ``failed: 1 input of 4 in the run that wrote it, without rows,
listed in <errors table>``; a rerun that extracts it (the file mended) leaves no such line.
Exact text comparisons (no tolerance).
"""

from __future__ import annotations

import shutil

import pytest

from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, main


def _info_lines(capsys, out) -> list[str]:
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_OK
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("output", ["ds", "f.parquet"])
def test_info_counts_the_failed_inputs(tmp_path, emodb_dir, capsys, output):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted(emodb_dir.glob("03a0*.flac"))[:3]:
        shutil.copy(f, folder / f.name)
    bad = folder / "x.wav"
    bad.write_bytes(b"not audio at all")
    out = tmp_path / output
    args = ["extract", "-q", "-j", "2", "--set", "mfcc", str(folder), "-o", str(out)]
    assert main(args) == EXIT_SOME_FAILED
    errors = tmp_path / ("ds_errors.csv" if output == "ds" else "f.errors.csv")
    assert errors.is_file()
    lines = _info_lines(capsys, out)
    assert "inputs: 3" in lines
    assert (f"failed: 1 input of 4 in the run that wrote it, without rows, listed in {errors} "
            "(the same command tries them again)") in lines, lines
    shutil.copy(sorted(emodb_dir.glob("03a0*.flac"))[3], bad.with_suffix(".flac"))
    bad.unlink()  # mended: the rerun extracts it, nothing fails
    assert main(args) == EXIT_OK
    lines = _info_lines(capsys, out)
    assert "inputs: 4" in lines and not any(ln.startswith("failed:") for ln in lines), lines


def test_info_counts_failed_manifest_segments_as_segments(tmp_path, emodb_dir, capsys):
    """A segment manifest (review RC of 2603819, helper C3): one SPAN of three failed (it starts
    after its file's end) while both files have rows; info said 'failed: 1 input of 3 ...,
    without rows'."""
    flacs = sorted(emodb_dir.glob("03a0*.flac"))[:2]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,start,end\n{flacs[0]},0,1\n{flacs[0]},50,51\n{flacs[1]},0,1\n")
    out = tmp_path / "ds"
    args = ["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)]
    assert main(args) == EXIT_SOME_FAILED
    errors = tmp_path / "ds_errors.csv"
    lines = _info_lines(capsys, out)
    assert (f"failed: 1 segment of 3 (manifest rows) in the run that wrote it, listed in "
            f"{errors} (the same command tries them again)") in lines, lines
    assert not any("without rows" in ln for ln in lines), lines
