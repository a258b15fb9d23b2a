"""``--fail-fast`` says that the same command stops at the same input until it is fixed (session 57).

A run stopped by ``--fail-fast`` at a corrupt FLAC said 'run the same command again to
resume'; the same command extracts what is left before it and stops at that input again,
each time (41 RAVDESS inputs with one truncated copy: 32, then 37 inputs kept, then 37,
the same line each time). The line now says it stops there until the input is fixed or
left out, or that without ``--fail-fast`` the run records it and goes on; both are checked.
Real data: EmoDB recordings and a truncated copy of one. Words and counts are exact.
"""
from __future__ import annotations

import shutil

from emofeat import read_table
from emofeat.cli import main


def test_the_stop_says_the_same_command_stops_there_again(emodb_dir, tmp_path, capsys):
    files = [tmp_path / p.name for p in sorted(emodb_dir.glob("03a0*.flac"))[:3]]
    for f, p in zip(files, sorted(emodb_dir.glob("03a0*.flac"))[:3], strict=True):
        shutil.copy(p, f)
    bad = tmp_path / "broken.flac"
    bad.write_bytes(files[0].read_bytes()[:5000])
    out = tmp_path / "feats"
    argv = ["extract", "--set", "mfcc", str(files[0]), str(bad), *map(str, files[1:]),
            "-o", str(out), "--chunk-size", "1", "--fail-fast"]
    for _ in range(2):  # the same command stops at the same input again
        capsys.readouterr()
        assert main(argv) == 3
        err = capsys.readouterr().err
        assert "broken.flac" in err, err
        assert ("run the same command again to resume: it stops at that input again until "
                "it is fixed or left out of the inputs (without --fail-fast the run records "
                "the failures in feats_errors.csv and goes on)") in err, err
    # the way on that the line gives: without --fail-fast, the rest is extracted
    assert main(argv[:-1]) == 3
    assert len(read_table(out)) == 3
