"""A resume under another class of a set is refused naming the class (session 56).

34755c4 left every set's recorded class out of the resume's 'only the numbers differ'
comparison, for ``mfcc_htk``'s move from ``MFCC`` (numbers version 1) to ``MFCCHTK`` (2);
a truly different class with another numbers version was then refused as 'the X set's
numbers changed for the same parameters since these rows were computed', which is false:
the class is another computation. Only a move within emofeat
(``registry._FORMER_CLASSES``) leaves the class out; any other class is named, as a
parameter, and its numbers versions (another class's) are not said to have changed. The
old ``mfcc_htk`` output resumed by the same command is tested in
tests/test_mfcc_htk_passband56.py. The texts are compared exactly (no tolerance: words).
"""
from __future__ import annotations

import pytest
from emofeat.extractors import MFCC

from emofeat.runner import run
from emofeat.store import ParameterMismatchError


class _MineV3(MFCC):
    """A user's subclass of MFCC that computes otherwise (its own numbers version)."""

    numbers_version = 3


def _refusal(files, first, second, out):
    run(files[:1], first, output=out)
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, second, output=out)
    return str(refused.value), refused.value.reason


def _no_false_numbers_claim(said, reason):
    assert "for the same parameters" not in said, said
    assert "holds rows whose numbers emofeat now computes otherwise" not in said, said
    assert "another numbers version" not in reason, reason


def test_mfcc_htk_class_then_mfcc_with_the_htk_convention_is_named(ravdess_files, tmp_path):
    """Written with ``MFCC.htk(fmin=300)`` (class MFCCHTK, numbers version 2), resumed with
    ``MFCC(convention="htk", fmin=300)`` (class MFCC, version 1; also named mfcc_htk): said
    'numbers version 2 there, 1 now' for the same parameters before; now the class."""
    files = [str(f) for f in ravdess_files[:2]]
    said, reason = _refusal(files, [MFCC.htk(fmin=300.0)],
                            [MFCC(**MFCC.htk(fmin=300.0).get_params())],
                            tmp_path / "out.parquet")
    _no_false_numbers_claim(said, reason)
    named = ("mfcc_htk class: 'emofeat.extractors.mfcc.MFCCHTK' there, "
             "'emofeat.extractors.mfcc.MFCC' now")
    assert f"was made with other extraction parameters: {named} (fingerprint" in said, said
    assert reason == f"made with other extraction parameters: {named}", reason


@pytest.mark.parametrize("backwards", [False, True])
def test_a_user_subclass_with_its_own_numbers_version_is_named(ravdess_files, tmp_path,
                                                               backwards):
    """``mfcc`` written by MFCC (version 1), resumed by a user's subclass at version 3, and
    the other way: said 'numbers changed for the same parameters' before; now the class."""
    files = [str(f) for f in ravdess_files[:2]]
    first, second = ([_MineV3()], [MFCC()]) if backwards else ([MFCC()], [_MineV3()])
    said, reason = _refusal(files, first, second, tmp_path / "out.parquet")
    _no_false_numbers_claim(said, reason)
    mine = f"{_MineV3.__module__}._MineV3"
    pair = ((mine, "emofeat.extractors.mfcc.MFCC") if backwards
            else ("emofeat.extractors.mfcc.MFCC", mine))
    named = f"mfcc class: '{pair[0]}' there, '{pair[1]}' now"
    assert f"was made with other extraction parameters: {named} (fingerprint" in said, said
    assert reason == f"made with other extraction parameters: {named}", reason


def test_rows_of_the_former_class_made_today_are_said_both_ways(ravdess_files, tmp_path):
    """The mirror of the first test (review R3): written today by ``MFCC(convention="htk",
    fmin=300)`` (recorded as mfcc_htk, class MFCC, numbers version 1, as the mfcc_htk set was
    until 12c1d64), resumed by ``MFCC.htk(fmin=300)`` (class MFCCHTK, version 2). Refused for
    the numbers (a move within emofeat); the refusal said only 'changed ... since these rows
    were computed', of rows computed minutes before by a class that still computes them so.
    Now it names the class that made them, that it still resumes the output, and the set's
    class now; and that class does resume it."""
    files = [str(f) for f in ravdess_files[:2]]
    former = MFCC(**MFCC.htk(fmin=300.0).get_params())
    out = tmp_path / "out.parquet"
    said, reason = _refusal(files, [former], [MFCC.htk(fmin=300.0)], out)
    assert "holds rows whose numbers emofeat now computes otherwise" in said, said
    assert ("(class emofeat.extractors.mfcc.MFCC made these rows, as the mfcc_htk set did "
            "before and MFCC with these parameters still does at numbers version 1, resuming "
            "this output; the mfcc_htk set is now class emofeat.extractors.mfcc.MFCCHTK)"
            in said), said
    assert reason == "written at another numbers version (mfcc_htk 1 there, 2 now)", reason
    run(files, [MFCC(**MFCC.htk(fmin=300.0).get_params())], output=out)


def test_the_former_class_is_not_said_to_resume_where_another_set_changed(
        ravdess_files, tmp_path, monkeypatch):
    """As above with a second set whose numbers changed under its own class (review RC3 of
    f838255): the refusal said the former class resumes the output, where that run is
    refused too (for the other set)."""
    from emofeat.extractors.prosody import Prosody

    from emofeat.registry import get_extractor

    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    run(files[:1], [MFCC(**MFCC.htk(fmin=300.0).get_params()), get_extractor("prosody")],
        output=out)
    monkeypatch.setattr(Prosody, "numbers_version", Prosody.numbers_version + 1)
    with pytest.raises(ParameterMismatchError) as refused:
        run(files, [MFCC.htk(fmin=300.0), get_extractor("prosody")], output=out)
    said = str(refused.value)
    assert "resuming this output" not in said, said
    assert ("still does at numbers version 1, the prosody set's change refuses that run all "
            "the same; the mfcc_htk set is now class emofeat.extractors.mfcc.MFCCHTK)"
            in said), said
    with pytest.raises(ParameterMismatchError, match="the prosody set's numbers changed"):
        run(files, [MFCC(**MFCC.htk(fmin=300.0).get_params()), get_extractor("prosody")],
            output=out)
