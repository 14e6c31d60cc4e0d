"""Method: the model in plain words and formulas, the weights, the calibration."""

import re
from pathlib import Path

import streamlit as st

from ui import chartview, datastore

datastore.dataset_or_stop()
METHOD = Path(__file__).resolve().parent.parent / "docs" / "method.md"
if datastore.is_custom():
    st.caption(
        "The calibration table and the calibrated scale below were computed on the built-in "
        "dataset; your dataset's scores are read on the same scales (one per framing)."
    )
# The method text is the project's own document (tests keep it in step with the code).
# Its HTML comments are markers for those tests, not for readers; one marks where the
# chart of the calibrated scale goes.
before, _, after = METHOD.read_text(encoding="utf-8").partition("<!-- scale-chart -->")
st.markdown(re.sub(r"<!--.*?-->\n?", "", before))
if after:
    chartview.scale_chart()
st.markdown(re.sub(r"<!--.*?-->\n?", "", after))
