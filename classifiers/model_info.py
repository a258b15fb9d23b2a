"""What a saved model is, in a few lines: :meth:`TrainedModel.describe
<emofeat.classifiers.persistence.TrainedModel.describe>` and ``emofeat info MODEL``.

A user given a model file needs to know what it predicts (the classes, and how the training
labels became them), what it expects (the features, their extraction, a group column) and
how it was fitted (the pipeline's steps and parameters, the standardisation, the training
rows, the versions), to use it and to judge whether to trust it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from emofeat._wording import counted

#: names (labels, feature groups) listed before '...' in a line, unless verbose
SHOWN = 8


def describe_model(model: Any, verbose: bool = False) -> list[str]:
    """The lines of :meth:`~emofeat.classifiers.persistence.TrainedModel.describe`."""
    st = model.settings or {}
    n_train = st.get("n_train", "?")
    kind = _TASK_NOUNS.get(model.task, f"model of {model.task}")
    lines = [f"{st.get('model', '?')} {kind} of {model.target!r}, "
             f"{counted(len(model.feature_names), 'feature')}, trained on "
             f"{counted(n_train, 'row')}"]
    if model.task == "classification":
        lines.append(_classes_line(model, n_train))
        lines.append(_labels_line(model, verbose))
    elif model.task == "regression":
        lines.append(_target_line(st.get("target_summary")))
    lines.append(_standardisation_line(model))
    lines += _pipeline_lines(model.estimator, st.get("model_params"), verbose)
    lines += _features_lines(model, verbose)
    lines.append(_training_line(model))
    return lines


_TASK_NOUNS = {"classification": "classifier", "regression": "regressor"}


def _target_line(summary: Mapping[str, Any] | None) -> str:
    """A regression model's training target: its range and mean (what its predictions can
    be read against)."""
    if not summary:
        return "target: range not recorded (a model saved by an earlier version of emofeat)"
    return (f"target (training rows): {summary['min']:.4g} to {summary['max']:.4g}, "
            f"mean {summary['mean']:.4g}")


def _names(items: Sequence[Any], verbose: bool) -> str:
    """``items`` joined, the first :data:`SHOWN` only unless ``verbose``."""
    items = [str(v) for v in items]
    if verbose or len(items) <= SHOWN:
        return ", ".join(items)
    return f"{', '.join(items[:SHOWN])}, ... ({len(items)} in all)"


def _classes_line(model: Any, n_train: Any) -> str:
    """The classes in display order, with their training rows where recorded."""
    shares = model.class_shares or {}
    if isinstance(n_train, int) and shares:
        from .label_maps import label_str

        return "classes (training rows): " + ", ".join(
            f"{c} ({round(shares.get(label_str(c), 0.0) * n_train)})" for c in model.classes)
    return f"classes: {', '.join(map(str, model.classes))}"


_KINDS = {"int": "integers (pred holds integers)", "bool": "booleans (pred holds booleans)",
          "float": "floats (pred holds floats)", "str": "strings"}


def _labels_line(model: Any, verbose: bool) -> str:
    """How the training table's target became the classes: as given (of which type), or
    through a label map (which label went where, which were dropped)."""
    st = model.settings
    kind = _KINDS.get(st.get("label_kind"), "strings")
    name = st.get("label_map")
    if name is None:
        return f"labels: the {model.target!r} column as given, {kind}"
    corpus = st.get("corpus")
    how = (f"label map {name!r}" + (f" (corpus {corpus})" if corpus else "")
           if name != "custom" else "a label map of the trainer's own (dict or function)")
    mapping = st.get("label_mapping")
    if mapping is None and name != "custom":  # models trained before it was recorded
        mapping = _named_mapping(name, corpus)
    if not mapping:
        return f"labels: the {model.target!r} column mapped with {how}, then {kind}"
    return (f"labels: the {model.target!r} column mapped with {how}: "
            f"{_mapping_text(mapping, [str(c) for c in model.classes], verbose)}")


def _named_mapping(name: str, corpus: str | None) -> dict[str, str | None] | None:
    """A shipped map's whole table for ``corpus`` (``None``: not known)."""
    from .label_maps import get_label_map

    try:
        return get_label_map(name, corpus=corpus) if corpus else None
    except ValueError:  # a corpus registered in the training process only
        return None


def _mapping_text(mapping: Mapping[str, str | None], classes: list[str],
                  verbose: bool) -> str:
    """``happiness -> joy; anger, fear kept; boredom dropped``: each class with the labels
    mapped to it, in the classes' order."""
    into: dict[str | None, list[str]] = {}
    for raw, to in mapping.items():
        into.setdefault(None if to is None else str(to), []).append(str(raw))
    order = [c for c in classes if c in into] + sorted(
        (t for t in into if t is not None and t not in classes), key=str)
    parts = [f"{_names(into[t], verbose)} -> {t}" for t in order if into[t] != [t]]
    kept = [t for t in order if into[t] == [t]]
    if kept:
        parts.append(f"{_names(kept, verbose)} as they are")
    if into.get(None):
        parts.append(f"{_names(into[None], verbose)} dropped")
    return "; ".join(parts)


def _standardisation_line(model: Any) -> str:
    """How the features are standardised, from the pipeline's steps."""
    from sklearn.preprocessing import StandardScaler

    from .models import nested_parts
    from .standardize import GroupStandardScaler

    # every step at any depth: a scaler inside a ColumnTransformer or FeatureUnion was
    # "standardisation: none in the pipeline" for a per-speaker standardised model
    steps = nested_parts(model.estimator)
    group = next((s for s in steps if isinstance(s, GroupStandardScaler)), None)
    scaled = any(isinstance(s, StandardScaler) for s in steps)
    then = ", then z-scored with the training rows' means and sds" if scaled else ""
    if group is not None:
        seen = getattr(group, "n_groups_fit_", None)
        where = (f"the {model.groups!r} column of the tables to predict" if model.groups
                 else f"the column {group.group_column!r}" if group.group_column
                 else "groups= at prediction")
        trained = (f"; {counted(seen, 'group')}"
                   + (f" ({model.groups})" if model.groups else "") + " in training"
                   if seen is not None else "")
        noun = model.groups or "group"
        stored = getattr(group, "group_stats_", None) \
            if getattr(group, "seen_groups", "own") == "fit" else None
        # seen_groups="fit": said "each one's rows with their own mean and sd" of a model
        # that standardises an id seen in training with the statistics stored for it
        how = (f"the {counted(len(stored), noun)} of training with the statistics stored "
               f"for each, whatever rows of its id a table holds; any other {noun} with its "
               f"rows' own mean and sd; predict(table, new_groups=True) for a table whose "
               f"{noun}s of those ids are other people" if stored
               else f"each one's rows with their own mean and sd{trained}")
        return f"standardisation: per {noun} ({how}){then}; needs {where}"
    if scaled:
        return "standardisation: z-scored with the training rows' means and sds"
    return "standardisation: none in the pipeline"


#: the hyper-parameters a report of each model states, shown with their effective values
#: whether or not they are the library's defaults (scikit-learn's repr shows only those that
#: differ: an RBF SVC printed as ``SVC(C=10)``); keyed by class name, so that describing a
#: model imports nothing
KEY_PARAMS = {
    "SVC": ("kernel", "C", "gamma", "degree", "class_weight"),
    "SVR": ("kernel", "C", "epsilon", "gamma", "degree"),
    "LinearSVC": ("C", "penalty", "loss", "class_weight", "max_iter"),
    "LogisticRegression": ("C", "penalty", "l1_ratio", "solver", "class_weight", "max_iter"),
    "Ridge": ("alpha",),
    "RandomForestClassifier": ("n_estimators", "max_depth", "max_features", "min_samples_leaf",
                               "class_weight"),
    "RandomForestRegressor": ("n_estimators", "max_depth", "max_features", "min_samples_leaf"),
    "KNeighborsClassifier": ("n_neighbors", "weights", "metric", "p"),
    "KNeighborsRegressor": ("n_neighbors", "weights", "metric", "p"),
}
_KEY_ALIASES = {"RandomForestLabelClassifier": "RandomForestClassifier", "ScaledTargetSVR": "SVR"}
#: only meaningful with these kernels
_KERNEL_ONLY = {"degree": ("poly",), "gamma": ("rbf", "poly", "sigmoid")}


def _library(step: Any) -> str:
    """Whose defaults a step's other parameters are."""
    from .persistence import _uses_xgboost

    return "XGBoost's" if _uses_xgboost(step) else "scikit-learn's"


def model_params_shown(step: Any) -> dict[str, Any]:
    """The parameters of ``step`` a researcher reports, with the values it fits with.

    emofeat's XGBoost wrappers: every value they hand XGBoost (their own defaults, 100
    rounds of depth 3 at learning rate 0.15 and so on, are not XGBoost's: 6, 0.3, 256 bins,
    no subsampling), ``xgb_params`` spread out, and the class weights. A scikit-learn model:
    the parameters of :data:`KEY_PARAMS` for its class, then every other that differs from
    its class's default. Anything else: the parameters that differ from its defaults.
    """
    if hasattr(step, "_xgb_kwargs"):
        out = dict(step._xgb_kwargs())
        if hasattr(step, "class_weight"):
            out["class_weight"] = step.class_weight
        return out
    if not hasattr(step, "get_params"):
        return {}
    params = step.get_params(deep=False)
    name = type(step).__name__
    keys = [k for k in KEY_PARAMS.get(_KEY_ALIASES.get(name, name), ()) if k in params
            and (k not in _KERNEL_ONLY or params.get("kernel") in _KERNEL_ONLY[k])]
    # scikit-learn 1.8 deprecated LogisticRegression's penalty for l1_ratio (0: L2, 1: L1)
    if "penalty" in keys and params["penalty"] == "deprecated":
        keys.remove("penalty")
    elif "penalty" in keys and params["penalty"] != "elasticnet" and "l1_ratio" in keys:
        keys.remove("l1_ratio")
    out = {k: params[k] for k in keys}
    out.update({k: v for k, v in _changed(step, params).items() if k not in out})
    return out


def _changed(step: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of ``step`` that differ from its class's ``__init__`` defaults."""
    import inspect

    try:
        sig = inspect.signature(type(step).__init__).parameters
    except (TypeError, ValueError):
        return dict(params)
    out = {}
    for k, v in params.items():
        default = sig[k].default if k in sig else inspect.Parameter.empty
        try:
            same = default is not inspect.Parameter.empty and bool(default == v) \
                and type(default) is type(v)
        except (TypeError, ValueError):  # arrays and the like
            same = False
        if not same and not (default is None and v is None):
            out[k] = v
    return out


def _pipeline_lines(estimator: Any, given: Mapping[str, Any] | None,
                    verbose: bool) -> list[str]:
    """The preprocessing steps as scikit-learn prints them (the parameters that differ from
    their defaults), the model with its effective hyper-parameters
    (:func:`model_params_shown`); ``verbose``: every parameter, a line per step."""
    steps = list(getattr(estimator, "steps", None) or [("model", estimator)])
    *prep, (last_name, last) = steps
    shown = ", ".join(f"{k}={v!r}" for k, v in model_params_shown(last).items())
    parts = [f"{name} {' '.join(repr(step).split())}" for name, step in prep]
    parts.append(f"{last_name} {type(last).__name__}({shown})")
    line = "pipeline: " + " -> ".join(parts)
    if given:
        line += f" (given: {', '.join(f'{k}={v!r}' for k, v in given.items())})"
    if not verbose:
        return [line + f"; other parameters at {_library(last)} defaults"]
    out = [line]
    for name, step in steps:
        params = step.get_params(deep=False) if hasattr(step, "get_params") else {}
        if hasattr(step, "_xgb_kwargs"):  # what XGBoost is handed, xgb_params spread out
            params = {**{k: v for k, v in params.items() if k != "xgb_params"},
                      **model_params_shown(step)}
        text = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        out.append(f"  {name} {type(step).__name__}: {text or 'no parameters'}")
    return out


def _features_lines(model: Any, verbose: bool) -> list[str]:
    """How many features, of which groups (``mfcc``, ``mfcc_delta``), the first and last
    name, and the extraction recorded (level, sets); ``verbose``: then every name, a line
    per group."""
    from .explain import group_features

    names = list(model.feature_names)
    by_group = group_features(names)
    groups = [f"{g} {len(ix)}" for g, ix in by_group.items()]
    ends = f" ({names[0]} ... {names[-1]})" if len(names) > 2 else f" ({', '.join(names)})"
    prov = model.feature_provenance or {}
    sets = ", ".join(s.get("name") or "?" for s in prov.get("sets", [])) or "?"
    out = [f"features: {len(names)} in {counted(len(groups), 'group')}: "
           f"{_names(groups, verbose)}{ends}; level {prov.get('level', '?')}, sets {sets}"]
    if verbose:
        out += [f"  {g} ({len(ix)}): {', '.join(names[i] for i in ix)}"
                for g, ix in by_group.items()]
    return out


def _left_out_causes(model: Any) -> str:
    """Why training rows were left out: only the causes this model's training had (a label
    map, a group column)."""
    st = model.settings or {}
    causes = ["no label"]
    if st.get("label_map") is not None:
        causes.append("a label the map drops")
    if st.get("groups", model.groups):
        causes.append("no group")
    said = causes[0] if len(causes) == 1 else (
        f"{', '.join(causes[:-1])}{',' if len(causes) > 2 else ''} or {causes[-1]}")
    if "groups" not in st and not model.groups:
        # older models recorded the group column only with per-group standardisation, and
        # nothing else they hold tells whether one was given; the version is what a user
        # can match against their own installs (it is not bumped per change, so no cut-off)
        ver = (st.get("versions") or {}).get("emofeat")
        saved = f"saved by emofeat {ver}" if ver else "emofeat version not recorded"
        said += ("; perhaps no group: whether a group column was given is not recorded in "
                 f"this model ({saved})")
    return said


def _training_line(model: Any) -> str:
    """The rows given and left out, the seed and the versions the model was fitted with."""
    from .persistence import _uses_xgboost

    st, estimator = model.settings or {}, model.estimator
    n, dropped, blank = st.get("n_train"), st.get("dropped_rows"), st.get("rows_without_features")
    out = []
    if isinstance(n, int) and (dropped or blank):
        out.append(f"{n} of {n + (dropped or 0) + (blank or 0)} rows")
        if dropped:
            out.append(f"{dropped} left out ({_left_out_causes(model)})")
        if blank:
            out.append(f"{blank} without any finite feature")
    if st.get("random_state") is not None:
        out.append(f"seed {st['random_state']}")
    v = st.get("versions") or {}
    keys = ["emofeat", "sklearn"] + (["xgboost"] if _uses_xgboost(estimator) else [])
    libs = [f"{'scikit-learn' if key == 'sklearn' else key} {v[key]}" for key in keys
            if v.get(key)]
    if libs:
        out.append(f"fitted with {', '.join(libs)}")
    return f"training: {'; '.join(out) or 'not recorded'}"
