"""The journal's own schemas: the house-rule catalogue and the submission metadata schema.

The folder stays at the top of the repository, where the project's layout puts it
(DESIGN.md, STYLE.md); ``setup.py`` ships it as the package ``frontiers_de.schemas``, read
through ``importlib.resources`` (``frontiers_de/package_files.py``). The official XSDs are not
here: they come from ``fde.schema_dir`` / ``FDE_SCHEMA_DIR``.
"""
