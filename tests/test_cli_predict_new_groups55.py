"""``emofeat predict --new-groups [IDS]`` (helper C2, session 55, after 0f82ecd).

A model that stores its training speakers' statistics (``GroupStandardScaler(seen_groups=
"fit")``) warns where a table's speaker ids were seen in training, and
``TrainedModel.predict(table, new_groups=...)`` says whether they are other people; the
command had no way to say it. ``--new-groups`` (every id seen in training) and
``--new-groups=IDS`` (comma-separated) now do. Real data: EmoDB mfcc, a model of speakers 03,
08 and 09 (half of 03's recordings) predicting the other half of speaker 03's (seen)
and speaker 10's (new). Reference: the Python API's predictions
of the same model and table (equal: the same code; scores compared exactly).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.classifiers import make_classifier, train

from emofeat.cli import main


@pytest.fixture(scope="module")
def model_and_table(tmp_path_factory):
    import emofeat
    from emofeat.datasets import load_emodb

    manifest = load_emodb(shared_path("speech", "emodb"))
    manifest["speaker"] = manifest.speaker.astype(str)
    manifest = manifest[manifest.speaker.isin(["03", "08", "09", "10"])].reset_index(drop=True)
    table = emofeat.extract(manifest, "mfcc", n_jobs=1)
    spk = table.index["speaker"].astype(str).to_numpy()
    model = make_classifier("svm", standardize="group").set_params(
        group_std__seen_groups="fit")
    # speaker 03's recordings alternate between training and the table predicted, so that
    # their own statistics are not those stored
    half = np.zeros(len(spk), bool)
    half[np.flatnonzero(spk == "03")[::2]] = True
    with pytest.warns(UserWarning, match="seen_groups='fit'"):
        fit = train(table.select(rows=np.isin(spk, ["08", "09"]) | half), "emotion",
                    groups="speaker", model=model)
    folder = tmp_path_factory.mktemp("new_groups")
    fit.save(folder / "m.joblib")
    test = table.select(rows=((spk == "03") & ~half) | (spk == "10"))
    test.to_parquet(folder / "t.parquet")
    return fit, test, folder


def _predict(capsys, folder, *argv) -> tuple[int, str, pd.DataFrame | None]:
    capsys.readouterr()
    out = folder / "p.parquet"
    out.unlink(missing_ok=True)
    code = main(["predict", str(folder / "m.joblib"), str(folder / "t.parquet"), "-o",
                 str(out), *argv])
    err = capsys.readouterr().err
    return code, err, pd.read_parquet(out) if code == 0 else None


def _api(model, table, **kw) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.predict(table, **kw).reset_index(drop=True)


@pytest.mark.parametrize(("argv", "new_groups"), [
    (("--new-groups",), True), (("--new-groups=03",), ["03"]), (("--new-groups", "03"), ["03"]),
])
def test_new_groups_is_the_api_s(capsys, model_and_table, argv, new_groups):
    model, test, folder = model_and_table
    code, err, got = _predict(capsys, folder, *argv)
    assert code == 0, err  # before: exit 2, "unrecognized arguments: --new-groups"
    assert "seen in training" not in err  # answered
    want = _api(model, test, new_groups=new_groups)
    pd.testing.assert_series_equal(got["pred"], want["pred"], check_names=False)
    scores = [c for c in want.columns if c.startswith(("proba_", "score_"))]
    assert scores
    np.testing.assert_array_equal(got[scores].to_numpy(), want[scores].to_numpy())
    # and not the training speaker's statistics: speaker 03's predictions move
    seen = _api(model, test, new_groups=False)
    assert not np.array_equal(got[scores].to_numpy(), seen[scores].to_numpy())


def test_without_it_the_warning_is_shown_and_bad_ids_are_refused(capsys, model_and_table):
    model, test, folder = model_and_table
    code, err, got = _predict(capsys, folder)
    assert code == 0 and "seen in training" in err, err
    want = _api(model, test, new_groups=False)
    pd.testing.assert_series_equal(got["pred"], want["pred"], check_names=False)
    code, err, _ = _predict(capsys, folder, "--new-groups=3")  # '3' is no speaker: '03' is
    assert code == 2 and "'3'" in err, err
    code, err, _ = _predict(capsys, folder, "--new-groups=03,")
    assert code == 2 and "separated by commas" in err, err
