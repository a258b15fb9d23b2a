"""``emofeat info`` of an mfcc_htk table written before 12c1d64 says the set's numbers moved.

Until 12c1d64 the ``mfcc_htk`` set was ``MFCC(convention="htk")`` (class ``MFCC``, numbers
version 1); since, it is class ``MFCCHTK`` at numbers version 2 (HTK's passband with
fmin/fmax), and such an output is refused on resume naming the change (34755c4). But
``emofeat info`` of the table said only ``set mfcc_htk (emofeat.extractors.mfcc.MFCC; numbers
version 1)``: the registry took the two classes as unrelated sets, whose versions are not
comparable (review RC of session 56). Now ``...; the installed emofeat computes numbers
version 2 (class emofeat.extractors.mfcc.MFCCHTK))``, and an unfinished such output's advice
sends the user to ``--overwrite``, as the resume refuses it. Real data: one EmoDB recording.
Exact text checks (no tolerance).
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from emofeat.extractors.mfcc import MFCC

from emofeat.cli import EXIT_OK, main
from emofeat.registry import get_extractor, installed_numbers_version
from emofeat.runner import run


def test_info_names_the_new_version_and_class(tmp_path, emodb_dir, capsys):
    flac = str(sorted(emodb_dir.glob("03a0*.flac"))[0])
    out = tmp_path / "old.parquet"
    # what the set made before 12c1d64: MFCC with HTK's conventions, recorded as mfcc_htk
    run([flac], [MFCC(**get_extractor("mfcc_htk").get_params())], output=out)
    sets = json.loads(pq.read_schema(out).metadata[b"emofeat"])["provenance"]["sets"]
    assert (sets[0]["name"], sets[0]["class"], sets[0]["numbers_version"]) == (
        "mfcc_htk", "emofeat.extractors.mfcc.MFCC", 1)
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert ("set mfcc_htk (emofeat.extractors.mfcc.MFCC; numbers version 1; the installed "
            "emofeat computes numbers version 2 (class emofeat.extractors.mfcc.MFCCHTK)):"
            ) in lines, lines
    # the plain mfcc set (class MFCC too) is no former mfcc_htk: unchanged, nothing said
    assert installed_numbers_version("mfcc", "emofeat.extractors.mfcc.MFCC") == 1
    # another class under the name stays not comparable
    assert installed_numbers_version("mfcc_htk", "mypackage.Other") is None


def test_an_unfinished_old_output_is_sent_to_overwrite(tmp_path):
    from emofeat.store import refused_again

    # its run file's sets (none here: the provenance's), as read_table and info read them
    old = {"sets": [{"name": "mfcc_htk", "class": "emofeat.extractors.mfcc.MFCC",
                     "numbers_version": 1, "params": {}}]}
    said = refused_again(tmp_path / "none", old)
    assert said.startswith("the installed emofeat computes the mfcc_htk set's numbers at "
                           "version 2, these rows' at 1"), said
    assert "overwrite" in said, said
