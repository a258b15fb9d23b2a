"""An interrupted run of an older numbers version: what its readers advise (session 49).

A run into an output, interrupted (Ctrl-C, a crash), is finished by the same extraction, and
``read_table`` and ``emofeat info`` say so. But where the installed emofeat computes one of
its sets at another numbers version than the run's (an emofeat upgraded between the two: the
egemaps set moved to version 2 in session 48), the same extraction is refused, naming
``--overwrite``: the readers sent the user into that refusal. Found on real EmoDB with an
egemaps run of version 1 killed by SIGINT after 37 of 75 shards
(/tmp/s49_c/r2/kill_mid.py, v1.py). They now say what works: ``--overwrite``.
"""

from __future__ import annotations

import warnings

import pytest
from emofeat.extractors.egemaps import EGeMAPS

from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import IncompleteDatasetWarning, ParameterMismatchError

NOW = EGeMAPS.numbers_version
SAID = (f"installed emofeat computes the egemaps set's numbers at version {NOW}, these "
        f"rows' at {NOW - 1}")


@pytest.fixture(scope="module")
def files(emodb_dir):
    return [str(p) for p in sorted(emodb_dir.glob("*.flac"))[:4]]


def _interrupted(files, out, layout, version):
    """A run into ``out`` at egemaps numbers ``version``, stopped after its parts are
    written (a KeyboardInterrupt before the table is finished)."""
    import emofeat.store as store

    with pytest.MonkeyPatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)
        m.setattr(EGeMAPS, "numbers_version", version)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("egemaps")], output=out, layout=layout, chunk_size=1)


def _info(capsys, path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["info", str(path)])
    got = capsys.readouterr()
    return code, got.out + got.err


def _refused_then_overwritten(files, out, layout):
    """What the advice says is so: the same run is refused, --overwrite finishes it."""
    with pytest.raises(ParameterMismatchError, match="numbers"):
        run(files, [get_extractor("egemaps")], output=out, layout=layout, chunk_size=1)
    result = run(files, [get_extractor("egemaps")], output=out, layout=layout, chunk_size=1,
                 overwrite=True)
    assert result.n_rows == len(files)
    with warnings.catch_warnings():
        warnings.simplefilter("error", IncompleteDatasetWarning)
        table = read_table(out)
    assert table.shape[0] == len(files)
    assert table.provenance["sets"][0]["numbers_version"] == NOW


def test_an_interrupted_dataset_of_older_numbers_is_said_to_need_overwrite(
        tmp_path, files, capsys):
    out = tmp_path / "feats"
    _interrupted(files, out, "dataset", NOW - 1)

    with pytest.warns(IncompleteDatasetWarning) as caught:
        assert read_table(out).shape[0] == len(files)
    said = " ".join(str(w.message) for w in caught)
    assert "has not finished" in said and SAID in said, said
    assert "overwrite=True" in said and "Run the same emofeat extract command" not in said

    code, printed = _info(capsys, out)
    assert code == 0 and SAID in printed and "Run it with --overwrite" in printed, printed
    assert "Run the same emofeat extract command" not in printed
    _refused_then_overwritten(files, out, "dataset")


def test_an_interrupted_file_output_of_older_numbers_is_said_to_need_overwrite(
        tmp_path, files, capsys):
    out = tmp_path / "feats.parquet"
    _interrupted(files, out, "file", NOW - 1)

    with pytest.raises(FileNotFoundError) as got:
        read_table(out)
    assert "not written yet" in str(got.value) and SAID in str(got.value), str(got.value)
    assert "run the same extraction again" not in str(got.value)
    with pytest.raises(ValueError) as got:
        read_table(f"{out}.parts")
    assert SAID in str(got.value) and "overwrite=True" in str(got.value), str(got.value)

    for given in (out, f"{out}.parts"):
        code, printed = _info(capsys, given)
        assert code != 0 and SAID in printed and "Run it with --overwrite" in printed, printed
        assert "run the same extract command" not in printed
    _refused_then_overwritten(files, out, "file")


@pytest.mark.parametrize("layout", ["dataset", "file"])
def test_the_same_numbers_still_say_the_same_run_finishes_it(tmp_path, files, capsys, layout):
    out = tmp_path / ("feats" if layout == "dataset" else "feats.parquet")
    _interrupted(files, out, layout, NOW)
    code, printed = _info(capsys, out)
    assert "installed emofeat computes" not in printed, printed
    assert ("Run the same emofeat extract command again" if layout == "dataset"
            else "run the same extract command again") in printed, printed
    result = run(files, [get_extractor("egemaps")], output=out, layout=layout, chunk_size=1)
    assert result.n_merged == len(files)


def test_a_finished_dataset_of_older_numbers_missing_a_part_is_said_to_need_overwrite(
        tmp_path, files):
    """A part lost from a finished folder: 'rerun the extraction on this folder' is refused
    there too where the installed numbers differ."""
    out = tmp_path / "feats"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(EGeMAPS, "numbers_version", NOW - 1)
        run(files, [get_extractor("egemaps")], output=out, layout="dataset", chunk_size=1)
    sorted(out.glob("part-*.parquet"))[1].unlink()
    with pytest.warns(IncompleteDatasetWarning) as caught:
        assert read_table(out).shape[0] == len(files) - 1
    said = " ".join(str(w.message) for w in caught)
    assert "a part is missing" in said and SAID in said, said
    assert "Rerun the extraction on this folder" not in said, said
    _refused_then_overwritten(files, out, "dataset")
