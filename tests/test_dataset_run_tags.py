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


def test_a_clock_set_back_still_sorts_a_runs_parts_after_those_there(tmp_path, corpus,  # noqa: F811
                                                                      monkeypatch):
    """Each run's clock an hour behind the run before (another machine, a clock stepped
    back): its tag is still past the newest tag of the parts there, so the folder is the
    single file's rows, as with a clock that rises. The tag was the clock's alone: the
    interrupted run's parts sorted before the first run's, silently."""
    import time

    files = corpus[:6]
    clock = [2_000_000_000 * 10**9]

    def time_ns() -> int:  # an hour back at every call
        clock[0] -= 3600 * 10**9
        return clock[0]

    monkeypatch.setattr(time, "time_ns", time_ns)
    folder = _three_runs(files, tmp_path / "ds", "dataset", monkeypatch)
    monkeypatch.undo()
    single = _three_runs(files, tmp_path / "o.parquet", "file", monkeypatch)
    assert single == ["c0", "c1", "c2", "a4", "c3", "c5"]  # 4 after its neighbour, 2
    assert folder == single


def test_a_run_tag_is_past_the_newest_tag_of_the_parts(tmp_path):
    """The tag's time: the clock's, or one past the newest run tag among the parts (earlier
    versions' random tags, and names that are no run tag, left out)."""
    import time

    now = time.time_ns()
    ahead = now + 3600 * 10**9
    names = [f"part-0000000000-t{ahead:016x}abcd.parquet", "part-0000000004-0123abcd.parquet",
             f"part-0000000002~000001-t{now - 10**9:016x}0000.arrow", "o.parquet"]
    tag = store._run_tag([tmp_path / n for n in names])
    assert tag[0] == "t" and len(tag) == 21
    assert int(tag[1:17], 16) == ahead + 1
    later = int(store._run_tag([tmp_path / names[1], tmp_path / names[3]])[1:17], 16)
    assert now <= later <= time.time_ns()
