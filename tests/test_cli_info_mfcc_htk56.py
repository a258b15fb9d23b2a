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

Review RC2: the same table made by ``MFCC(convention="htk")`` (class ``MFCC``, numbers version
1, as the set was made before) is resumed by that run, so "the same extraction is refused"
was half the truth: ``info`` and the unfinished output's advice now say both sides, and an
interrupted ``MFCC(convention="htk")`` run is told that its class resumes it (and it does).
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
            "emofeat computes numbers version 2 (class emofeat.extractors.mfcc.MFCCHTK; "
            "emofeat.extractors.mfcc.MFCC, which made these rows, still computes version 1 "
            "and resumes them)):") in lines, lines
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
    # both sides (review RC2): the set now refuses them, the class that made them resumes
    assert ("the mfcc_htk set now (get_extractor('mfcc_htk')) is class "
            "emofeat.extractors.mfcc.MFCCHTK at numbers version 2 and refuses these rows"
            ) in said, said
    assert "overwrite" in said, said
    assert ("emofeat.extractors.mfcc.MFCC with the parameters recorded, still computes "
            "version 1 and resumes them") in said, said


def test_an_interrupted_former_class_run_is_told_it_resumes(tmp_path, emodb_dir, monkeypatch):
    import warnings

    import emofeat.store as store
    from emofeat import read_table

    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    out = tmp_path / "feats"
    with monkeypatch.context() as m:  # the run stops before it finishes the table
        m.setattr(store.FeatureStore, "finalize", killed)
        try:
            run(files, [MFCC(convention="htk")], output=out, layout="dataset", chunk_size=1)
        except KeyboardInterrupt:
            pass
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_table(out)
    said = " | ".join(str(w.message) for w in caught)
    assert "the same extraction is refused" not in said, said
    assert "still computes version 1 and resumes them" in said, said
    # and it does: the same run finishes the table, extracting nothing again
    res = run(files, [MFCC(convention="htk")], output=out, layout="dataset", chunk_size=1)
    assert (res.n_rows, len(read_table(out))) == (0, len(files)), res.n_rows
