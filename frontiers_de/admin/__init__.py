"""Administration: per-journal roles and the journal's settings and sections (views in
``views.py``, found by the app's scan; the rules live in ``accounts.services`` and
``journals.services``)."""
