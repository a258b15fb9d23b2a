"""Reading a file output whose run was interrupted (hunt of session 48).

A run into ``out.parquet`` keeps its rows in ``out.parquet.parts`` until it finishes. After a
run killed in a notebook (Ctrl-C), ``read_table("out.parquet")`` said only "no such file or
folder" and ``read_table("out.parquet.parts")`` "no parquet parts in this folder" (its parts
are Arrow files), neither of which tells the user that their rows are there and that the same
run finishes the table; ``emofeat info`` has said so since session 39. The reader now says it
too, with the same exception types as before.
"""

from __future__ import annotations

import pytest

from emofeat import read_table
from emofeat.registry import get_extractor
from emofeat.runner import run


def _interrupted(monkeypatch, files, out):
    import emofeat.store as store

    with monkeypatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, chunk_size=1)


def test_reading_an_interrupted_file_output_says_the_run_finishes_it(
        tmp_path, monkeypatch, ravdess_two_speakers_six):
    files = ravdess_two_speakers_six
    out = tmp_path / "out.parquet"
    _interrupted(monkeypatch, files, out)
    assert not out.exists() and (tmp_path / "out.parquet.parts").is_dir()

    with pytest.raises(FileNotFoundError) as got:
        read_table(out)
    said = str(got.value)
    assert "not written yet" in said and "6 inputs extracted so far" in said, said
    assert f"{out}.parts" in said and "run the same extraction again" in said, said
    assert "no such file" not in said

    for given in (f"{out}.parts", f"{out}.parts/"):
        with pytest.raises(ValueError) as got:
            read_table(given)
        said = str(got.value)
        assert f"holds the parts of {out}, not written yet" in said, said
        assert "6 inputs" in said and "no parquet parts" not in said, said

    # the way out: the same run finishes the table (nothing extracted again)
    result = run(files, [get_extractor("mfcc")], output=out, chunk_size=1)
    assert result.n_merged == 6
    assert read_table(out).shape[0] == 6


def test_a_missing_output_and_an_empty_parts_folder_are_said_as_before(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        read_table(tmp_path / "none.parquet")
    (tmp_path / "none.parquet.parts").mkdir()  # no part in it: nothing of a run to name
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        read_table(tmp_path / "none.parquet")
    with pytest.raises(ValueError, match="no parquet parts in this folder"):
        read_table(tmp_path / "none.parquet.parts")
