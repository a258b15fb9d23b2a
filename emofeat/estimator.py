"""The scikit-learn estimator protocol, without importing scikit-learn.

:class:`Estimator` gives a class everything sklearn's ``BaseEstimator`` + ``TransformerMixin``
give a transformer (``get_params``/``set_params``, ``clone``, a changed-only ``repr``,
``set_output``, ``__sklearn_tags__``, the HTML repr), implemented here or borrowed from
scikit-learn at the moment sklearn itself asks for it. Importing it imports no scikit-learn.

Why: every extractor is an sklearn transformer, and ``from sklearn.base import BaseEstimator``
costs 1-2 s at start-up (``sklearn.utils`` pulls in ``scipy.sparse``, ``scipy.stats``, ...).
``emofeat extract`` fits nothing and never needs it: the import would be the largest single
item of a short extraction. A pipeline, ``clone``, ``check_estimator`` or a notebook import
sklearn themselves, and then find the protocol here; the sklearn contract tests
(``tests/test_sklearn_contract_extractors.py``) run sklearn's own checks on every extractor.

Rules kept from sklearn: parameters are the keyword arguments of ``__init__``, stored as given;
``set_output`` wraps ``transform`` and ``fit_transform`` of every subclass that defines them.
``isinstance(x, sklearn.base.BaseEstimator)`` is ``False``: sklearn itself duck-types
estimators (``clone``, pipelines, search, ``check_estimator``).
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
from collections import defaultdict
from typing import Any


@functools.cache
def _param_names(cls: type) -> tuple[str, ...]:
    """The ``__init__`` parameter names of ``cls``, sorted (sklearn's order)."""
    init = cls.__init__
    if init is object.__init__:
        return ()
    names = []
    for p in inspect.signature(init).parameters.values():
        if p.name == "self" or p.kind == p.VAR_KEYWORD:
            continue
        if p.kind == p.VAR_POSITIONAL:
            raise RuntimeError(f"{cls.__name__}: estimators declare their parameters in the "
                               "signature of __init__ (no *args)")
        names.append(p.name)
    return tuple(sorted(names))


def _sklearn_loaded() -> bool:
    # sklearn's global configuration (set_config(transform_output=...)) exists only once
    # sklearn has been imported, so an unimported sklearn means the default configuration
    return "sklearn" in sys.modules


def _rows_of(X: Any, out: Any) -> Any:
    """The input whose index the wrapped output takes: ``None`` (a fresh index) when the
    output has another number of rows (frames at the LLD level, several windows or stretches
    of a recording), where the inputs' index would not fit."""
    pd = sys.modules.get("pandas")  # a DataFrame or Series input has imported it
    if pd is None or not isinstance(X, pd.DataFrame | pd.Series):
        return X
    n = getattr(out, "shape", (None,))[0]
    return None if n is not None and len(X) != n else X


def _wrap_output(method):
    """``method`` (``transform``/``fit_transform``) returning the container ``set_output``
    (or sklearn's global configuration) asks for, as sklearn's ``_SetOutputMixin`` does."""

    @functools.wraps(method)
    def wrapped(self, X, *args, **kwargs):
        out = method(self, X, *args, **kwargs)
        if getattr(self, "_sklearn_output_config", None) or _sklearn_loaded():
            from sklearn.utils._set_output import _wrap_data_with_container

            if isinstance(out, tuple):
                return (_wrap_data_with_container("transform", out[0], _rows_of(X, out[0]),
                                                  self), *out[1:])
            return _wrap_data_with_container("transform", out, _rows_of(X, out), self)
        return out

    wrapped._emofeat_wrapped = True
    return wrapped


class Estimator:
    """sklearn's estimator and transformer protocol, scikit-learn imported only when needed.

    A subclass declares its parameters as keyword arguments of ``__init__`` and stores them
    unchanged, defines ``fit``, ``transform`` and ``get_feature_names_out``, and is then an
    sklearn transformer: it clones, nests in pipelines and searches, and passes sklearn's
    estimator checks.
    """

    #: outputs ``set_output`` configures (sklearn reads this to know the wrapping is on)
    _sklearn_auto_wrap_output_keys = {"transform"}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # as sklearn's _SetOutputMixin: the methods a class defines itself are wrapped
        for name in ("transform", "fit_transform"):
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, "_emofeat_wrapped", False):
                setattr(cls, name, _wrap_output(method))

    # ------------------------------------------------------------------ parameters
    @classmethod
    def _get_param_names(cls) -> list[str]:
        """Parameter names (the keyword arguments of ``__init__``), sorted."""
        return list(_param_names(cls))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this estimator (with ``deep``, those of nested estimators as
        ``name__param``).

        Parameters
        ----------
        deep : bool, default True

        Returns
        -------
        dict
        """
        out: dict[str, Any] = {}
        for key in _param_names(type(self)):
            value = getattr(self, key)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{key}__{k}", v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params: Any) -> Estimator:
        """Set parameters (``name__param`` for those of nested estimators).

        Returns
        -------
        self
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = defaultdict(dict)
        for key, value in params.items():
            key, delim, sub_key = key.partition("__")
            if key not in valid:
                raise ValueError(f"Invalid parameter {key!r} for estimator {self}. Valid "
                                 f"parameters are: {self._get_param_names()!r}.")
            if delim:
                nested[key][sub_key] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub in nested.items():
            valid[key].set_params(**sub)
        return self

    def _clone(self) -> Estimator:
        """An unfitted copy with the same parameters (``sklearn.base.clone`` without sklearn,
        for parameters that are plain values)."""
        import copy

        new = type(self)(**{k: copy.deepcopy(v) for k, v in self.get_params(deep=False).items()})
        if hasattr(self, "_sklearn_output_config"):
            new._sklearn_output_config = copy.deepcopy(self._sklearn_output_config)
        return new

    # ------------------------------------------------------------------ output container
    def set_output(self, *, transform: str | None = None) -> Estimator:
        """Output container of ``transform`` and ``fit_transform``: ``"default"`` (NumPy),
        ``"pandas"`` or ``"polars"`` (named columns), as sklearn's ``set_output``.

        Returns
        -------
        self
        """
        if transform is None:
            return self
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    # ------------------------------------------------------------------ tags
    def __sklearn_tags__(self):
        """The tags of an sklearn transformer (``BaseEstimator`` + ``TransformerMixin``)."""
        from sklearn.utils import Tags, TargetTags, TransformerTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False),
                    transformer_tags=TransformerTags(), regressor_tags=None,
                    classifier_tags=None)

    # ------------------------------------------------------------------ representations
    def __repr__(self) -> str:
        params = self.get_params(deep=False)
        show_all = False
        if _sklearn_loaded():
            from sklearn import get_config

            show_all = not get_config().get("print_changed_only", True)
        if not show_all:
            defaults = {name: p.default for name, p in
                        inspect.signature(type(self).__init__).parameters.items()}
            params = {k: v for k, v in params.items() if _changed(v, defaults.get(k, _NONE))}
        name = type(self).__name__
        parts = [f"{k}={v!r}" for k, v in params.items()]
        # sklearn's layout: as many parameters a line as fit in 79 columns, aligned after "("
        lines, line = [], f"{name}("
        for i, part in enumerate(parts):
            text = part + ("," if i < len(parts) - 1 else ")")
            if line.strip() and not line.endswith("(") and len(line) + 1 + len(text) > 79:
                lines.append(line)
                line = " " * len(name) + " " + text
            else:
                line += ("" if line.endswith("(") else " ") + text
        lines.append(line if parts else f"{name}()")
        return "\n".join(lines)

    @property
    def _repr_html_(self):
        """HTML representation (sklearn's diagram) in notebooks, as sklearn estimators."""
        from sklearn import get_config

        if get_config()["display"] != "diagram":
            raise AttributeError("_repr_html_ is only defined when the 'display' "
                                 "configuration option is set to 'diagram'")
        return self._repr_html_inner

    def _repr_html_inner(self) -> str:
        from sklearn.utils import estimator_html_repr

        return estimator_html_repr(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        from sklearn import get_config

        out = {"text/plain": repr(self)}
        if get_config()["display"] == "diagram":
            out["text/html"] = self._repr_html_inner()
        return out

    def _get_params_html(self, deep: bool = True, doc_link: str = ""):
        # the parameter table of sklearn's HTML repr; sklearn's code reads self generically
        from sklearn.base import BaseEstimator

        return BaseEstimator._get_params_html(self, deep, doc_link)

    def _get_fitted_attr_html(self, doc_link: str = ""):
        from sklearn.base import BaseEstimator

        return BaseEstimator._get_fitted_attr_html(self, doc_link)


_NONE = object()


def _changed(value: Any, default: Any) -> bool:
    """Whether a parameter differs from its default, as sklearn's changed-only repr decides
    (by ``repr``; NaN equals NaN)."""
    if default is _NONE or default is inspect.Parameter.empty:
        return True
    if repr(value) == repr(default):
        return False
    both_nan = all(isinstance(x, float) and math.isnan(x) for x in (value, default))
    return not both_nan
