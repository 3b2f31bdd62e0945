"""The run report (report.html) a reviewer works from, and the charts model notebooks draw.

``huiyan run`` writes report.html into every run folder (:func:`render`): one
self-contained file, no network, that opens from a USB stick. It holds what ran and
what was checked, charts of the clues by rule, county and month, a searchable,
sortable table of every clue with its id, evidence records and source words, the
comparison with the planted truth on a synthetic workspace, and the notebook's own
output with the code hidden. Personal data is masked (:mod:`huiyan.privacy`).

The report stage of a model notebook shows the same charts:

    hy.report.charts(found)            # by rule, county and month (inline SVG)
    hy.report.bar_by_rule(found)       # matplotlib Axes
    hy.report.bar_by_region(found)

Modules: :mod:`~huiyan.report.page` (the page), :mod:`~huiyan.report.clue_table`
(the table of every clue), :mod:`~huiyan.report.figures` (charts), :mod:`~huiyan.report.timeline`
(when each clue happened), :mod:`~huiyan.report.notebook` (the notebook appendix).
"""

from __future__ import annotations

from huiyan.report.figures import Html, bar_by_region, bar_by_rule, charts
from huiyan.report.page import header, render

__all__ = ["Html", "bar_by_region", "bar_by_rule", "charts", "header", "render"]
