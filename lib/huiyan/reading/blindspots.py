"""Blind spots: the commonest sentences around the key words in texts a rule could not read.

A text rule counts the records where the deciding figure or phrase could not be read
(the model's ``unread``); this module shows why: it cuts those records' texts into
sentences, keeps the ones holding a key word, makes them comparable (numbers become #,
the party's name 某), and counts them. A county reads the top sentences, adds the
missing words to ``<workspace>/datasets/vocabulary-local.yaml``, runs again and sees the
count fall (``huiyan unread MODEL``).

>>> import pandas as pd
>>> texts = pd.DataFrame({"record": ["a", "b"], "text": ["张三盗挖河砂3200吨，变卖得款9.6万元。", "李四盗挖河砂800吨，变卖得款2万元。"],
...                       "name": ["张三", "李四"]})
>>> n, form, example = common_sentences(texts, ("河砂",)).iloc[0]
>>> int(n), form, example
(2, '某盗挖河砂#吨,变卖得款#万元。', 'a')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from huiyan.counties import SCOPE, by_county
from huiyan.reading import numerals
from huiyan.reading.scope import sentences
from huiyan.reading.vocabulary import pattern

COLUMNS = ("次数 count", "句子 sentence", "示例记录 example")


def _masked(sentence: str, name: str | None) -> str:
    if name:
        sentence = sentence.replace(name, "某")
    sentence = re.sub(r"[0-9]+(?:[,.][0-9]+)*", "#", sentence)
    return re.sub(
        f"(?<![\\u4e00-\\u9fa5]){numerals.CHINESE}(?=[万亿吨元千克公斤方立])", "#", sentence
    )


def common_sentences(
    records: pd.DataFrame, words: tuple[str, ...], *, top: int = 20
) -> pd.DataFrame:
    """The ``top`` commonest sentences holding one of ``words`` in ``records``' texts.

    Args:
        records: columns ``record`` (a reference), ``text`` and optionally ``name`` (masked).
        words: the key words (a rule's vocabulary lists).
        top: how many sentences to show.

    Returns:
        One row per sentence form: how many times it occurs, the form, one record it is from.
    """
    key = re.compile(pattern(words))
    counts: dict[str, list] = {}
    names = records["name"] if "name" in records.columns else [None] * len(records)
    for record, text, name in zip(records["record"], records["text"], names, strict=True):
        if not isinstance(text, str):
            continue
        for s in sentences(numerals.normalise(text)):
            if not key.search(s):
                continue
            form = _masked(s.strip(), name if isinstance(name, str) else None)
            entry = counts.setdefault(form, [0, record])
            entry[0] += 1
    rows = sorted(
        ((n, form, rec) for form, (n, rec) in counts.items()), key=lambda r: (-r[0], r[1])
    )
    return pd.DataFrame(rows[:top], columns=list(COLUMNS))


def counts(
    table: ir.Table, flags: Mapping[str, tuple[ir.BooleanValue | None, ir.BooleanValue]]
) -> dict[str, dict[str, Any]]:
    """A model's blind spots, for :func:`huiyan.runs.save`: per text rule, the records it
    looked at and those whose deciding figure or phrase could not be read.

    Args:
        table: the records, one row each.
        flags: rule code -> (whether a row is a candidate of the rule, None for every row;
            whether its deciding fact went unread). A missing flag counts as false.

    Returns:
        ``{rule: {"candidates": n, "unread": m}}``; in a run of each county on its own
        (:mod:`huiyan.counties`) also ``"counties": {county: {"candidates": n, "unread": m}}``,
        so that each county's folder shows its own.
    """
    metrics: dict[str, ir.Value] = {}
    for i, (candidate, missed) in enumerate(flags.values()):
        looked = ibis.literal(True) if candidate is None else candidate.fill_null(False)
        metrics[f"c{i}"] = table.count() if candidate is None else looked.cast("int64").sum()
        metrics[f"u{i}"] = (looked & missed.fill_null(False)).cast("int64").sum()
    keys = by_county(table)
    summed = table.group_by(keys).aggregate(**metrics) if keys else table.aggregate(**metrics)
    rows = summed.to_pyarrow().to_pylist()

    def of(rows: list[dict[str, Any]], i: int) -> dict[str, int]:
        return {
            "candidates": sum(int(r[f"c{i}"] or 0) for r in rows),
            "unread": sum(int(r[f"u{i}"] or 0) for r in rows),
        }

    out: dict[str, dict[str, Any]] = {}
    for i, code in enumerate(flags):
        out[code] = of(rows, i)
        if keys:
            out[code]["counties"] = {str(r[SCOPE]): of([r], i) for r in rows}
    return out
