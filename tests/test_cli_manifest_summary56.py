"""``emofeat extract``'s own summary of a segment-manifest run counts segments, as ``info`` does.

A manifest of three spans of two EmoDB files, one starting after its file's end: ``emofeat
info`` said ``failed: 1 segment of 3 (manifest rows)`` (session 55) while the command's own
summary said ``3 inputs, 2 done, 1 failed, 2 segments`` and ``1 input failed``, listing the
failure by its file's path only, a file that has a row. Now ``3 segments (manifest rows), 2
done, 1 failed, 2 rows`` and ``1 segment failed``, the failure named with its bounds as the
command's warnings name a manifest's segment (``a.flac, segment 50-51 s: ...``). A folder
run still counts inputs. Exact text comparisons (no tolerance).
"""

from __future__ import annotations

import shutil

from emofeat.cli import EXIT_SOME_FAILED, main


def _stderr_lines(capsys, args) -> list[str]:
    capsys.readouterr()
    assert main(args) == EXIT_SOME_FAILED
    return capsys.readouterr().err.splitlines()


def test_manifest_summary_counts_segments(tmp_path, emodb_dir, capsys):
    flacs = sorted(emodb_dir.glob("03a0*.flac"))[:2]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,start,end\n{flacs[0]},0,1\n{flacs[0]},50,51\n{flacs[1]},0,1\n")
    for out in ("ds", "f.parquet"):
        lines = _stderr_lines(capsys, ["extract", "-q", "--set", "mfcc", str(manifest),
                                       "-o", str(tmp_path / out)])
        summary = next(ln for ln in lines if ln.startswith("emofeat extract: "))
        assert summary.startswith("emofeat extract: 3 segments (manifest rows), 2 done, "
                                  "1 failed, 2 rows, "), lines
        errors = tmp_path / ("ds_errors.csv" if out == "ds" else "f.errors.csv")
        at = lines.index(f"1 segment failed, listed in {errors}:")
        assert lines[at + 1].startswith(f"  {flacs[0]}, segment 50-51 s: AudioReadError: "
                                        "segment starts at 50.0 s"), lines
    # the rerun skips the two done: still segments
    lines = _stderr_lines(capsys, ["extract", "-q", "--set", "mfcc", str(manifest),
                                   "-o", str(tmp_path / "ds")])
    assert any(ln.startswith("emofeat extract: 3 segments (manifest rows), 0 done, "
                             "2 skipped (already done), 1 failed, 0 rows, ") for ln in lines)


def test_folder_summary_still_counts_inputs(tmp_path, emodb_dir, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(emodb_dir.glob("03a0*.flac"))[0], folder)
    (folder / "x.wav").write_bytes(b"not audio at all")
    lines = _stderr_lines(capsys, ["extract", "-q", "--set", "mfcc", str(folder), "-o",
                                   str(tmp_path / "ds")])
    assert any(ln.startswith("emofeat extract: 2 inputs, 1 done, 1 failed, 1 segment, 1 row, ")
               for ln in lines), lines
    assert f"1 input failed, listed in {tmp_path / 'ds_errors.csv'}:" in lines
    assert f"  {folder / 'x.wav'}: " in lines[-1], lines


def test_fail_fast_counts_the_segments_kept(tmp_path, emodb_dir, capsys):
    """--fail-fast on a manifest whose third span's file is missing: the two spans done are
    kept, said as 'only completed parts are kept (2 segments in the output; segments done in
    the failing shard ...)' (it said '2 inputs', of one file)."""
    flac = sorted(emodb_dir.glob("03a0*.flac"))[0]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,start,end\n{flac},0,0.5\n{flac},0.5,1\n"
                        f"{tmp_path / 'missing.flac'},0,1\n")
    err = _stderr_lines(capsys, ["extract", "-q", "--fail-fast", "--set", "mfcc",
                                 str(manifest), "-o", str(tmp_path / "ds")])
    assert any(ln.startswith("only completed parts are kept (2 segments in the output; "
                             "segments done in the failing shard are not kept)")
               for ln in err), err
