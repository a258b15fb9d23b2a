"""Parts of one number from two runs of a dataset folder (an interrupted run's beside those
of the runs before it) are in the order the runs wrote them, whatever their tags: the rows
of an input no longer listed then go after their neighbour in the output, as in the single
file. Before, the parts sorted by two random run tags, and the row went after one input or
another from one run to the next."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest
from test_batch_hunt import corpus  # noqa: F401 (a fixture)

import emofeat.store as store
from emofeat.columns import Columns, str_values
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable


def _manifest(files: list[str], idx: list[int], label: str) -> Columns:
    return Columns({"path": str_values([files[i] for i in idx]),
                    "emotion": str_values([f"{label}{i}" for i in idx]),
                    "take": np.array(idx, dtype=np.int64)},
                   {"path": "str", "emotion": "str", "take": "int64"})


def _three_runs(files: list[str], out: Path, layout: str, monkeypatch) -> list[str]:
    """A finished run of inputs 0 2 4, a run of 5 0 1 2 3 killed before its finalize (its
    parts numbered 0 2 4 too), then 0 1 2 3 5 (4 no longer listed): the emotions in order."""
    ext = get_extractor("mfcc", functionals=("mean",))
    run(_manifest(files, [0, 2, 4], "a"), [ext], output=out, layout=layout, chunk_size=1)
    with monkeypatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(_manifest(files, [5, 0, 1, 2, 3], "b"), [ext], output=out, layout=layout,
                chunk_size=1)
    run(_manifest(files, [0, 1, 2, 3, 5], "c"), [ext], output=out, layout=layout,
        chunk_size=1)
    return FeatureTable.read_parquet(out).index["emotion"].tolist()


@pytest.mark.parametrize("tags", ["rising", "falling"])
def test_rows_of_an_input_no_longer_listed_go_where_the_file_puts_them(tmp_path, corpus,  # noqa: F811
                                                                        monkeypatch, tags):
    """Random tags made to rise or fall from one run to the next: the same folder, whose
    rows are those of the single file written by the same runs."""
    files = corpus[:6]
    n = [0]

    def uuid4() -> uuid.UUID:  # every random tag, rising or falling run after run
        n[0] += 1
        top = n[0] if tags == "rising" else 0xFFFF - n[0]
        return uuid.UUID(int=top << 112)

    monkeypatch.setattr(uuid, "uuid4", uuid4)
    folder = _three_runs(files, tmp_path / "ds", "dataset", monkeypatch)
    single = _three_runs(files, tmp_path / "o.parquet", "file", monkeypatch)
    assert single == ["c0", "c1", "c2", "a4", "c3", "c5"]  # 4 after its neighbour, 2
    assert folder == single
