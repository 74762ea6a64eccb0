"""JATS to print HTML: the page WeasyPrint lays out.

The front matter (masthead, title, authors, dates, licence, abstracts) comes from the shared
metadata reader and a Jinja2 template (``templates/print/article.html.j2``); the body, back
matter and references are converted here, walking the lxml tree once. Python over lxml
rather than XSLT because the conversion also draws formulas, loads figures, numbers
sections and collects warnings, which would all be callbacks from XSLT anyway; the walk costs
a few milliseconds per article (MEASUREMENTS.md: XML work is about 1 % of typesetting).

The package's parts: :mod:`.article` assembles them (:func:`build_print_html`);
:mod:`.front`, :mod:`.body` and :mod:`.back` convert the front matter, the body and the back
matter with one :class:`.converter.BodyConverter` (whose parts are :mod:`.floats`,
:mod:`.formulas`, :mod:`.notes` and :mod:`.references`); :mod:`.page` holds the stylesheet,
the running heads and the template; :mod:`.markup` the helpers they share.

This module is the package's public face: the names the typesetting service, the tests and
the benchmarks use.
"""

from frontiers_de.production.typesetting.printhtml.article import PrintHTML, build_print_html
from frontiers_de.production.typesetting.printhtml.front import cite_as
from frontiers_de.production.typesetting.printhtml.markup import Stats
from frontiers_de.production.typesetting.printhtml.page import css_string, print_css

__all__ = ["PrintHTML", "Stats", "build_print_html", "cite_as", "css_string", "print_css"]
