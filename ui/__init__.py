"""Streamlit-side helpers: URL state, cached wrappers, widgets and plotly figures."""
