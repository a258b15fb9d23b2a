"""A per-speaker standardised model says why it wants the speaker column (hunt of session 49).

``TrainedModel.predict`` (and ``emofeat predict``) of a model trained with
``standardize="group"`` on a table without the group column said only "no column 'speaker'
in the table; identity columns are [...]", not that the model standardises each speaker with
its own rows' statistics. Real RAVDESS mfcc functionals (80 files, 4 actors).
"""

from __future__ import annotations

import pytest
from emofeat.classifiers import DataError, train

from emofeat.table import FeatureTable


def test_missing_group_column_names_the_standardisation(ravdess_four_speakers_mfcc):
    table = ravdess_four_speakers_mfcc
    model = train(table, "emotion", "logreg", groups="speaker", standardize="group")
    frame = table.to_pandas().drop(columns=["speaker"])
    without = FeatureTable.from_pandas(frame, table.feature_names)
    with pytest.raises(DataError, match=(
            r"no column 'speaker' in the table; identity columns are \[.*\]: this model "
            r"standardises each speaker with the statistics of its own rows")):
        model.predict(without)
    assert len(model.predict(table)) == len(table)
