"""Reads of the projects app, scoped to the user: `projects.py`, `consultations.py`, `cases.py`, `rollups.py`."""
