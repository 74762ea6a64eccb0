"""What the fork server of time-limited children loads once (see ``jobs/time_limit.py``).

The fork server imports this module when it starts; every child forked from it then has
WeasyPrint, ziamath and its math font, the font configuration and the compiled reader-HTML
stylesheet ready, instead of loading them again for each typesetting or transform (about
a second of work per child otherwise).
"""

from __future__ import annotations

from frontiers_de.production.jats import html
from frontiers_de.production.typesetting import math, pdf, service  # noqa: F401

html.warm_up()
math.warm_up()
pdf.warm_up()
