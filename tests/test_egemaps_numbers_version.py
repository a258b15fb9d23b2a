"""The eGeMAPS sets' numbers version: version 1 changed their numbers for the same
parameters (row m of the LLD table, voicing under a DC offset, the functionals of 70-160 ms
inputs, whole-file F0 functionals at 1e-7), so an output they began at version 0 is not
resumed and a model trained on it warns. Version 2 (session 48) refitted the mel bands'
floor (loudness and MFCC 1-4 of silent and near-silent frames); version 3 (session 49) the
slope rule's weak minima after a plateau; version 4 (session 50) its last local minimum after
a maximum turn and its weak replacing minima; version 5 (session 50) the unvoiced segments,
which a lone voiced frame no longer splits; version 6 (session 50) the voiced segment rate's
divisor."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from emofeat.extractors.egemaps import EGeMAPS, GeMAPS

from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import ParameterMismatchError


def _sets(path) -> list[dict]:
    return json.loads(pq.read_schema(path).metadata[b"emofeat"])["provenance"]["sets"]


@pytest.mark.parametrize("name, cls", [("egemaps", EGeMAPS), ("gemaps", GeMAPS)])
def test_an_egemaps_output_of_session_36_is_not_resumed(name, cls, sample, tmp_path,
                                                        monkeypatch):
    """Regression: EGeMAPS kept numbers version 0 after its numbers changed, so an output
    begun before resumed and its old rows sat beside the new ones (GeMAPS inherits it)."""
    files = list(sample["path"].iloc[:2])
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as m:
        m.setattr(EGeMAPS, "numbers_version", 0)  # the code before: version 0, not recorded
        run(files[:1], [get_extractor(name)], output=out)
    assert "numbers_version" not in _sets(out)[0]
    assert cls.numbers_version >= 1  # bumped with every change of its numbers since
    with pytest.raises(ParameterMismatchError,
                       match=rf"the {name} set's numbers changed for the same parameters"):
        run(files, [get_extractor(name)], output=out)
    run(files, [get_extractor(name)], output=out, overwrite=True)
    assert _sets(out)[0]["numbers_version"] == cls.numbers_version
    assert run(files, [get_extractor(name)], output=out).n_skipped == 2
