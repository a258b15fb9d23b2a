"""A resume refused for parameters and numbers versions says what changed, set by set (session 57).

Until session 57 an output refused where parameters differ AND a set's numbers version
changed read '... was made with other extraction parameters: mfcc n_mfcc: 13 there, 20 now
(...). Besides, the prosody set's numbers changed for the same parameters ...', and the same
'for the same parameters' was said of a set whose own parameters differed; a set moved from
its former class was said to be 'resuming this output' there, where the run also differs in
parameters. ``emofeat info`` printed 'and resumes them' on the line of such a set under the
warning that another set's change refuses that run, and of a model's training table, which
has no rows to resume. A set record without a class was compared as ``None`` ('mfcc class:
None there'). Real data: RAVDESS and EmoDB recordings. The checks are on words (no
tolerance): the words that matter are asserted, not whole sentences.
"""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.prosody import Prosody

from emofeat.cli import EXIT_OK, main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import ParameterMismatchError, fingerprint

NOW = Prosody.numbers_version


def _refused(files, sets, out):
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, sets, output=out)
    return str(refused.value), refused.value.reason


def test_another_parameter_and_another_set_s_numbers_are_said_per_set(
        ravdess_files, tmp_path, monkeypatch):
    """mfcc's n_mfcc differs, prosody's numbers changed for its same parameters."""
    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as m:  # prosody as an emofeat of its version before wrote it
        m.setattr(Prosody, "numbers_version", NOW - 1)
        run(files[:1], [get_extractor("mfcc"), get_extractor("prosody")], output=out)
    said, reason = _refused(files, [get_extractor("mfcc", n_mfcc=20),
                                    get_extractor("prosody")], out)
    assert "Besides" not in said and "besides" not in reason, said
    assert ("was made with other extraction parameters and numbers versions: mfcc n_mfcc: 13 "
            f"there, 20 now; prosody: the same parameters, numbers version {NOW - 1} there, "
            f"{NOW} now (fingerprint") in said, said
    assert reason == ("made with other extraction parameters and numbers versions: mfcc "
                      f"n_mfcc: 13 there, 20 now; prosody: the same parameters, numbers "
                      f"version {NOW - 1} there, {NOW} now"), reason
    assert "These rows were written 20" in said, said


def test_a_set_whose_parameters_and_numbers_changed_is_not_said_the_same(
        ravdess_files, tmp_path, monkeypatch):
    """mfcc's n_mfcc differs and mfcc's numbers changed: 'the mfcc set's numbers changed for
    the same parameters' was false."""
    mfcc = type(get_extractor("mfcc"))
    was = mfcc.numbers_version
    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as m:
        m.setattr(mfcc, "numbers_version", was + 1)
        run(files[:1], [get_extractor("mfcc")], output=out)
    said, reason = _refused(files, [get_extractor("mfcc", n_mfcc=20)], out)
    assert "same parameters" not in said and "same parameters" not in reason, said
    assert (f"mfcc n_mfcc: 13 there, 20 now; mfcc numbers version {was + 1} there, {was} now "
            "(fingerprint") in said, said


def test_a_former_class_is_not_said_to_resume_a_run_of_other_parameters(
        ravdess_files, tmp_path):
    """Written by MFCC(convention="htk") (mfcc_htk, class MFCC, version 1), resumed by
    MFCC.htk(fmin=300) (class MFCCHTK, version 2): 'resuming this output' was said, where
    the run's fmin differs too."""
    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    run(files[:1], [MFCC(**MFCC.htk().get_params())], output=out)
    said, _ = _refused(files, [MFCC.htk(fmin=300.0)], out)
    assert "resuming this output" not in said and "same parameters" not in said, said
    assert ("mfcc_htk fmin: 0.0 there, 300.0 now; mfcc_htk numbers version 1 there, 2 now "
            "(class emofeat.extractors.mfcc.MFCC made these rows") in said, said


def _info_lines(path, capsys):
    capsys.readouterr()
    assert main(["info", str(path)]) == EXIT_OK
    return capsys.readouterr().out.splitlines()


def test_info_does_not_say_resumes_where_another_set_refuses_it(
        ravdess_files, tmp_path, monkeypatch, capsys):
    """mfcc_htk made by its former class beside prosody at its version before: the mfcc_htk
    line said 'and resumes them'; the run of both is refused for prosody."""
    files = [str(f) for f in ravdess_files[:1]]
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as m:
        m.setattr(Prosody, "numbers_version", NOW - 1)
        run(files, [MFCC(**MFCC.htk().get_params()), get_extractor("prosody")], output=out)
    line = next(x for x in _info_lines(out, capsys) if x.startswith("set mfcc_htk "))
    assert "and resumes them" not in line, line
    assert ("emofeat.extractors.mfcc.MFCC, which made these rows, still computes version 1; "
            "the prosody set's numbers changed, so no run of the installed emofeat resumes "
            "them)):") in line, line
    # and that run is refused indeed, for prosody
    with pytest.raises(ParameterMismatchError, match="the prosody set's numbers changed"):
        run(files, [MFCC(**MFCC.htk().get_params()), get_extractor("prosody")], output=out)


def test_info_of_a_model_says_no_rows_are_resumed(emodb_dir, tmp_path, capsys):
    """A model trained on MFCC(convention="htk")'s table: its training table's set line said
    'which made these rows, still computes version 1 and resumes them'."""
    import pandas as pd
    from emofeat.classifiers import train

    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:4]]
    manifest = pd.DataFrame({"path": files, "emotion": ["a", "b", "a", "b"]})
    table = run(manifest, [MFCC(convention="htk")]).table
    train(table, "emotion", "logreg").save(tmp_path / "m.joblib")
    line = next(x for x in _info_lines(tmp_path / "m.joblib", capsys)
                if x.startswith("set mfcc_htk "))
    assert "resumes" not in line and "these rows" not in line, line
    assert ("emofeat.extractors.mfcc.MFCC, which made its training rows, still computes "
            "version 1)):") in line, line


def test_a_set_record_without_a_class_is_said_not_recorded(emodb_dir, tmp_path):
    """An output whose set record lacks the class (emofeat records every set's: edited, or
    another tool's), its fingerprint of that record: 'mfcc class: None there'."""
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    out = tmp_path / "out.parquet"
    run(files[:1], [get_extractor("mfcc")], output=out)
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"emofeat"])
    prov = meta["provenance"]
    for s in prov["sets"]:
        del s["class"]
    prov["fingerprint"] = fingerprint({k: prov[k] for k in ("sets", "level", "segments")})
    pq.write_table(table.replace_schema_metadata(
        {**table.schema.metadata, b"emofeat": json.dumps(meta).encode()}), out)
    said, reason = _refused(files, [get_extractor("mfcc")], out)
    assert "None" not in said and "None" not in reason, said
    assert ("mfcc class: not recorded there, 'emofeat.extractors.mfcc.MFCC' now"
            in reason), reason
    assert ("The output does not record the class that made its rows of the mfcc set: they "
            "cannot be shown to be this run's class's.") in said, said
