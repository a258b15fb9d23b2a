"""Classifier leftovers: counts worded through one helper, what ``emofeat info``
says of a model, the per-fold table of report.md, and warning filters on emofeat's
warning classes."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from emofeat._wording import counted


# ------------------------------------------------------------------------ wording
def test_counts_are_singular_for_one_in_the_small_groups_warning():
    """The warning on speakers with few rows said '1 speaker value(s) have fewer than...';
    it counts through the helper the evaluation summary uses ('1 fold', '2 folds')."""
    from emofeat.classifiers import compatibility as C
    from emofeat.classifiers import result

    one = C.small_groups_message("speaker", {"03": (1, None)})
    assert one.startswith("1 speaker value has fewer than") and "'03': 1 row)" in one
    two = C.small_groups_message("speaker", {"03": (1, None), "07": (4, 1)})
    assert two.startswith("2 speaker values have fewer than")
    assert "'07': 4 rows of 1 recording" in two
    assert result.counted is counted  # one helper, not a copy
    assert [counted(n, "class", "classes") for n in (0, 1, 2, "?")] == [
        "0 classes", "1 class", "2 classes", "? classes"]


# ------------------------------------------------------------------- info MODEL
@pytest.fixture(scope="module")
def emodb(emodb_dir, tmp_path_factory):
    """mfcc functionals of every 4th EmoDB file (all 10 speakers, 7 classes)."""
    import emofeat
    from emofeat.datasets import load_emodb

    emo = load_emodb(emodb_dir).iloc[::4].reset_index(drop=True)
    return emofeat.extract(emo, "mfcc", n_jobs=1)


def test_info_shows_the_label_map_pipeline_and_training_of_a_model(emodb, tmp_path, capsys):
    """``emofeat info MODEL`` gave the model's name, target, classes, groups and sets only:
    not how the labels became the classes (EmoDB's 'happiness' as Ekman's 'joy', its
    'boredom' dropped), the pipeline's steps and parameters (a given C=10), the
    standardisation, the rows left out or the feature groups. It prints
    ``TrainedModel.describe()``, which says each, checked here against the table it was
    trained on."""
    from emofeat.classifiers import group_features, load_model, train

    from emofeat.cli import EXIT_OK, main

    path = tmp_path / "m.joblib"
    train(emodb, "emotion", "svm", groups="speaker", standardize="group", label_map="ekman",
          model_params={"C": 10}).save(path)
    assert main(["info", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    model = load_model(path)
    assert out.startswith(f"{path}: {model.describe()}\n")  # the Python equivalent
    lines = {ln.split(":")[0]: ln for ln in out.splitlines()}
    emotion = emodb.index["emotion"]
    counts = emotion.replace({"happiness": "joy"})[emotion != "boredom"].value_counts()
    assert lines["classes (training rows)"] == "classes (training rows): " + ", ".join(
        f"{c} ({counts[c]})" for c in ("anger", "disgust", "fear", "joy", "neutral", "sadness"))
    assert lines["labels"] == ("labels: the 'emotion' column mapped with label map 'ekman' "
                               "(corpus emodb): happiness -> joy; anger, disgust, fear, "
                               "neutral, sadness as they are; boredom dropped")
    speakers = emodb.index["speaker"].nunique()
    assert (f"per speaker (each one's rows with their own mean and sd; {speakers} groups "
            "(speaker) in training), then z-scored") in lines["standardisation"]
    assert "needs the 'speaker' column" in lines["standardisation"]
    pipeline = lines["pipeline"]
    assert pipeline.startswith("pipeline: group_std GroupStandardScaler() -> impute "
                               "SimpleImputer(") and " -> scale StandardScaler() -> " in pipeline
    assert ("model SVC(kernel='rbf', C=10, gamma='scale', class_weight='balanced', "
            "random_state=0)") in pipeline
    assert "(given: C=10)" in pipeline
    groups = group_features(emodb.feature_names)
    assert lines["features"].startswith(
        f"features: {emodb.shape[1]} in {len(groups)} groups: "
        + ", ".join(f"{g} {len(ix)}" for g, ix in groups.items())
        + f" ({emodb.feature_names[0]} ... {emodb.feature_names[-1]}); level functionals, "
          "sets mfcc")
    boredom, n = int((emotion == "boredom").sum()), len(emodb)
    assert lines["training"].startswith(f"training: {n - boredom} of {n} rows; {boredom} left "
                                        "out (no label, a label the map drops, or no group)")
    # the extraction, with the set's class as info prints it for the table
    assert "set mfcc (emofeat.extractors.mfcc.MFCC; numbers version 1):" in out
    assert "n_mfcc=13" in out
    assert out.splitlines()[0] == (f"{path}: svm classifier of 'emotion', {emodb.shape[1]} "
                                   f"features, trained on {n - boredom} rows")
    # -v: every parameter of every step
    assert main(["info", "-v", str(path)]) == EXIT_OK
    verbose = capsys.readouterr().out
    assert "  model SVC: C=10, " in verbose and "kernel='rbf'" in verbose
    assert "  impute SimpleImputer: " in verbose and "strategy='median'" in verbose
    # a model saved before the mapping was recorded: the shipped map's table for its corpus
    del model.settings["label_mapping"]
    assert "happiness -> joy; " in model.describe() and "boredom dropped" in model.describe()


def test_describe_says_how_integer_labels_and_a_dict_map_were_used(emodb):
    """Integer labels (pred holds integers) and a label map of the user's own (a dict, not
    kept in the model) are described as used: which labels went to each class."""
    from emofeat.classifiers import train

    emotion = emodb.index["emotion"]
    table = emodb.select(rows=np.arange(len(emodb)))
    table.index = table.index.copy()
    table.index["level"] = emotion.map({"anger": 2, "happiness": 2, "fear": 2,
                                        "boredom": 0, "sadness": 0, "neutral": 1,
                                        "disgust": 1})
    text = train(table, "level", "logreg").describe()
    assert "labels: the 'level' column as given, integers (pred holds integers)" in text
    shares = table.index["level"].value_counts()
    assert f"classes (training rows): 0 ({shares[0]}), 1 ({shares[1]}), 2 ({shares[2]})" in text
    mapping = {"anger": "high", "happiness": "high", "fear": "high", "sadness": "low",
               "boredom": "low", "neutral": None}
    text = train(emodb, "emotion", "logreg", label_map=mapping).describe()
    assert ("mapped with a label map of the trainer's own (dict or function): anger, fear, "
            "happiness -> high; boredom, sadness -> low; disgust, neutral dropped") in text


def _pipeline_line(text: str) -> str:
    return next(ln for ln in text.splitlines() if ln.startswith("pipeline: "))


def test_describe_states_each_kind_s_effective_hyper_parameters(emodb):
    """An xgb model printed 'model XGBLabelClassifier(); other parameters at their defaults':
    emofeat's wrapper defaults (100 rounds of depth 3 at learning rate 0.15, 64 bins,
    subsampling 0.8 / 0.5), not XGBoost's (6, 0.3, 256, none), which a reader would report;
    an RBF SVC hid its kernel and gamma, a forest its tree count. Every classifier kind states
    its main hyper-parameters with the values the fitted model has: XGBoost's from the
    booster XGBoost itself holds, the others from the fitted scikit-learn estimator."""
    from emofeat.classifiers import list_models, train

    shown = {"svm": ("kernel", "C", "gamma", "class_weight"),
             "linear_svm": ("C", "loss", "class_weight"), "logreg": ("C", "solver", "max_iter"),
             "rf": ("n_estimators", "max_features", "class_weight"),
             "knn": ("n_neighbors", "weights", "metric"),
             "xgb": ("n_estimators", "max_depth", "learning_rate", "max_bin", "subsample",
                     "colsample_bytree", "tree_method")}
    assert set(shown) == set(list_models())  # every kind is checked
    for kind, names in shown.items():
        model = train(emodb, "emotion", kind)
        line = _pipeline_line(model.describe())
        fitted = model.estimator.steps[-1][1]
        params = (fitted.booster_.get_params() if kind == "xgb"
                  else fitted.get_params(deep=False))
        for name in names:
            assert f"{name}={params[name]!r}" in line, (kind, name, line)
        library = "XGBoost's" if kind == "xgb" else "scikit-learn's"
        assert line.endswith(f"; other parameters at {library} defaults"), line
    # xgb: the booster's values are not XGBoost's own defaults, the point of showing them
    from xgboost import XGBClassifier

    assert "max_depth=3" in line and XGBClassifier().get_params()["max_depth"] is None
    assert "class_weight='balanced'" in line
    # a regressor too, and given parameters win over emofeat's defaults
    table = emodb.select(rows=np.arange(len(emodb)))
    table.index = table.index.copy()
    table.index["age"] = table.index["speaker"].astype(int).astype(float)
    model = train(table, "age", "xgb", task="regression", model_params={"max_depth": 2})
    params = model.estimator.steps[-1][1].booster_.get_params()
    line = _pipeline_line(model.describe())
    assert params["max_depth"] == 2 and "max_depth=2," in line
    assert f"learning_rate={params['learning_rate']!r}" in line


def test_describe_verbose_lists_every_feature_and_states_what_applies(emodb):
    """-v said it listed every feature name but printed the first and last only; 'left out
    (no label, a label the map drops, or no group)' named causes the training did not have;
    a regression said nothing of its target's range."""
    from emofeat.classifiers import group_features, train

    table = emodb.select(rows=np.arange(len(emodb)))
    table.index = table.index.copy()
    table.index.loc[table.index.index[:3], "emotion"] = None  # three rows without a label
    model = train(table, "emotion", "logreg")
    text = model.describe(verbose=True)
    for group, ix in group_features(emodb.feature_names).items():
        assert (f"  {group} ({len(ix)}): "
                + ", ".join(emodb.feature_names[i] for i in ix)) in text.splitlines()
    assert "3 left out (no label);" in model.describe()
    mapped = train(table, "emotion", "logreg", label_map="ekman")
    boredom = int((table.index["emotion"] == "boredom").sum())
    assert f"{3 + boredom} left out (no label or a label the map drops);" in mapped.describe()
    # a regression: the training target's range and mean
    table.index["age"] = table.index["speaker"].astype(int).astype(float)
    age = table.index["age"]
    text = train(table, "age", "ridge", task="regression").describe()
    assert (f"target (training rows): {age.min():.4g} to {age.max():.4g}, mean "
            f"{age.mean():.4g}") in text.splitlines()
    assert text.startswith("ridge regressor of 'age', ")


def test_info_of_a_model_saved_before_the_group_column_and_set_class_were_kept(emodb, tmp_path,
                                                                             capsys):
    """A model saved before 2026-12-05 (c812d3a) kept neither its sets' classes nor, without
    per-group standardisation, the group column given to ``train``: its rows left out read
    '(no label)' though rows without a group were left out too, and ``info`` printed
    'set mfcc:'. Nothing else the model holds tells either (the pipeline does not use the
    groups), so both are said to be not recorded, with the class emofeat now gives the
    set's name."""
    import copy

    from emofeat.classifiers import train

    from emofeat.cli import EXIT_OK, main

    table = emodb.select(rows=np.arange(len(emodb)))
    table.index = table.index.copy()
    table.index.loc[table.index.index[:3], "speaker"] = None  # three rows without a group
    model = train(table, "emotion", "logreg", groups="speaker")
    assert "3 left out (no label or no group);" in model.describe()
    old = copy.deepcopy(model)
    del old.settings["groups"]
    for s in old.feature_provenance["sets"]:
        del s["class"]
    from emofeat import __version__
    assert ("3 left out (no label; perhaps no group: whether a group column was given is not "
            f"recorded in this model (saved by emofeat {__version__}));") in old.describe()
    unversioned = copy.deepcopy(old)
    del unversioned.settings["versions"]
    assert "(emofeat version not recorded));" in unversioned.describe()
    path = tmp_path / "old.joblib"
    old.save(path)
    assert main(["info", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert ("set mfcc (class not recorded; emofeat's 'mfcc' set is now "
            "emofeat.extractors.mfcc.MFCC; numbers version 1):") in out.splitlines()
    old.feature_provenance["sets"][0]["name"] = "my_own"  # a name emofeat does not know
    old.save(path)
    assert main(["info", str(path)]) == EXIT_OK
    assert "set my_own (class not recorded; numbers version 1):" in capsys.readouterr().out.splitlines()


# ---------------------------------------------------------------------- report.md
def test_report_caps_the_per_fold_table_of_many_folds(tmp_path):
    """report.md's per-fold table had a row per fold: leave-one-subject-out on ISEAR's 1096
    respondents made 1096 rows (the per-group table was already capped). Past 60 folds
    it shows the 20 lowest and 20 highest folds by UAR, as the per-group table does, and says
    that per_fold.csv, which keeps every fold, holds them all; up to 60 folds it is whole."""
    import numpy as np
    import pandas as pd
    from conftest import shared_path
    from emofeat.classifiers import evaluate
    from emofeat.classifiers.plots import MAX_BARS

    import emofeat
    from emofeat.datasets import load_isear

    isear = load_isear(shared_path("text", "isear", "isear.csv"))
    subjects = sorted(isear["subject"].unique(), key=str)[:70]
    few = isear[isear["subject"].isin(subjects)].reset_index(drop=True)
    table = emofeat.extract(few, "text_surface", n_jobs=1)
    res = evaluate(table, "emotion", "subject", model="logreg", protocol="loso",
                   label_map=None)
    assert len(res.per_fold) == 70 > MAX_BARS
    md = res.report(tmp_path / "many").read_text()
    section = md.split("## Per fold")[1].split("Predictions:")[0]
    rows = [ln for ln in section.splitlines()
            if ln.startswith("| ") and not ln.startswith("| fold |")]
    shown = [int(ln.split(" | ")[0].removeprefix("| ")) for ln in rows]
    ranked = res.per_fold.set_index("fold")["uar"].sort_values(kind="stable")
    assert shown == [*ranked.index[:20], *ranked.index[::-1][:20]], shown
    assert "70 folds: the 20 lowest and the 20 highest by UAR are shown" in section
    assert "every fold is in `per_fold.csv`" in section
    assert len(pd.read_csv(tmp_path / "many" / "per_fold.csv")) == 70
    # 60 folds or fewer: every one, in fold order
    keep = np.flatnonzero(table.index["subject"].isin(subjects[:MAX_BARS]).to_numpy())
    res = evaluate(table.select(rows=keep), "emotion", "subject", model="logreg",
                   protocol="loso", label_map=None)
    section = res.report(tmp_path / "few").read_text().split("## Per fold")[1]
    section = section.split("Predictions:")[0]
    rows = [ln for ln in section.splitlines()
            if ln.startswith("| ") and not ln.startswith("| fold |")]
    assert [int(ln.split(" | ")[0].removeprefix("| ")) for ln in rows] == list(
        res.per_fold["fold"]) and len(rows) == MAX_BARS
    assert "per_fold.csv" not in section



def test_report_shortens_a_fold_of_many_held_out_groups(tmp_path):
    """group_kfold over many groups held out about 220 of ISEAR's respondents a fold, and
    report.md's per-fold table listed every id in the fold's cell (~1,500 characters a row).
    A cell of more than 10 groups now gives their number and the first 5; per_fold.csv and
    result.per_fold keep every id; a fold of 10 or fewer is listed whole. The ids are in
    natural order (text order put respondent 101001 before 11002) and counted as the group
    column names them ('30 subjects')."""
    import pandas as pd
    from conftest import shared_path
    from emofeat.classifiers import evaluate

    import emofeat
    from emofeat.datasets import load_isear

    isear = load_isear(shared_path("text", "isear", "isear.csv"))
    subjects = sorted(isear["subject"].unique(), key=str)
    many = isear[isear["subject"].isin(subjects[:150])].reset_index(drop=True)
    table = emofeat.extract(many, "text_surface", n_jobs=1)
    res = evaluate(table, "emotion", "subject", model="logreg", protocol="group_kfold",
                   n_splits=5, label_map=None)
    md = res.report(tmp_path / "many").read_text()
    section = md.split("## Per fold")[1].split("Predictions:")[0]
    header, *rows = [ln for ln in section.splitlines() if ln.startswith("| ")]
    col = header.strip("| ").split(" | ").index("test_groups")
    csv = pd.read_csv(tmp_path / "many" / "per_fold.csv", dtype={"test_groups": str})
    assert len(rows) == len(csv) == 5
    for line, (_, fold) in zip(rows, csv.iterrows(), strict=True):
        ids = fold["test_groups"].split(",")
        assert len(ids) == 30 > 10  # every held-out respondent in the CSV
        held = {str(s) for s in many["subject"][res.predictions["fold"] == fold["fold"]]}
        assert set(ids) == held
        # numeric respondent ids in their order (text order gave '101001, ..., 11002'),
        # counted as the group column's name
        assert ids == sorted(ids, key=int)
        cell = line.strip("| ").split(" | ")[col]
        assert cell == f"30 subjects: {', '.join(sorted(held, key=int)[:5])}, ...", cell
        assert len(line) < 200, line
    assert "`per_fold.csv` lists every held-out subject" in section
    assert res.per_fold["test_groups"].str.count(",").eq(29).all()  # the result keeps them

    # 10 groups a fold or fewer: every id, and no note
    few = many[many["subject"].isin(subjects[:50])].reset_index(drop=True)
    res = evaluate(emofeat.extract(few, "text_surface", n_jobs=1), "emotion", "subject",
                   model="logreg", protocol="group_kfold", n_splits=5, label_map=None)
    section = res.report(tmp_path / "few").read_text().split("## Per fold")[1]
    section = section.split("Predictions:")[0]
    cells = [ln.strip("| ").split(" | ")[col] for ln in section.splitlines()
             if ln.startswith("| ") and not ln.startswith("| fold |")]
    assert cells == list(res.per_fold["test_groups"]) and all(c.count(",") == 9 for c in cells)
    assert "lists every held-out" not in section


def test_test_groups_cells_keep_ids_holding_a_comma(tmp_path):
    """Regression: a fold's ``test_groups`` cell joined its held-out ids with commas, so an
    id holding one ('Smith, J') read as two ids in the cell, per_fold.csv and report.md's
    count ('2 speakers'). The cell is now a CSV record of the ids: one holding a comma, a
    double quote or a line break is quoted (``"Smith, 01"``), the others as before, and
    ``split_group_ids`` (``csv.reader``) reads back exactly the fold's groups."""
    import pandas as pd
    from _classifier_data import make_table
    from emofeat.classifiers import evaluate
    from emofeat.classifiers.reporting import join_group_ids, split_group_ids

    from emofeat.table import FeatureTable

    odd = {"01": "Smith, 01", "02": 'the "02"', "03": "a\nb"}
    base = make_table(speaker_shift=1.0)
    index = base.index.copy()
    index["speaker"] = index["speaker"].map(lambda s: odd.get(s, s))
    table = FeatureTable(X=base.X, feature_names=base.feature_names, index=index)
    for protocol, kw in (("loso", {}), ("group_kfold", {"n_splits": 2})):
        res = evaluate(table, "emotion", "speaker", model="logreg", protocol=protocol, **kw)
        res.report(tmp_path / protocol)
        csv = pd.read_csv(tmp_path / protocol / "per_fold.csv", dtype={"test_groups": str},
                          keep_default_na=False)
        for cells in (res.per_fold["test_groups"], csv["test_groups"]):
            for fold, cell in zip(res.per_fold["fold"], cells, strict=True):
                held = set(res.predictions.loc[res.predictions["fold"] == fold, "speaker"])
                assert sorted(split_group_ids(cell)) == sorted(held), (cell, held)
    assert list(res.per_fold["test_groups"].map(split_group_ids).map(len)) == [3, 3]
    # report.md: one table row per fold and per group (the id 'a\nb' ended its rows in the
    # middle), ids shown without CSV's doubled quotes ('"the ""02"""')
    for protocol in ("loso", "group_kfold"):
        text = (tmp_path / protocol / "report.md").read_text()
        assert '""02""' not in text
        for section, csv in (("## Per fold", "per_fold.csv"), ("## Per group", "per_group.csv")):
            n_rows = len(pd.read_csv(tmp_path / protocol / csv))
            table = [b for b in text.split(section, 1)[1].split("\n\n") if b.startswith("| ")
                     ][0].splitlines()
            assert len(table) == 2 + n_rows and all(r.startswith("| ") or r.startswith("|--")
                                                    for r in table), table
    loso = (tmp_path / "loso" / "report.md").read_text()
    # one rendering in both tables (the per-group table showed ids bare), in code spans:
    # CommonMark shows a code span's backslashes as written, and read '\\"' as '"' outside
    for section in ("## Per fold", "## Per group"):
        block = loso.split(section, 1)[1].split("\n## ", 1)[0]
        for shown in ('| `"Smith, 01"` |', '| `"the \\"02\\""` |', '| `"a\\nb"` |'):
            assert shown in block, (section, shown, block)
    # the command's per-fold line: one line, the ids shown as in report.md
    from emofeat.cli import _fold_line

    line = _fold_line()
    with contextlib.redirect_stderr(io.StringIO()) as err:
        line({"fold": 0, "uar": 0.5, "test_groups": join_group_ids(["a\nb", 'the "02"'])}, 2)
    assert err.getvalue().startswith('fold 1/2 (test "a\\nb","the \\"02\\""): UAR 0.500, ')
    assert err.getvalue().count("\n") == 1
    assert "Smith, 01" in {i for c in res.per_fold["test_groups"] for i in split_group_ids(c)}
    # report.md's shortened cell counts and shows such ids whole (it said '24 speakers')
    from emofeat.classifiers.result import _fold_groups_capped

    many = pd.DataFrame({"fold": [0], "test_groups": [join_group_ids(
        [f"S, {i}" for i in range(12)])]})
    assert _fold_groups_capped(many, "speaker")["test_groups"][0] == (
        '12 speakers: `"S, 0"`, `"S, 1"`, `"S, 2"`, `"S, 3"`, `"S, 4"`, ...')
    # ids without those characters are joined as before
    assert join_group_ids(["01", "04", "10"]) == "01,04,10"
    assert split_group_ids('03,"Smith, J",""') == ["03", "Smith, J", ""]


def test_report_ids_render_as_written_in_markdown():
    """Regression: report.md showed an id needing quotes as a bare JSON string, which
    CommonMark renders otherwise ('"the \\"02\\""' reads '"the "02""'), an id holding a
    backslash and an n bare, as the JSON of a line break reads ('a\\nb'), and the per-group
    table showed ids bare. Checked with the CommonMark reference parser where installed:
    each code span's text is the JSON string, ordinary ids are plain text."""
    import html as html_lib
    import json
    import re

    import pandas as pd
    from emofeat.classifiers.result import _groups_shown, _md_id, _md_table

    ids = ["01", "Smith, 01", 'the "02"', "a\nb", "a\\nb", "x`, y|z"]
    shown = [_md_id(i) for i in ids]
    assert shown[0] == "01"
    assert shown[3] != shown[4]  # a line break and a backslash-n told apart
    # the JSON inside each span reads back as the id
    for i, s in zip(ids[1:], shown[1:], strict=True):
        fence = s[:len(s) - len(s.lstrip("`"))]
        assert json.loads(s[len(fence):-len(fence)]) == i
    table = _md_table(_groups_shown(pd.DataFrame({"group": ids, "n": range(6)})))
    markdown = pytest.importorskip("markdown_it", reason="markdown-it-py renders the table")
    html = markdown.MarkdownIt("commonmark").enable("table").render(table)
    codes = [html_lib.unescape(c) for c in re.findall(r"<code>(.*?)</code>", html)]
    assert [json.loads(c) for c in codes] == ids[1:], codes
    assert "<td>01</td>" in html


# ----------------------------------------------------------------- warning filters
def _warning_classes() -> dict[str, type]:
    """Every warning class defined in emofeat's modules, by the dotted name it is imported
    by (the module that defines it, or the package that re-exports it)."""
    import importlib
    import pkgutil

    import emofeat.classifiers
    import emofeat.extractors

    import emofeat

    found = {}
    packages = [(emofeat, "emofeat."), (emofeat.classifiers, "emofeat.classifiers."),
                (emofeat.extractors, "emofeat.extractors.")]
    modules = [i for pkg, prefix in packages for i in pkgutil.walk_packages(pkg.__path__, prefix)]
    for info in modules:
        if info.name == "emofeat.__main__" or info.name.startswith("emofeat.lexicons"):
            continue
        try:
            mod = importlib.import_module(info.name)
        except ImportError:  # an optional dependency (Dask's backend)
            continue
        for name, obj in vars(mod).items():
            if isinstance(obj, type) and issubclass(obj, Warning) \
                    and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_cli_docs_name_every_warning_class_and_a_filter_that_works(tmp_path, emodb_dir):
    """A filter naming emofeat.errors.SharedIdWarning in PYTHONWARNINGS (or -W) filters
    nothing: Python reads it before site-packages are importable and says 'Invalid -W
    option ignored'. docs/cli.md says so, lists every warning class (each a UserWarning, so
    that PYTHONWARNINGS=...::UserWarning takes it) and gives a command that filters one
    class, its -j 2 workers included: run here as written."""
    import re
    import shlex
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    classes = _warning_classes()
    for dotted, cls in classes.items():
        assert issubclass(cls, UserWarning), dotted
        public = [n for n in re.findall(r"`(emofeat\.[\w.]+)`", docs)
                  if n.endswith("." + cls.__name__)]
        assert public, f"{dotted} is not named in docs/cli.md"
        for name in public:  # the name given imports the class
            mod, _, attr = name.rpartition(".")
            assert getattr(__import__(mod, fromlist=[attr]), attr) is cls, name
    # Python ignores the category, with its notice (as the docs quote it)
    probe = ("import warnings; print(sum('SharedIdWarning' in repr(f[2]) "
             "for f in warnings.filters))")
    run = subprocess.run([sys.executable, "-W", "ignore::emofeat.errors.SharedIdWarning",
                          "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "0"
    assert "Invalid -W option ignored: invalid module name: 'emofeat.errors'" in run.stderr
    assert "invalid module name: 'emofeat.errors'" in docs
    # two manifests in sibling folders sharing speaker '03': the warning, then the documented
    # command without it
    for side, name in (("a", "03a01Fa.flac"), ("b", "03a01Nc.flac")):
        (tmp_path / side).mkdir()
        shutil.copy(emodb_dir / name, tmp_path / side / name)
        (tmp_path / side / "labels.csv").write_text(f"path,speaker\n{name},03\n")
    command = re.search(r"\n\s*```\n\s*(python -c .*)\n\s*```", docs).group(1)
    argv = shlex.split(command)
    assert argv[-5:] == ["extract", "a/labels.csv", "b/labels.csv", "-o", "features.parquet"]
    plain = [sys.executable, "-m", "emofeat", *argv[-5:], "-j", "2", "-q"]
    said = subprocess.run(plain, cwd=tmp_path, capture_output=True, text=True)
    assert said.returncode == 0 and "share speaker ids '03'" in said.stderr, said.stderr
    filtered = subprocess.run([sys.executable, *argv[1:], "-j", "2", "-q", "--overwrite"],
                              cwd=tmp_path, capture_output=True, text=True)
    assert filtered.returncode == 0, filtered.stderr
    assert "share speaker ids" not in filtered.stderr, filtered.stderr
    assert (tmp_path / "features.parquet").is_file()


def test_protocol_messages_count_in_the_singular_for_one():
    """Messages said 'subject 's2' has 1 trial(s)/row(s)' and 'the fold holding out
    subject(s) ...'; they count through emofeat._wording.counted: '1 row', and a fold
    holding out one subject says so."""
    from emofeat.classifiers.protocols import ProtocolError, split

    y = np.array(["a", "b", "a", "b", "a"])
    g = np.array(["s1", "s1", "s1", "s1", "s2"])
    with pytest.raises(ProtocolError, match=r"subject 's2' has 1 row: subject-dependent"):
        list(split("subject_dependent", y, g))
    # one subject holds every 'b': the fold holding it out trains on 'a' only
    y = np.array(["a", "a", "b", "b", "a", "a"])
    g = np.array(["s1", "s1", "s2", "s2", "s3", "s3"])
    with pytest.raises(ProtocolError) as err:
        list(split("loso", y, g))
    assert "the fold holding out 1 group ('s2') trains on the class 'a' only" in str(err.value)
