"""``emofeat info`` of an output whose interrupted ``--overwrite`` replacement was staged by an
emofeat that computed a set at another numbers version (review RC3 of 29fd5cf): info said
'The same extract command without --overwrite finishes the replacement', which the store
refuses for that replacement since 29fd5cf; it now says that the extraction is refused and
the ways on. Two EmoDB recordings, both layouts; a replacement of this emofeat's numbers
keeps the old words."""

from __future__ import annotations

import pytest
from test_store_replacement_refusal57 import _stage

from emofeat.cli import main


@pytest.mark.parametrize("layout", ["file", "dataset"])
@pytest.mark.parametrize("older", [True, False])
def test_info_says_how_a_staged_replacement_is_finished(emodb_dir, tmp_path, monkeypatch,
                                                       capsys, layout, older):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    out = tmp_path / ("feats.parquet" if layout == "file" else "feats")
    _stage(files, out, layout, monkeypatch, older=older)
    capsys.readouterr()
    main(["info", str(out)])
    said = " ".join(capsys.readouterr().out.split())
    assert "being replaced: a run with --overwrite into it was interrupted" in said, said
    finishes = "The same extract command without --overwrite finishes the replacement"
    if older:
        assert finishes not in said, said
        assert ("so the same extraction is refused, not resumed" in said
                and "Run it with --overwrite" in said
                and "or finish the run with the emofeat that began it" in said), said
    else:
        assert finishes in said, said
