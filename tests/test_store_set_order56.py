"""A resume with the same sets in another order is refused naming the order.

``emofeat extract --set prosody --set mfcc`` into an output written with ``--set mfcc --set
prosody`` is refused (the table's columns follow the sets' order, so the fingerprints
differ), but the refusal named no difference: ``was made with other extraction parameters
(fingerprint ..., now ...)``, while any other difference is named with both values. The
sets' keys were compared as sets, equal. Now ``sets mfcc, prosody there, prosody, mfcc now
(the same sets in another order, ...)``. Real data: one EmoDB recording. Exact text checks
(no tolerance).
"""

from __future__ import annotations

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


def test_sets_in_another_order_are_named(tmp_path, emodb_dir, capsys):
    flac = str(sorted(emodb_dir.glob("03a0*.flac"))[0])
    out = str(tmp_path / "o.parquet")
    assert main(["extract", "-q", "--set", "mfcc", "--set", "prosody", flac, "-o", out]) \
        == EXIT_OK
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "prosody", "--set", "mfcc", flac, "-o", out]) \
        == EXIT_USAGE
    err = capsys.readouterr().err
    assert ("was made with other extraction parameters: sets mfcc, prosody there, prosody, "
            "mfcc now (the same sets in another order") in err, err
    # a parameter that differs too is still named
    assert main(["extract", "-q", "--set", "prosody", "--set", "mfcc", "--param",
                 "mfcc.n_mfcc=20", flac, "-o", out]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "mfcc n_mfcc: 13 there, 20 now" in err and "another order" in err, err
