"""A resume with other sets is refused naming the sets, without dumping their records.

``emofeat extract --set prosody`` into an output written with ``--set mfcc`` is refused as
``made with other extraction parameters: sets mfcc there, prosody now (fingerprint ...)``.
019b4c6 (naming the sets' order) let the branch meant for sets records of no known shape run
here too, so the refusal went on with both sets' whole records (1,467 characters of
``[{'name': 'mfcc', 'class': ..., 'params': {...}}]``), which told nothing more (review RC of
session 56). Real data: one EmoDB recording. Exact text checks (no tolerance).
"""

from __future__ import annotations

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


def test_other_set_named_without_the_records(tmp_path, emodb_dir, capsys):
    flac = str(sorted(emodb_dir.glob("03a0*.flac"))[0])
    out = str(tmp_path / "o.parquet")
    assert main(["extract", "-q", "--set", "mfcc", flac, "-o", out]) == EXIT_OK
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "prosody", flac, "-o", out]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "other extraction parameters: sets mfcc there, prosody now (fingerprint" in err, err
    assert "'params'" not in err, err
    # a set added beside the same one: named by the sets, not by records either
    assert main(["extract", "-q", "--set", "mfcc", "--set", "prosody", flac, "-o", out]) \
        == EXIT_USAGE
    err = capsys.readouterr().err
    assert "sets mfcc there, mfcc, prosody now (fingerprint" in err, err
    assert "'params'" not in err, err


def test_a_set_on_both_sides_is_compared_beside_an_added_one(tmp_path, emodb_dir, capsys):
    """``--set mfcc`` there, ``--set mfcc --param n_mfcc=20 --set prosody`` now: the sets were
    said, and mfcc's changed parameter was not (review RC2 of 1fe4ab3): each set both name is
    compared parameter by parameter."""
    flac = str(sorted(emodb_dir.glob("03a0*.flac"))[0])
    out = str(tmp_path / "o.parquet")
    assert main(["extract", "-q", "--set", "mfcc", flac, "-o", out]) == EXIT_OK
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", "--param", "n_mfcc=20", "--set", "prosody",
                 flac, "-o", out]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert ("other extraction parameters: sets mfcc there, mfcc, prosody now; mfcc n_mfcc: 13 "
            "there, 20 now (fingerprint") in err, err
