"""An input held twice (a file output and the parts of a run that died before removing
them) that changed since counts once in RunResult.n_changed (4a401d2; review RC2: it had no
test). At 835c777 it counted twice: ``old rows of 2 inputs changed since removed`` of one
touched file. Real data: two EmoDB recordings; counts are exact."""
from __future__ import annotations

import os
import shutil

import pytest

import emofeat.store as store
from emofeat.registry import get_extractor
from emofeat.runner import run


def test_a_changed_input_held_in_the_file_and_a_part_counts_once(emodb_dir, tmp_path,
                                                                   monkeypatch):
    files = []
    for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]:
        files.append(tmp_path / p.name)
        shutil.copy(p, files[-1])
    out = tmp_path / "feats.parquet"
    with monkeypatch.context() as m:  # the run stops before its merge: its parts stay
        m.setattr(store.FeatureStore, "finalize",
                  lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, chunk_size=1)
    parts = tmp_path / "feats.parquet.parts"
    shutil.copytree(parts, tmp_path / "saved")
    run(files, [get_extractor("mfcc")], output=out)  # merged into the file, parts removed
    shutil.copytree(tmp_path / "saved", parts)  # ... as if it died before removing them
    st = os.stat(files[0])
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # changed since
    res = run(files, [get_extractor("mfcc")], output=out)
    assert (res.n_changed, res.n_rows, res.n_failed) == (1, 1, 0)
    assert "old rows of 1 input changed since removed" in res.summary()
