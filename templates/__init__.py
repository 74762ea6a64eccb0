"""Jinja2 templates for pages, emails (``email/<name>/``) and print (``print/``).

The folder stays at the top of the repository, where the project's layout puts it
(DESIGN.md, STYLE.md); ``setup.py`` ships it as the package ``frontiers_de.templates``, so
the app reads it through the package (asset spec ``frontiers_de.templates:``,
``importlib.resources``) in a checkout, an editable install and a wheel alike.
"""
