"""Review RC3 of 72b51d4: a link named as its target, in another folder (proj/feats ->
scratch/feats), whose --overwrite run was interrupted: info said 'kept in feats.overwrite',
a folder that is not beside the link typed (it is scratch/feats.overwrite). Real data: EmoDB."""
from __future__ import annotations

import pytest

import emofeat.store as store
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


def _killed(*a, **k):
    raise KeyboardInterrupt


def test_a_link_named_as_its_target(emodb_dir, tmp_path, monkeypatch, capsys):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:1]]
    (tmp_path / "scratch").mkdir()
    (tmp_path / "proj").mkdir()
    target = tmp_path / "scratch" / "feats"
    run(files, [get_extractor("mfcc")], output=target, layout="dataset")
    (tmp_path / "proj" / "feats").symlink_to(target)
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=tmp_path / "proj" / "feats",
                layout="dataset", overwrite=True, chunk_size=1)
    assert (tmp_path / "scratch" / "feats.overwrite").is_dir()
    monkeypatch.chdir(tmp_path / "proj")
    capsys.readouterr()
    main(["info", "feats"])
    said = capsys.readouterr().out
    assert f"is kept in {tmp_path / 'scratch' / 'feats.overwrite'}, and" in said, said
