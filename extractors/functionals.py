"""Kept for imports written before the functionals moved to the core: see
:mod:`emofeat.functionals`."""

from emofeat.functionals import (  # noqa: F401
    DEFAULT_FUNCTIONALS,
    compute_functionals,
    deltas,
    functional_names,
    validate_functionals,
)
