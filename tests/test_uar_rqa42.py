"""benchmarks/uar_rqa.py's cache of feature tables (session 42).

The benchmark reuses a cached table only where its output fingerprint is what today's sets
give (4442d79). ``--render-only`` writes the cells cached so far and computes nothing: it
started a full six-set extraction of a corpus whose cached table was stale (or absent),
because the table was loaded, and refreshed, before the render-only branch.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def uar_rqa(monkeypatch):
    """The benchmark module, its extraction replaced by a recorder that writes a one-row
    table of today's sets."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # its ``from _common import ...``
    spec = importlib.util.spec_from_file_location("uar_rqa_under_test",
                                                  BENCHMARKS / "uar_rqa.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.extracted, module.extracted_sets = [], []

    def extract(sets, manifest, out, jobs):
        module.extracted.append(str(out))
        module.extracted_sets.append(sets)
        cached_table(Path(out), today_config(module))
        return {"seconds": 0.0}

    monkeypatch.setattr(module, "cli_extract", extract)
    monkeypatch.setattr(module, "speech_manifest_csv", lambda corpus, cache: cache / "m.csv")
    yield module
    for name in ("_common", "uar_rqa", "results_page"):  # imported by name from benchmarks/
        sys.modules.pop(name, None)


def today_config(uar_rqa) -> dict:
    """The run config (sets, level, segments) ``emofeat extract --set <SETS>`` records."""
    from emofeat.registry import get_extractor
    from emofeat.runner import _run_config

    return _run_config([get_extractor(s) for s in uar_rqa.SETS], "functionals", None, False)


def cached_table(path: Path, config: dict, row: str = "a.wav") -> None:
    """A one-row table of every set's columns whose provenance records ``config``."""
    from emofeat.store import fingerprint
    from emofeat.table import FeatureTable

    names = ["rqa_speech_RR_mean", "egemaps_x", "mfcc0", "librosa_x", "paa_x", "prosody_x"]
    provenance = {**config, "fingerprint": fingerprint(config)}
    FeatureTable(X=np.zeros((1, len(names))), feature_names=names,
                 index=pd.DataFrame({"path": [row]}),
                 provenance=provenance).to_parquet(path)


def _fingerprint(config: dict) -> str:
    from emofeat.store import fingerprint

    return fingerprint(config)


def _results_page():
    """benchmarks/results_page.py (benchmarks/ on the path: the fixture's)."""
    import importlib

    return importlib.import_module("results_page")


#: the benchmark's feature configurations (uar_rqa.CONFIGS)
CONFIGS_OF_TEST = ("acoustic", "egemaps", "rqa_speech", "rqa_speech+acoustic",
                   "rqa_speech+egemaps")

CELL = {"corpus": "ravdess", "features": "egemaps", "n_features": 1, "protocol": "SI",
        "per_speaker_std": "no", "UAR": 0.5, "WA": 0.5, "macro_F1": 0.5,
        "speaker_UAR_mean": 0.5, "speaker_UAR_std": 0.1, "seconds": 1.0}


def test_render_only_extracts_nothing(uar_rqa, tmp_path, capsys):
    """A stale cached table (rqa_speech's dim one above today's) and no table at all: the
    reason is printed, nothing is extracted, the cached cell is written and kept, its corpus
    marked stale in the result file (with why) and on the results page."""
    config = today_config(uar_rqa)
    stale = copy.deepcopy(config)
    dim = config["sets"][0]["params"]["dim"]
    stale["sets"][0]["params"]["dim"] = dim + 1
    cached_table(tmp_path / "ravdess_features.parquet", stale)
    key = "ravdess|egemaps|SI|False|5"
    rqa_key = "ravdess|rqa_speech|SI|False|5"
    rqa_cell = {**CELL, "features": "rqa_speech"}
    (tmp_path / "cells.json").write_text(json.dumps({key: CELL, rqa_key: rqa_cell}))
    out = tmp_path / "out"
    assert uar_rqa.main(["--corpora", "ravdess,emodb", "--configs", "egemaps", "--protocols",
                         "SI", "--std", "no", "--render-only", "--cache", str(tmp_path),
                         "--out-dir", str(out)]) == 0
    assert uar_rqa.extracted == []
    said = capsys.readouterr().out
    assert "ravdess_features.parquet: cached table is not what today's sets give (set " \
           f"parameters rqa_speech dim: {dim + 1} vs {dim}" in said
    assert "emodb_features.parquet: no cached table; --render-only: not extracted" in said
    assert "1 cell(s) not computed yet: ['emodb|egemaps|SI|False|5']" in said
    assert {key, rqa_key} <= json.loads((tmp_path / "cells.json").read_text()).keys()
    written = json.loads((out / "uar_rqa.json").read_text())
    assert [r["UAR"] for r in written["tables"]["UAR per cell"]] == [0.5]
    why = uar_rqa.stale_because({**stale, "fingerprint": _fingerprint(stale)})
    assert why.startswith(f"set parameters rqa_speech dim: {dim + 1} vs {dim}")
    assert written["stale"] == {"ravdess": why}  # emodb: no table, so nothing stale
    page = _results_page().render_result(written)
    assert f"Stale: the cells of `ravdess` were computed on a cached table that is not what " \
           f"today's sets give ({why}); `--render-only` wrote them as cached" in page
    # without --render-only the stale table is extracted again and the cells evaluated on
    # its changed set (rqa_speech) are dropped
    assert uar_rqa.main(["--corpora", "ravdess", "--extract-only", "--cache",
                         str(tmp_path)]) == 0
    assert uar_rqa.extracted == [str(tmp_path / "ravdess_features.parquet")]
    kept = json.loads((tmp_path / "cells.json").read_text())
    assert rqa_key not in kept and key in kept
    assert uar_rqa.stale_because(uar_rqa.load_table("ravdess", tmp_path, 1, {}, {})
                                 .provenance) is None


def test_a_stale_table_is_said_what_differs(uar_rqa):
    """Why a cached table is stale, in a line: every difference but a set's parameters or
    numbers version was said to be the 'level or segments' (a set fewer, the sets in another
    order, a set's class moved), and a table without a fingerprint was 'level or segments'
    too, or with no sets recorded the whole of today's sets (about 2,500 characters)."""
    from emofeat.store import fingerprint

    config = today_config(uar_rqa)
    names = list(uar_rqa.SETS)

    def said(**changed):
        c = {**copy.deepcopy(config), **changed}
        return uar_rqa.stale_because({**c, "fingerprint": fingerprint(c)})

    assert said() is None
    assert said(sets=config["sets"][:-1]).startswith(f"sets {names[:-1]} vs {names}, cached "
                                                     "vs today; fingerprint ")
    assert said(sets=config["sets"][::-1]).startswith(f"sets {names[::-1]} vs {names},")
    moved = copy.deepcopy(config["sets"])
    moved[0]["class"] = "elsewhere.RQASpeech"
    assert said(sets=moved).startswith("rqa_speech class: 'elsewhere.RQASpeech' vs "
                                       "'emofeat.extractors.rqa.RQASpeech', cached vs today")
    assert said(level="lld").startswith("level 'lld' vs 'functionals', cached vs today")
    assert said(segments="manifest").startswith("segments 'manifest' vs None, cached vs")
    key = fingerprint(config)
    for provenance in ({}, {"sets": config["sets"]}):
        assert uar_rqa.stale_because(provenance) == f"no fingerprint recorded; today's {key}"
    # a fingerprint of what the provenance does not show
    other = uar_rqa.stale_because({**config, "fingerprint": "0123456789abcdef"})
    assert other == f"other extraction parameters, cached vs today; fingerprint " \
                    f"0123456789abcdef vs {key}"
    # what was said already stays said
    sets = copy.deepcopy(config["sets"])
    dim = sets[0]["params"]["dim"]
    sets[0]["params"]["dim"] = dim + 1
    assert said(sets=sets).startswith(f"set parameters rqa_speech dim: {dim + 1} vs {dim}, "
                                      "cached vs today")


@pytest.mark.parametrize("change, row, dropped", [
    ("egemaps", "a.wav", {"egemaps", "rqa_speech+egemaps"}),
    ("rqa_speech", "a.wav", {"rqa_speech", "rqa_speech+acoustic", "rqa_speech+egemaps",
                             "rqa_only"}),
    ("egemaps", "b.wav", {*CONFIGS_OF_TEST, "rqa_only"}),  # other rows: every cell
])
def test_only_the_cells_of_changed_sets_are_evaluated_again(uar_rqa, tmp_path, change, row,
                                                             dropped):
    """A stale table extracted again dropped every cell of its corpus, and kept the timing
    of rqa_speech alone even where rqa_speech changed. Now the cells whose configuration
    holds a set that changed are dropped (all where the new table's rows differ from the
    old one's), and the timing where rqa_speech changed; the other corpus is untouched."""
    config = today_config(uar_rqa)
    stale = copy.deepcopy(config)
    which = [s["name"] for s in stale["sets"]].index(change)
    param = {"egemaps": "sr", "rqa_speech": "dim"}[change]
    stale["sets"][which]["params"][param] += 1  # not today's value, whatever that is
    cached_table(tmp_path / "ravdess_features.parquet", stale, row)
    cells = {f"{c}|{cf}|SI|False|5": {**CELL, "corpus": c, "features": cf}
             for c in ("ravdess", "emodb") for cf in uar_rqa.CONFIGS}
    log = {"rqa_only_ravdess": {"seconds": 1.0}, "rqa_only_emodb": {"seconds": 1.0}}
    (tmp_path / "cells.json").write_text(json.dumps({**cells, "_log": log}))
    assert uar_rqa.main(["--corpora", "ravdess", "--extract-only", "--cache",
                         str(tmp_path)]) == 0
    kept = json.loads((tmp_path / "cells.json").read_text())
    gone = {cf for cf in uar_rqa.CONFIGS if f"ravdess|{cf}|SI|False|5" not in kept}
    gone |= {"rqa_only"} - ({"rqa_only"} if "rqa_only_ravdess" in kept["_log"] else set())
    assert set(CONFIGS_OF_TEST) == set(uar_rqa.CONFIGS)
    assert gone == dropped
    assert all(f"emodb|{cf}|SI|False|5" in kept for cf in uar_rqa.CONFIGS)
    assert "rqa_only_emodb" in kept["_log"]


def test_render_only_with_measure_rqa_times_rqa_speech_alone(uar_rqa, tmp_path):
    """``--render-only --measure-rqa`` (the documented way to time rqa_speech after the
    grid) extracts no table, even a stale one, but still times rqa_speech alone where that
    timing is not cached, and writes it; where it is cached nothing at all is extracted."""
    config = today_config(uar_rqa)
    stale = copy.deepcopy(config)
    stale["sets"][0]["params"]["dim"] += 1
    cached_table(tmp_path / "ravdess_features.parquet", stale)
    (tmp_path / "cells.json").write_text(json.dumps({"ravdess|egemaps|SI|False|5": CELL}))
    argv = ["--corpora", "ravdess", "--configs", "egemaps", "--protocols", "SI", "--std", "no",
            "--render-only", "--measure-rqa", "--cache", str(tmp_path), "--out-dir",
            str(tmp_path / "out")]
    assert uar_rqa.main(argv) == 0
    assert uar_rqa.extracted == [str(tmp_path / "ravdess_rqa_only.parquet")]
    assert uar_rqa.extracted_sets == ["rqa_speech"]
    written = json.loads((tmp_path / "out" / "uar_rqa.json").read_text())
    assert written["extraction"] == {"rqa_only_ravdess": {"seconds": 0.0}}
    assert list(written["stale"]) == ["ravdess"]
    assert uar_rqa.main(argv) == 0
    assert uar_rqa.extracted_sets == ["rqa_speech"]  # the timing is cached: no second run
