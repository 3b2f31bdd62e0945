"""Commands of the 'sharing' group: huiyan vet, export, import, keys init / trust."""

from __future__ import annotations

import argparse
from pathlib import Path

from huiyan.cli import add_command
from huiyan.cli._common import open_workspace, progress_enabled


def register(sub: argparse._SubParsersAction) -> None:
    """Add this group's commands to the huiyan parser."""
    p = add_command(
        sub,
        "vet",
        help="审核模型：检查模型卡、规则编号及其说明、输出和个人信息，在合成小省上运行两次（结果须相同），"
        "核对用到的数据集和列，按规则评估精确率和召回率；通过后记录为已审核 "
        "Check a model for sharing (card, rules, outputs, personal data, two runs on the tiny "
        "province, lineage, precision and recall per rule); record it as vetted when it passes.",
        example_text="huiyan vet fishing_ban --by 张三",
    )
    p.add_argument("model", help="模型名称 model name (name or name@version)")
    p.add_argument(
        "--by",
        default=None,
        metavar="NAME",
        help="审核人，写入审核记录 who vets it, for the record (default: the system user)",
    )
    p.set_defaults(handler=vet_command)

    p = add_command(
        sub,
        "export",
        help="导出已审核模型为签名模型包，供其他县区导入 "
        "Write a vetted model as a signed bundle another county can import.",
        example_text="huiyan export judicial_auction -o judicial_auction.zip",
    )
    p.add_argument("model", help="模型名称 model name (name or name@version)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="模型包文件 bundle file (default: NAME@VERSION.zip in the current folder)",
    )
    p.set_defaults(handler=export_command)

    p = add_command(
        sub,
        "import",
        help="导入模型包：验证签名和哈希后加入本工作区的模型目录 "
        "Verify a bundle's signature and hashes, then add the model to this workspace.",
        example_text="huiyan import judicial_auction.zip",
    )
    p.add_argument("bundle", type=Path, help="模型包 bundle file (.zip)")
    p.set_defaults(handler=import_command)

    p = add_command(
        sub,
        "keys",
        help="签名密钥：创建本省密钥对、信任其他公钥；不带子命令时列出受信任的公钥 "
        "Signing keys: create the province key pair, trust other public keys, list them.",
        example_text="huiyan keys init",
    )
    p.set_defaults(handler=keys_list_command)
    keys = p.add_subparsers(dest="keys_command", metavar="init | trust FILE.pub")
    k = add_command(
        keys,
        "init",
        help="在 <工作区>/keys/ 创建本省签名密钥对（私钥仅本人可读）并信任其公钥 "
        "Create the province key pair in <workspace>/keys/ and trust its public key.",
        example_text="huiyan keys init",
    )
    k.set_defaults(handler=keys_init_command)
    k = add_command(
        keys,
        "trust",
        help="信任另一个省级公钥，用于导入其签名的模型包 Trust another province public key for imports.",
        example_text="huiyan keys trust province.pub",
    )
    k.add_argument("public_key", type=Path, help="公钥文件 public key file (.pub)")
    k.set_defaults(handler=keys_trust_command)


def vet_command(args: argparse.Namespace) -> int:
    from huiyan import vetting

    ws = open_workspace(args)
    outcome = vetting.vet(args.model, ws=ws, by=args.by, progress=progress_enabled())
    print(outcome.format())
    if outcome.passed and outcome.record is not None:
        rec = outcome.record
        print(
            f"已记录为已审核 Recorded as vetted by {rec['vetted_by']} at {rec['vetted_at']}: "
            f"{vetting.records_path(ws)} (sha256 {str(rec['notebook_sha256'])[:12]}…, "
            f"小省运行 tiny run {rec['tiny_run_id']})"
        )
        print(f"下一步 Next: huiyan export {args.model} -o {outcome.model}.zip")
        return 0
    return 1


def export_command(args: argparse.Namespace) -> int:
    from huiyan import catalog, sharing

    ws = open_workspace(args)
    out = args.output
    if out is None:
        out = Path(f"{catalog.get(args.model, ws).ref}.zip")
    done = sharing.export_model(args.model, out, ws=ws)
    print(f"已导出 Exported {done.model} {done.version}，签名密钥 signed by key {done.signer}")
    for name in done.files:
        print(f"  {name}")
    print(done.path)
    return 0


def import_command(args: argparse.Namespace) -> int:
    from huiyan import sharing

    ws = open_workspace(args)
    done = sharing.import_bundle(args.bundle, ws=ws)
    if done.already:
        print(f"已导入过，未改动 Already imported, unchanged: {done.model}@{done.version}")
    else:
        print(
            f"已导入 Imported {done.model}@{done.version}（已审核 vetted，签名密钥 signed by key "
            f"{done.signer}）"
        )
    for note in done.notes:
        print(f"注意 Note: {note}")
    print(f"运行 Run it: huiyan run {done.model}@{done.version}")
    print(done.folder)
    return 0


def keys_list_command(args: argparse.Namespace) -> int:
    from huiyan import sharing

    ws = open_workspace(args)
    trusted = sharing.trusted_keys(ws)
    own = ws.keys_dir / "province.pub"
    own_fp = (
        sharing.fingerprint(sharing.load_public(own.read_bytes(), str(own)))
        if own.exists()
        else None
    )
    if not trusted:
        print("本工作区还没有受信任的公钥 No trusted keys yet. 创建 Create one: huiyan keys init")
        return 0
    print("受信任的公钥 Trusted keys:")
    for fp in trusted:
        print(f"  {fp}{'  (本省 own key)' if fp == own_fp else ''}")
    return 0


def keys_init_command(args: argparse.Namespace) -> int:
    from huiyan import sharing

    ws = open_workspace(args)
    info = sharing.init_keys(ws)
    print(
        f"已创建签名私钥 Private key (仅本人可读 owner-only, 请勿外传 never share): {info.private_path}"
    )
    print(f"公钥 Public key (发给其他县区 give this to other counties): {info.public_path}")
    print(f"指纹 Fingerprint: {info.fingerprint}")
    return 0


def keys_trust_command(args: argparse.Namespace) -> int:
    from huiyan import sharing

    ws = open_workspace(args)
    fp = sharing.trust_key(ws, args.public_key)
    print(f"已信任公钥 Trusted key {fp}（来自 from {args.public_key}）")
    return 0
