"""Commands of the 'reading' group: ``huiyan unread MODEL``, what the text readers could not read."""

from __future__ import annotations

import argparse
import importlib


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the ``huiyan`` parser."""
    from huiyan.cli import add_command

    parser = add_command(
        sub,
        "unread",
        help="列出文字中未能读出的最常见句子（盲点） the commonest sentences the text readers "
        "could not read, per text rule, so the vocabulary can be extended",
        example_text="huiyan unread admin_criminal_transfer --rule ACT-MINING-VALUE --top 10",
    )
    parser.add_argument("model", help="模型 model: admin_criminal_transfer or insurance_fraud")
    parser.add_argument("--rule", default=None, help="只看一条规则 one rule code (default: all)")
    parser.add_argument("--region", default="", help="县区代码 county code (default: all)")
    parser.add_argument("--top", type=int, default=20, help="显示多少个句子 sentences shown")
    parser.set_defaults(handler=_unread)


def _unread(args: argparse.Namespace) -> int:
    from huiyan.cli._common import open_workspace
    from huiyan.errors import ModelError, did_you_mean
    from huiyan.reading.blindspots import common_sentences

    models = {"admin_criminal_transfer", "insurance_fraud"}
    if args.model not in models:
        raise ModelError(
            f'模型 "{args.model}" 不读自由文本。{did_you_mean(args.model, models)}',
            f'Model "{args.model}" reads no free text; text models: {", ".join(sorted(models))}.',
        )
    m = importlib.import_module(f"huiyan.models.{args.model}")
    rules = [args.rule] if args.rule else list(m.TEXT_RULES)
    unknown = [r for r in rules if r not in m.TEXT_RULES]
    if unknown:
        raise ModelError(
            f"规则 {unknown[0]} 不是 {args.model} 的文字规则。{did_you_mean(unknown[0], m.TEXT_RULES)}",
            f"Rule {unknown[0]} is not a text rule of {args.model}.",
            "文字规则 Text rules: " + ", ".join(m.TEXT_RULES),
        )
    ws = open_workspace(args)
    try:
        if args.model == "admin_criminal_transfer":
            penalties = ws.table("admin_penalties", region=args.region)
            counts = m.unread(penalties)
        else:
            counts = m.unread(ws, region=args.region)
        for rule in rules:
            c = counts[rule]
            print(
                f"== {rule}：候选 {c['candidates']:,} 件，未能读出 {c['unread']:,} 件 "
                f"candidates {c['candidates']:,}, unread {c['unread']:,}"
            )
            if not c["unread"]:
                continue
            if args.model == "admin_criminal_transfer":
                records, words = m.unread_records(penalties, rule)
            else:
                records, words = m.unread_records(ws, rule, region=args.region)
            table = common_sentences(records, words, top=args.top)
            print(
                table.to_string(index=False)
                if len(table)
                else "（未找到含关键词的句子 no sentence holds a key word）"
            )
    finally:
        ws.close()
    print(
        "补充词表 Extend the vocabulary: <workspace>/datasets/vocabulary-local.yaml "
        "(见 see README, 词表 Vocabulary)"
    )
    return 0
