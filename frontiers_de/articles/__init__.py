"""The articles domain: the one owner of volumes, issues and articles.

- ``models``: :class:`Article`, :class:`Issue`, :class:`Volume` and their states.

Production writes these records (conversion, placement, publication); the reader site
(``publishing``) only reads them and depends on this package, never the other way.
"""
