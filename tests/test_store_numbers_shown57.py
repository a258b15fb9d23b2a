"""A refusal never hides a set's numbers version in 'and N more', and says two changed sets
grammatically (review RC1 of 6634943, session 57).

6634943 put each set's change of numbers version among the differing parameters, so it
counted toward the five shown: an output an older emofeat wrote (six mfcc parameters not
recorded, no numbers version) was refused with '... mfcc precision: not recorded there,
'float32' now; and 2 more', the numbers change hidden, where no parameter given to the run
can match it. A run of a former class beside two sets whose numbers changed was told '(the
prosody set's and the paa set's change refuses that run all the same)'. Real data: RAVDESS
and EmoDB recordings; exact words, no tolerance.
"""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.librosa_set import LibrosaFeatures
from emofeat.extractors.prosody import Prosody

from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import ParameterMismatchError, fingerprint, refused_again


def test_numbers_version_not_hidden_in_more(ravdess_files, tmp_path):
    files = [str(f) for f in ravdess_files[:1]]
    out = tmp_path / "o.parquet"
    run(files, [get_extractor("mfcc")], output=out)
    t = pq.read_table(out)
    meta = json.loads(t.schema.metadata[b"emofeat"])
    p = meta["provenance"]
    s = p["sets"][0]
    s.pop("numbers_version")  # as an emofeat before mfcc's version 1 wrote it
    for k in ("amin", "input_scale", "precision", "resample", "pad_mode", "mel_norm"):
        s["params"].pop(k)
    p["fingerprint"] = fingerprint({k: p[k] for k in ("sets", "level", "segments")})
    pq.write_table(t.replace_schema_metadata(
        {**t.schema.metadata, b"emofeat": json.dumps(meta).encode()}), out)
    with pytest.raises(ParameterMismatchError) as err:
        run(files, [get_extractor("mfcc")], output=out)
    now = type(get_extractor("mfcc")).numbers_version
    said = str(err.value)
    assert f"mfcc numbers version 0 there, {now} now" in said, said
    assert f"mfcc numbers version 0 there, {now} now" in err.value.reason, err.value.reason
    # five of the six parameters shown, the sixth counted; the version is no parameter
    assert said.count("not recorded there") == 5 and "; and 1 more" in said, said


def _two_changed(monkeypatch):
    monkeypatch.setattr(Prosody, "numbers_version", Prosody.numbers_version - 1)
    monkeypatch.setattr(LibrosaFeatures, "numbers_version",
                        LibrosaFeatures.numbers_version - 1)


def test_two_changed_sets_beside_a_former_class_are_said_in_one_possessive(
        emodb_dir, tmp_path, monkeypatch):
    flac = str(sorted(emodb_dir.glob("03a0*.flac"))[0])
    out = tmp_path / "o.parquet"
    sets = [MFCC(**get_extractor("mfcc_htk").get_params()), get_extractor("prosody"),
            get_extractor("librosa")]
    with monkeypatch.context() as m:  # prosody and librosa as the emofeat before wrote them
        _two_changed(m)
        run([flac], sets, output=out)
    # the set now (class MFCCHTK) refuses the rows; the class that made them would resume
    # them, were it not for prosody's and librosa's changes
    with pytest.raises(ParameterMismatchError) as err:
        run([flac], [get_extractor("mfcc_htk")] + sets[1:], output=out)
    said = str(err.value)
    assert "set's and the" not in said, said
    assert "the prosody and librosa sets' changes refuse that run all the same" in said, said
    # the unfinished output's advice (its run file's or its provenance's sets)
    prov = json.loads(pq.read_schema(out).metadata[b"emofeat"])["provenance"]
    again = refused_again(tmp_path / "none", prov)
    assert "set's and the" not in again, again
    assert "(the prosody and librosa sets' changes refuse that run all the same)" in again, again
