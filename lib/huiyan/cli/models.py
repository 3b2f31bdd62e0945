"""Commands of the 'models' group: huiyan models, run, runs, new."""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace, progress_enabled
from huiyan.errors import ParameterError, RunFailed


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    p = add_command(
        sub,
        "models",
        help="模型目录：仓库的已审核模型、本工作区的模型和导入的模型，各自的来源、版本、数据集、参数、"
        "规则和审核状态；给出模型名称时显示其模型卡 The catalog: the repository's vetted models, "
        "the workspace's own and imported ones, where each comes from; one model's card in full.",
        example_text="huiyan models judicial_auction",
    )
    p.add_argument("model", nargs="?", help="只看此模型的模型卡 show this model's card")
    p.add_argument("--json", action="store_true", help="以 JSON 输出模型卡 print the cards as JSON")
    p.set_defaults(handler=models_command)

    p = add_command(
        sub,
        "run",
        help="运行模型：校验输入数据，用 papermill 执行笔记本，最后一行是运行目录 "
        "Validate the inputs, execute the model notebook; the last line is the run folder.",
        example_text="huiyan run judicial_auction --region 330602 -p start_ratio=0.7",
    )
    p.add_argument("model", nargs="?", help="模型名称 model name (see huiyan models)")
    p.add_argument("--region", default="", help="县区代码 county code; 默认全部 default: all")
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default=None,
        help="查询引擎 query engine (default: huiyan.toml or duckdb)",
    )
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="模型参数，可重复 a model parameter, repeatable",
    )
    p.add_argument(
        "--each-county",
        action="store_true",
        help="逐县运行并汇总 one run per county, then a province summary",
    )
    p.add_argument(
        "--jobs", type=int, default=1, help="并行运行数 counties run at once (default 1)"
    )
    p.add_argument(
        "--allow-unvetted",
        action="store_true",
        help="允许未审核模型逐县运行（试运行） let an unvetted model run each county (trial)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="run_all",
        help="运行目录中的每个模型 run every model in the catalog",
    )
    p.add_argument(
        "--timings",
        action="store_true",
        help="列出各阶段用时 print how long each stage of the run took",
    )
    p.set_defaults(handler=run_command)

    p = add_command(
        sub,
        "runs",
        help="历史运行：编号、模型、区划、参数、状态、线索数、用时 Past runs from their manifests.",
        example_text="huiyan runs judicial_auction",
    )
    p.add_argument("model", nargs="?", help="只看此模型 only this model")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 print JSON lines")
    p.set_defaults(handler=runs_command)

    p = add_command(
        sub,
        "new",
        help="在本工作区的 notebooks/ 新建模型笔记本：从模板（五个阶段，规则写在笔记本中），"
        "或用 --from 从已有模型改编 Start a new model notebook in the workspace's notebooks/, "
        "from the template or (--from) from an existing model.",
        example_text="huiyan new fishing_ban  或 or  huiyan new my_auction --from judicial_auction",
    )
    p.add_argument("model", help="新模型名称，小写字母加下划线 snake_case name")
    p.add_argument(
        "--from",
        dest="from_model",
        default=None,
        metavar="MODEL",
        help="从此模型的笔记本开始（新名称、版本 0.1.0、未审核） start from this model's notebook",
    )
    p.set_defaults(handler=new_command)


# ----------------------------------------------------------------------------- printing


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as an aligned plain-text table (CJK characters count double)."""
    if not rows:
        return ""
    heads = list(rows[0])
    cells = [[str(r.get(h, "")) for h in heads] for r in rows]
    widths = [max(_width(h), *(_width(c[i]) for c in cells)) for i, h in enumerate(heads)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    return "\n".join([line(heads), line(["-" * w for w in widths]), *(line(c) for c in cells)])


def _example(ws: Any, model: str | None, typed: Sequence[str] = ()) -> str:
    """A ``-p`` example from the model's own parameters (the generic form when unknown).

    A parameter the user typed without its value is the example, with its default.
    """
    from huiyan import catalog
    from huiyan.errors import HuiyanError

    try:
        card = catalog.get(model, ws) if model else None
    except HuiyanError:
        card = None
    if card is None or not card.parameters:
        return "例如 For example: -p NAME=VALUE（参数见 see huiyan models）"
    wanted = [card.parameter(name.strip()) for name in typed]
    first = next((p for p in wanted if p is not None), card.parameters[0])
    names = ", ".join(p.name for p in card.parameters)
    return (
        f"例如 For example: -p {first.name}={first.default}"
        f"（{card.name} 的参数 parameters: {names}）"
    )


def _parse_params(
    pairs: Sequence[str], *, ws: Any = None, model: str | None = None
) -> dict[str, str]:
    out: dict[str, str] = {}
    bad = [
        p
        for p in pairs
        if "=" not in p or not p.split("=", 1)[0].strip() or not p.split("=", 1)[1].strip()
    ]
    if bad:  # a name without its value (-p ratio, -p ratio=) is refused before anything runs
        raise ParameterError(
            f"参数格式应为 NAME=VALUE，且须给出值：{', '.join(bad)}",
            f"Parameters must look like NAME=VALUE, with a value: {', '.join(bad)}",
            _example(ws, model, [p.split("=", 1)[0] for p in bad]),
        )
    for pair in pairs:
        name, value = pair.split("=", 1)
        out[name.strip()] = value.strip()
    return out


# ----------------------------------------------------------------------------- commands


def _card_json(card: Any) -> dict[str, Any]:
    return {
        **card.raw,
        "notebook": str(card.notebook),
        "source": card.source,
        "origin": card.origin,
        "vetting_status": card.vetting_status,
    }


def models_command(args: argparse.Namespace) -> int:
    from huiyan import catalog

    ws = open_workspace(args)
    found = catalog.catalog(ws)
    if args.model:
        card = found.get(args.model)
        if args.json:
            print(json.dumps(_card_json(card), ensure_ascii=False, default=str))
        else:
            print(_describe(ws, card))
        return 0
    if args.json:
        for card in found.cards:
            print(json.dumps(_card_json(card), ensure_ascii=False, default=str))
        return 0
    if not found.cards:
        print("目录中没有模型 No models in the catalog. 新建 Start one: huiyan new MODEL")
    else:
        print(format_table(found.table()))
    for problem in found.problems:
        print(f"注意 Note: {problem}")
    return 0


def _describe(ws: Any, card: Any) -> str:
    """One model's card as ``huiyan models MODEL`` prints it: source, rules, vetting."""
    from huiyan import catalog, rules
    from huiyan.catalog import records

    library = catalog.library_rules(card)
    state = records.status(ws, card)
    lines = [
        f"{card.ref}  {card.title_zh}",
        f"  来源 source:        {card.origin}",
        f"  笔记本 notebook:    {card.notebook}",
    ]
    if card.derived_from:
        lines.append(f"  改编自 derived from: {card.derived_from}")
    if card.labels is not None:
        lines.append(f"  标注样本 labels:    {card.labels}")
    lines += [
        f"  监督点 supervision: {card.supervision_point or '—'}",
        f"  数据集 datasets:    {', '.join(card.datasets) or '—'}",
        "  参数 parameters:    "
        + (", ".join(f"{p.name}={p.default}" for p in card.parameters) or "—"),
        f"  审核 vetting:       {state.label}",
    ]
    if state.vetted and state.record:
        rec = state.record
        lines.append(
            f"    由 by {rec.get('vetted_by')} · {rec.get('vetted_at')} · 密钥 key {state.key or '—'}"
        )
    lines.append("  规则 rules:")
    for code in card.rules:
        doc, lib = card.rule_doc(code), library.get(code)
        where = f"库 library {rules.defined_in(code)}" if lib else "笔记本 notebook"
        lines.append(f"    {code}  {doc.zh or (lib.zh if lib else '')}  [{where}]")
        basis = doc.basis or (lib.basis if lib else "")
        lines.append(f"      依据 basis: {basis or '—（模型卡未写 not on the card）'}")
    return "\n".join(lines)


def run_command(args: argparse.Namespace) -> int:
    from huiyan import runs
    from huiyan.runs import warm

    ws = open_workspace(args)
    params = _parse_params(args.param, ws=ws, model=args.model)
    progress = progress_enabled()
    if args.run_all:
        return _run_all(ws, args.engine, progress)
    if not args.model:
        raise ParameterError(
            "请给出要运行的模型名称，或用 --all 运行全部模型。",
            "Name the model to run, or use --all to run every model.",
            "查看模型 See the models: huiyan models",
        )
    if args.each_county:
        return _run_each_county(ws, args, params, progress)
    result = runs.run(
        args.model,
        ws=ws,
        region=args.region,
        engine=args.engine,
        parameters=params,
        progress=progress,
        warm_kernel=warm.enabled(),
    )
    m = result.manifest
    print(
        f"模型 model {m['model']} {m['model_version']} · 区划 county {m['region'] or '全部 all'} · "
        f"{m['clue_count']} 条线索 clues · {m['duration_s']:.1f} s"
    )
    for code, n in (m.get("clues_by_rule") or {}).items():
        print(f"  {code:<28}{n:>6}")
    print(f"报告 Report:         {result.report}")
    print(f"线索表 Workbook:     {result.workbook}")
    if args.timings:
        from huiyan.runs.timings import format_table, since_process_start

        print(format_table(m.get("timings") or {}, since_process_start()))
    print(result.run_dir)
    return 0


def _run_each_county(
    ws: Any, args: argparse.Namespace, params: dict[str, str], progress: bool
) -> int:
    from huiyan import runs

    if args.region:
        raise ParameterError(
            "--each-county 与 --region 不能同时使用。",
            "--each-county and --region cannot be used together.",
        )
    province = runs.run_each_county(
        args.model,
        ws=ws,
        engine=args.engine,
        parameters=params,
        jobs=max(1, args.jobs),
        progress=progress,
        allow_unvetted=args.allow_unvetted,
    )
    if len(province.table):
        print(province.table.to_string())
    computed = province.computed_in
    if computed:
        print(
            f"按县拆分：各县线索来自全省一次计算 Split by county from one computation: "
            f"{computed['run_dir']}"
        )
    for r in province.failed:
        err = r.manifest.get("error") or {}
        print(f"失败 FAILED {r.manifest.get('region')}: {err.get('zh', '')} ({r.run_dir})")
    print(f"汇总 Summary: {province.summary_dir / 'summary.csv'}")
    print(province.summary_dir)
    if province.failed:
        raise RunFailed(
            f"{len(province.failed)} 个县区运行失败（见上）。",
            f"{len(province.failed)} county runs failed (see above).",
        )
    return 0


def _run_all(ws: Any, engine: Any, progress: bool) -> int:
    from huiyan import runs

    outcomes = runs.run_all(ws=ws, engine=engine, progress=progress)
    if not outcomes:
        print("目录中没有模型 No models in the catalog.")
        return 1
    failed = 0
    for ref, outcome in outcomes:
        if isinstance(outcome, runs.RunResult) and outcome.status == "succeeded":
            print(f"✓ {ref}: {outcome.clue_count} 条线索 clues")
            print(f"    报告 Report:     {outcome.report}")
            print(f"    线索表 Workbook: {outcome.workbook}")
        else:
            failed += 1
            if isinstance(outcome, runs.RunResult):
                err = outcome.manifest.get("error") or {}
                print(f"✗ {ref}: 失败 failed: {err.get('zh', '')}\n    {err.get('en', '')}")
                print(f"    运行目录 Run folder: {outcome.run_dir}")
            else:
                print(f"✗ {ref}: {outcome}")
    print(f"{len(outcomes) - failed}/{len(outcomes)} 个模型运行成功 models succeeded")
    return 1 if failed else 0


def runs_command(args: argparse.Namespace) -> int:
    from huiyan import runs

    ws = open_workspace(args)
    found = runs.past_runs(ws.runs_dir, args.model)
    if args.json:
        for r in found:
            print(
                json.dumps(
                    {
                        "run_id": r.run_id,
                        "model": r.model,
                        "region": r.region,
                        "parameters": r.parameters,
                        "status": r.status,
                        "clue_count": r.clue_count,
                        "duration_s": r.duration_s,
                        "run_dir": str(r.run_dir),
                    },
                    ensure_ascii=False,
                    default=str,
                )
            )
        return 0
    if not found:
        print(f"还没有运行记录 No runs yet in {ws.runs_dir}. 运行 Run one: huiyan run MODEL")
        return 0
    rows = [
        {
            "运行编号 run": r.run_id,
            "模型 model": r.model,
            "区划 county": r.region or "全部 all",
            "参数 parameters": ", ".join(
                f"{k}={v}" for k, v in r.parameters.items() if k != "region"
            ),
            "状态 status": r.status,
            "线索 clues": "—" if r.clue_count is None else r.clue_count,
            "用时 s": "—" if r.duration_s is None else f"{r.duration_s:.1f}",
        }
        for r in found
    ]
    print(format_table(rows))
    return 0


def new_command(args: argparse.Namespace) -> int:
    from huiyan import templates

    ws = open_workspace(args)
    created = templates.new_model(args.model, ws=ws, from_model=args.from_model)
    if created.derived_from:
        print(
            f"改编自 Derived from: {created.derived_from}（版本 version 0.1.0，未审核 not vetted）"
        )
    for path in (created.script, created.notebook, created.labels):
        if path is not None:
            print(f"已创建 Created: {path}")
    print(
        "下一步 Next: 在笔记本中写规则（@hy.rules.rule）并填写模型卡，然后 write the rules in the "
        f"notebook and fill in the card, then: huiyan run {args.model} → huiyan vet {args.model} "
        f"→ huiyan export {args.model}"
    )
    return 0
