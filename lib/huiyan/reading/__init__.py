"""The reading layer: how huiyan reads free text (penalty facts, judgments, any text column).

One module per part of reading:

- :mod:`~huiyan.reading.vocabulary`: the word lists, as data in ``datasets/vocabulary.yaml``
  (a county adds words in ``<workspace>/datasets/vocabulary-local.yaml``);
- :mod:`~huiyan.reading.numerals`: numbers as written (3,200 / 三千二百 / 壹拾贰万 / 9.6万);
- :mod:`~huiyan.reading.scope`: clauses, sentences and negation (不属于禁采区 is no 禁采区);
- :mod:`~huiyan.reading.figures`: figures announced by a word (价值约9.6万元);
- :mod:`~huiyan.reading.snippets`: the words a clue was read from, in their context.

Everything that reads a table column has an ibis form (inside the database, DuckDB and
Spark alike) and a Python form that gives the same answers.
"""

from __future__ import annotations

from huiyan.reading.vocabulary import Vocabulary, load

__all__ = ["Vocabulary", "load"]
