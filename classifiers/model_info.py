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
    lines = [f"model {st.get('model', '?')} of {model.task} of {model.target!r}, "
             f"{counted(len(model.feature_names), 'feature')}, trained on "
             f"{counted(n_train, 'row')}"]
    if model.task == "classification":
        lines.append(_classes_line(model, n_train))
        lines.append(_labels_line(model, verbose))
    lines.append(_standardisation_line(model))
    lines += _pipeline_lines(model.estimator, st.get("model_params"), verbose)
    lines.append(_features_line(model, verbose))
    lines.append(_training_line(st, model.estimator))
    return lines


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
          "str": "strings"}


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

    from .standardize import GroupStandardScaler

    steps = [s for _, s in getattr(model.estimator, "steps", [])] or [model.estimator]
    group = next((s for s in steps if isinstance(s, GroupStandardScaler)), None)
    scaled = any(isinstance(s, StandardScaler) for s in steps)
    then = ", then z-scored with the training rows' means and sds" if scaled else ""
    if group is not None:
        seen = getattr(group, "n_groups_fit_", None)
        where = (f"the {model.groups!r} column of the tables to predict" if model.groups
                 else f"the column {group.group_column!r}" if group.group_column
                 else "groups= at prediction")
        trained = (f"; {counted(seen, model.groups or 'group')} in training"
                   if seen is not None else "")
        return (f"standardisation: per {model.groups or 'group'} (each one's rows with their "
                f"own mean and sd{trained}){then}; needs {where}")
    if scaled:
        return "standardisation: z-scored with the training rows' means and sds"
    return "standardisation: none in the pipeline"


def _pipeline_lines(estimator: Any, given: Mapping[str, Any] | None,
                    verbose: bool) -> list[str]:
    """The steps with the parameters that differ from their class's defaults (scikit-learn's
    way of printing an estimator); ``verbose``: every parameter, a line per step."""
    steps = list(getattr(estimator, "steps", None) or [("model", estimator)])
    line = "pipeline: " + " -> ".join(f"{name} {' '.join(repr(step).split())}"
                                       for name, step in steps)
    if given:
        line += f" (given: {', '.join(f'{k}={v!r}' for k, v in given.items())})"
    if not verbose:
        return [line + "; other parameters at their defaults"]
    out = [line]
    for name, step in steps:
        params = step.get_params(deep=False) if hasattr(step, "get_params") else {}
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        out.append(f"  {name} {type(step).__name__}: {shown or 'no parameters'}")
    return out


def _features_line(model: Any, verbose: bool) -> str:
    """How many features, of which groups (``mfcc``, ``mfcc_delta``), the first and last
    name (all: ``model.feature_names``), and the extraction recorded (level, sets)."""
    from .explain import group_features

    names = list(model.feature_names)
    groups = [f"{g} {len(ix)}" for g, ix in group_features(names).items()]
    ends = f" ({names[0]} ... {names[-1]})" if len(names) > 2 else f" ({', '.join(names)})"
    prov = model.feature_provenance or {}
    sets = ", ".join(s.get("name") or "?" for s in prov.get("sets", [])) or "?"
    return (f"features: {len(names)} in {counted(len(groups), 'group')}: "
            f"{_names(groups, verbose)}{ends}; level {prov.get('level', '?')}, sets {sets}")


def _training_line(st: Mapping[str, Any], estimator: Any) -> str:
    """The rows given and left out, the seed and the versions the model was fitted with."""
    from .persistence import _uses_xgboost

    n, dropped, blank = st.get("n_train"), st.get("dropped_rows"), st.get("rows_without_features")
    out = []
    if isinstance(n, int) and (dropped or blank):
        out.append(f"{n} of {n + (dropped or 0) + (blank or 0)} rows")
        if dropped:
            out.append(f"{dropped} left out (no label, a label the map drops, or no group)")
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
