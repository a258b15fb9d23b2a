"""``emofeat.runner.run``'s output options checked as ``emofeat extract``'s are (hunt of
session 53).

The command refuses an output named like another format (``-o features.csv``), a folder name
with ``--format file`` and ``--scheduler`` with ``--backend fork``/``loky``; ``run`` took
them: ``output="features.csv"`` wrote a folder of parquet parts named ``features.csv``,
``output="feats/", layout="file"`` a file ``feats``, and ``backend="fork"`` with a scheduler
went to the cluster, the backend asked for ignored. One check
(:func:`emofeat._run_options.check_output`) now serves both, each naming the options as its
caller types them.
"""

from __future__ import annotations

import pytest

from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.fixture
def paths(emodb_dir) -> list[str]:
    return [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]


@pytest.mark.parametrize("name", ["features.csv", "features.json", "features.feather"])
def test_an_output_named_like_another_format_is_refused(tmp_path, paths, name):
    out = tmp_path / name
    suffix = name.rsplit(".", 1)[1].upper()
    with pytest.raises(ValueError, match=rf"^output='.*{name}': run writes parquet, not "
                                         rf"{suffix}: give a \.parquet file"):
        run(paths, [get_extractor("mfcc")], output=out)
    assert not out.exists()  # before: a folder of parquet parts named so


def test_a_folder_name_with_the_file_layout_is_refused(tmp_path, paths):
    out = f"{tmp_path / 'feats'}/"
    with pytest.raises(ValueError, match=r"names a folder, and layout='file' writes one file"):
        run(paths, [get_extractor("mfcc")], output=out, layout="file")
    assert not (tmp_path / "feats").exists()  # before: a file 'feats'


def test_a_scheduler_with_another_backend_is_refused(tmp_path, paths):
    with pytest.raises(ValueError, match=r"^scheduler= runs the inputs on a Dask cluster, "
                                         r"not with backend='fork'"):
        run(paths, [get_extractor("mfcc")], output=tmp_path / "f.parquet", backend="fork",
            scheduler="tcp://127.0.0.1:1")


def test_a_dataset_folder_may_be_named_so(tmp_path, paths):
    out = tmp_path / "features.csv"
    result = run(paths, [get_extractor("mfcc")], output=out, layout="dataset")
    assert result.n_rows == 2 and out.is_dir()
