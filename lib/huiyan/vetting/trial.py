"""The checks that run the model: on the synthetic tiny province, twice, through the ordinary runner.

The tiny province lives in ``<home>/.vetting/tiny`` (generated once, reused while the
huiyan version and the seed are the same). The first run must succeed; the second must
give the same clue ids (a model whose clues change from run to run cannot be reviewed).
The runs' manifests say which rules reported and what each read (its lineage), which is
checked against the card and the data contract. Then each rule is measured: against the
truth the synthetic province planted for its code; else against the author's labelled
sample (``<name>.labels.csv``), on a run over this workspace's own data, which is what the
author labelled; else it is shown as not measured, which is no failure.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from huiyan.catalog import ModelCard
from huiyan.errors import HuiyanError
from huiyan.lineage import Lineage
from huiyan.vetting.checks import RUN_CHECKS, Check, check, skipped
from huiyan.workspace import Workspace

log = logging.getLogger(__name__)

TINY_SEED = 7
"""The seed of the synthetic province every model is vetted on."""
NOT_MEASURED = "not measured"


def tiny_workspace(ws: Workspace, *, progress: bool = False) -> Workspace:
    """The synthetic tiny province models are vetted on, generated once per huiyan version and seed."""
    import huiyan
    from huiyan import synth

    home = ws.home / ".vetting" / "tiny"
    marker = home / "synth.json"
    want = {"scale": "tiny", "seed": TINY_SEED, "huiyan": huiyan.__version__}
    try:
        fresh = json.loads(marker.read_text(encoding="utf-8")) == want
    except (OSError, ValueError):
        fresh = False
    if not fresh or not (home / "datasets" / "huiyan.duckdb").exists():
        log.info("vetting: generating the tiny synthetic province in %s", home)
        marker.unlink(missing_ok=True)
        with huiyan.workspace(home, engine="duckdb") as tiny:
            synth.generate(tiny, scale="tiny", seed=TINY_SEED, progress=progress)
        marker.write_text(json.dumps(want), encoding="utf-8")
    return huiyan.workspace(home, engine="duckdb")


@dataclass(frozen=True)
class RunChecks:
    """The checks that ran the model, and what they saw: the first tiny run, per-rule scores."""

    checks: tuple[Check, ...]
    run: Any = None
    scores: dict[str, Any] | None = None


def _failed_run(why: Iterable[str], run: Any = None) -> RunChecks:
    rest = skipped("运行未成功 the run did not succeed", RUN_CHECKS[1:])
    return RunChecks((check("run", False, why), *rest), run)


def _run(card: ModelCard, ws: Workspace, *, progress: bool) -> Any:
    """One run of ``card`` on the whole of ``ws`` with default parameters, as huiyan run does."""
    from huiyan.runs.runner import execute, prepare, prepare_inputs

    try:
        prepare_inputs(card, ws, engine="duckdb")  # as huiyan run does (derived tables)
        prepared = prepare(card, ws, engine="duckdb")
    finally:
        ws.close()
    return execute(prepared, region="", progress=progress)


def _clues(run: Any) -> Any:
    import pandas as pd

    return pd.read_parquet(run.run_dir / "clues.parquet")


def deterministic_check(first: Any, second: Any) -> Check:
    """Two runs on the same data give the same clue ids."""
    if second.status != "succeeded":
        error = second.manifest.get("error") or {}
        return check(
            "deterministic", False, [f"第二次运行失败 the second run failed: {error.get('zh', '')}"]
        )
    a, b = set(_clues(first).clue_id), set(_clues(second).clue_id)
    if a == b:
        return check(
            "deterministic", True, [f"两次运行各 {len(a)} 条线索，编号相同 same {len(a)} clue ids"]
        )
    only_a, only_b = sorted(a - b), sorted(b - a)
    return check(
        "deterministic",
        False,
        [
            f"第一次独有 only in run 1: {len(only_a)} ({', '.join(only_a[:5])})",
            f"第二次独有 only in run 2: {len(only_b)} ({', '.join(only_b[:5])})",
            "线索必须可复现：请检查规则是否依赖随机数、当前时间或无序的取值 "
            "Clues must be reproducible: look for randomness, the current time or unordered picks.",
        ],
    )


def county_check(card: ModelCard, tiny: Workspace) -> Check:
    """A card that says ``county_local``: a run of every county of the tiny province ``tiny``,
    each on its own in one computation (``region = "*"``, what ``--each-county`` splits),
    gives for each county exactly the clues of that county run alone."""
    from huiyan import counties
    from huiyan.runs.province import execute_on_warm_kernel, release_warm_kernel
    from huiyan.runs.runner import prepare

    with tiny:
        prepared = prepare(card, tiny, engine="duckdb")
        regions = tiny.regions()
    differ = []
    try:
        each = execute_on_warm_kernel(prepared, counties.EACH)
        if each.status != "succeeded":
            error = each.manifest.get("error") or {}
            return check(
                "county_local",
                False,
                [f"逐县一次计算失败 the run of every county failed: {error.get('zh', '')}"],
            )
        whole = _clues(each)
        for region in regions:
            alone = execute_on_warm_kernel(prepared, region)
            if alone.status != "succeeded":
                error = alone.manifest.get("error") or {}
                differ.append(
                    f"{region}: 单独运行失败 the county run failed: {error.get('zh', '')}"
                )
                continue
            own = _clues(alone)
            mine = set(zip(own.clue_id, own.summary, strict=True))
            part = whole[whole.region == region]
            split = set(zip(part.clue_id, part.summary, strict=True))
            if mine != split:
                only_alone = sorted(c for c, _ in mine - split)
                only_split = sorted(c for c, _ in split - mine)
                differ.append(
                    f"{region}: 单独运行独有 only alone {len(only_alone)} "
                    f"({', '.join(only_alone[:3])})；一次计算独有 only in the run of every county "
                    f"{len(only_split)} ({', '.join(only_split[:3])})"
                )
    finally:
        release_warm_kernel()
    if not differ:
        return check(
            "county_local",
            True,
            [
                f"{len(regions)} 个县区单独运行，线索与一次逐县计算按县拆分相同 "
                f"same clues in all {len(regions)} counties"
            ],
        )
    return check(
        "county_local",
        False,
        [
            *differ,
            "有规则比较了不同县区的记录：请在其分组和连接中加入 huiyan.counties 的 by_county / "
            "same_county，或删去模型卡的 county_local: true（逐县运行将各县单独计算） "
            "A rule compares records of different counties: add huiyan.counties.by_county / "
            "same_county to its groups and joins, or remove county_local: true from the card "
            "(--each-county then runs every county on its own).",
        ],
    )


def reported_check(card: ModelCard, manifest: Mapping[str, Any], own: Mapping[str, Any]) -> Check:
    """The rules the notebook collected are the card's, documented as the card says.

    ``own`` is how the notebook's ``@hy.rules.rule`` documented each rule it collected
    (recorded in clues.parquet, :func:`huiyan.runs.saving.rules_of`).
    """
    counts = manifest.get("clues_by_rule") or {}
    why = [
        f"规则 {code} 在模型卡上，但笔记本没有收集它 / {code} is on the card but the notebook "
        "never collects it"
        for code in card.rules
        if own and code not in own
    ]
    why += [
        f"规则 {code} 有线索，但模型卡未列出 / {code} was reported but is not on the card"
        for code in own
        if code not in card.rules
    ]
    for code, doc in card.rule_docs.items():
        mine = own.get(code) or {}
        for key, label in (("zh", "监督点 zh"), ("basis", "法律依据 basis")):
            said = str(mine.get(key) or "")
            if (
                said
                and getattr(doc, key)
                and "".join(said.split()) != "".join(getattr(doc, key).split())
            ):
                why.append(
                    f"规则 {code} 的{label}在笔记本（@hy.rules.rule）和模型卡上不一致："
                    f"笔记本「{said}」，模型卡「{getattr(doc, key)}」 / the notebook and the card "
                    f"document {code} differently"
                )
    if why:
        return check("reported", False, why)
    lines = [f"{code}: {counts.get(code, 0)} 条线索 clues" for code in card.rules]
    return check("reported", True, lines)


def _derived_tables() -> dict[str, str]:
    """Tables the library derives from a contract dataset (the judgment reader's jd_*), by name."""
    from huiyan.judgments.store import TABLES

    return {name: "judgments" for name in TABLES}


def contract_check(card: ModelCard, lineage: Mapping[str, Any], tiny: Workspace) -> Check:
    """Every dataset and column each rule read is in the contract, and every dataset is on the card."""
    from huiyan import contracts

    known = contracts.datasets()
    derived = _derived_tables()
    why, notes, read = [], [], set()
    columns_read: dict[str, set[str]] = {}
    for code in card.rules:
        lin = Lineage.from_dict(lineage.get(code) or {})
        if code not in lineage:
            continue
        cached = [t for t in lin.tables if t.startswith("ibis_cached_")]
        if lin.untraced or cached:
            kinds = ", ".join([*lin.untraced, *(["cache"] if cached else [])])
            notes.append(
                f"{code}: 部分结果在 Python 或缓存中计算，无法追溯到数据集列（{kinds}） / "
                f"partly computed outside the database, not traceable ({kinds})"
            )
        for table, columns in lin.tables.items():
            if table in cached:
                continue
            columns_read.setdefault(table, set()).update(columns)
            if table in known:
                read.add(table)
                extra = sorted(set(columns) - set(known[table].column_names))
                if extra:
                    why.append(
                        f"{code}: 数据集 {table} 的列 {', '.join(extra)} 不在数据契约中 / "
                        f"columns {', '.join(extra)} of {table} are not in the contract"
                    )
            elif table in derived:
                read.add(derived[table])
                if tiny.has_table(table):
                    missing = sorted(set(columns) - set(tiny.table(table).columns))
                    if missing:
                        why.append(f"{code}: {table} 没有列 has no columns {', '.join(missing)}")
            else:
                why.append(
                    f"{code}: 读取的表 {table} 不是数据契约中的数据集 / reads {table}, which is "
                    "not a contract dataset (a county's own table cannot travel)"
                )
    why += [
        f"模型卡的数据集 {d} 不在数据契约中 / the card's dataset {d} is not in the contract"
        for d in card.datasets
        if d not in known
    ]
    why += [
        f"规则读取了数据集 {d}，但模型卡 datasets 没有列出（质量校验不会检查它） / the rules read "
        f"{d} but the card does not list it (so its quality is never checked)"
        for d in sorted(read - set(card.datasets))
    ]
    if why:
        return check("contract", False, why + notes)
    lines = [
        f"{table}: {', '.join(sorted(cols)) or '—'}" for table, cols in sorted(columns_read.items())
    ]
    return check(
        "contract", True, [f"规则读取 rules read: {len(lines)} 个表 tables", *lines, *notes]
    )


def _truth(tiny: Workspace, codes: Iterable[str]) -> Any:
    """The truth the synthetic province planted for these rule codes (whatever model planted it)."""
    if not tiny.has_table("truth"):
        return None
    t = tiny.table("truth")
    return t.filter(t.rule.isin(list(codes))).select("rule", "record").execute()


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def quality_check(
    card: ModelCard, frame: Any, tiny: Workspace, labelled: tuple[Any, str] | None
) -> tuple[Check, dict[str, Any]]:
    """Precision and recall of each rule: against planted truth, else labels, else not measured.

    ``labelled`` is (the clues of the run on the labelled data, a line saying which run),
    or None when the model has no labelled sample. The card's quality bar applies to every
    measured figure; a rule that could not be measured is shown as such and does not fail.
    """
    from huiyan import evaluation
    from huiyan.vetting import labels as labelled_sample

    bar_p = float(card.quality_bar.get("precision", 0.0))
    bar_r = float(card.quality_bar.get("recall", 0.0))
    why = [f"要求 bar: 精确率 precision ≥ {bar_p:.2f}，召回率 recall ≥ {bar_r:.2f}"]
    truth = _truth(tiny, card.rules)
    planted = (
        evaluation.compare(frame[frame.rule.isin(card.rules)], truth, model=card.name)
        if truth is not None and len(truth)
        else None
    )
    by_planted = {s.rule: s for s in planted.scores if s.planted} if planted else {}
    by_label: dict[str, Any] = {}
    if card.labels is not None and labelled is not None:
        sample = labelled_sample.read(card.labels)
        by_label = labelled_sample.measure(sample, labelled[0], card.rules)
        why.append(labelled[1])
    ok, scores = True, {}
    for code in card.rules:
        if code in by_planted:
            s = by_planted[code]
            p, r, against = s.precision, s.recall, "planted"
            counts = f"埋设 planted {s.planted}, 命中 flagged {s.flagged}"
            scores[code] = {"measured": against, "planted": s.planted, "flagged": s.flagged,
                            "true_positives": s.true_positives}  # fmt: skip
        elif code in by_label:
            s = by_label[code]
            p, r, against = s.precision, s.recall, "labels"
            counts = f"标注 labelled {s.labelled_yes} 是 yes / {s.labelled_no} 否 no"
            scores[code] = {"measured": against, "labelled_yes": s.labelled_yes,
                            "labelled_no": s.labelled_no, "true_positives": s.true_positives,
                            "false_positives": s.false_positives}  # fmt: skip
        else:
            scores[code] = {"measured": NOT_MEASURED, "precision": None, "recall": None}
            why.append(
                f"{code}: 未评估 not measured（合成数据未埋设此规则，也没有标注样本 no planted "
                f"truth and no labelled sample: add {card.name}.labels.csv to measure it）"
            )
            continue
        scores[code].update(
            precision=None if p is None else round(p, 4), recall=None if r is None else round(r, 4)
        )
        low = [f"精确率 precision {p:.2f} < {bar_p:.2f}"] if p is not None and p < bar_p else []
        low += [f"召回率 recall {r:.2f} < {bar_r:.2f}"] if r is not None and r < bar_r else []
        ok = ok and not low
        source = (
            "对照埋设真值 vs planted truth" if against == "planted" else "对照标注样本 vs labels"
        )
        line = f"{code}: P={_fmt(p)} R={_fmt(r)} {source} ({counts})"
        why.append(line + (f"  ✗ {'; '.join(low)}" if low else ""))
    return check("quality", ok, why), scores


def _labelled_run(
    card: ModelCard, ws: Workspace, tiny_run: Any, *, progress: bool
) -> tuple[Any, str] | None:
    """The clues to measure the labelled sample on: a run over this workspace's own data.

    The author labelled records of the data they work on. Without that data here, the
    tiny run's clues are used (labels of synthetic records).
    """
    if card.labels is None:
        return None
    tiny_data = tiny_run.manifest.get("datasets") or {}
    try:
        has_data = all(ws.has_table(d) for d in card.datasets)
        same = has_data and all(
            ws.snapshot(d).fingerprint == (tiny_data.get(d) or {}).get("fingerprint")
            for d in card.datasets
        )
    except HuiyanError:  # a workspace with no data yet
        has_data = same = False
    tiny = f"labels vs the tiny run {tiny_run.run_id}"
    if not has_data or same:  # no data of its own, or the tiny province's: the tiny run will do
        return _clues(tiny_run), f"标注样本对照合成小省运行 {tiny}"
    import huiyan

    try:
        run = _run(card, huiyan.workspace(ws.home, engine="duckdb"), progress=progress)
    except HuiyanError as err:
        return _clues(tiny_run), f"本工作区无法运行 cannot run here ({err.en}); {tiny}"
    if run.status != "succeeded":
        return _clues(tiny_run), f"本工作区运行失败 the run here failed ({run.run_dir}); {tiny}"
    here = f"labels vs this workspace's run {run.run_id} ({run.run_dir})"
    return _clues(run), f"标注样本对照本工作区的运行 {here}"


def run_checks(card: ModelCard, ws: Workspace, *, progress: bool = False) -> RunChecks:
    """Run twice on the tiny province; check determinism, reported rules, lineage; score each rule."""
    tiny = tiny_workspace(ws, progress=progress)
    try:
        first = _run(card, tiny, progress=progress)
    except HuiyanError as err:
        return _failed_run([err.zh, err.en])
    if first.status != "succeeded":
        error = first.manifest.get("error") or {}
        why = [
            str(error.get("zh", "")),
            str(error.get("en", "")),
            f"运行目录 Run folder: {first.run_dir}",
        ]
        return _failed_run(why, first)
    ran = check(
        "run",
        True,
        [f"运行编号 run {first.run_id}：{first.clue_count} 条线索 clues ({first.run_dir})"],
    )
    from huiyan.runs.saving import rules_of

    second = _run(card, tiny_workspace(ws), progress=progress)
    own = rules_of(first.run_dir / "clues.parquet")["rules"]
    frame = _clues(first)
    with tiny_workspace(ws) as tiny:
        contract = contract_check(card, first.manifest.get("lineage") or {}, tiny)
        labelled = _labelled_run(card, ws, first, progress=progress)
        quality, scores = quality_check(card, frame, tiny, labelled)
    checks = (
        ran,
        deterministic_check(first, second),
        *([county_check(card, tiny_workspace(ws))] if card.county_local else []),
        reported_check(card, first.manifest, own),
        contract,
        quality,
    )
    return RunChecks(checks, first, scores)


__all__ = ["TINY_SEED", "RunChecks", "run_checks", "tiny_workspace"]
