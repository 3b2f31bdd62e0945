"""Export and import of vetted models between counties, as signed bundles.

A model bundle holds ``<name>.ipynb`` (the vetted notebook, which carries no
outputs; a model whose rules are written in its cells travels whole in it),
``<name>.labels.csv`` (its labelled sample, when it has one), ``card.json``,
``expectations/<dataset>.json`` and ``expectations/custom/<dataset>.yaml`` for each of
its datasets, ``datasets/thresholds.yaml`` when the model reads it, and
``vetting.json`` (the vetting record: who vetted it and when, the rules, their
lineage and scores). Import writes them to ``<home>/models/<name>@<version>/``,
where the catalog finds them, and records the model as vetted by the signing key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huiyan.catalog import ModelCard
from huiyan.errors import BundleError, ModelError
from huiyan.keys import fingerprint, private_key, trusted_keys
from huiyan.sharing.bundles import VerifiedBundle, read_bundle, sha256, write_bundle
from huiyan.workspace import REPO_ROOT, Workspace

KIND = "huiyan-model-bundle"
THRESHOLDS = "datasets/thresholds.yaml"
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
_ALLOWED = re.compile(
    r"(?:[a-z][a-z0-9_]*\.ipynb|[a-z][a-z0-9_]*\.labels\.csv|card\.json|vetting\.json"
    r"|expectations/[a-z0-9_]+\.json"
    r"|expectations/custom/[a-z0-9_]+\.yaml|datasets/thresholds\.yaml)"
)
"""The only file names a bundle may hold (nothing can be written outside the model's folder)."""


def _uses_thresholds(model: str, root: Path) -> bool:
    import yaml

    path = root / THRESHOLDS
    if not path.exists():
        return False
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return any(isinstance(r, dict) and r.get("model") == model for r in data.get("thresholds", []))


def bundle_files(
    card: ModelCard, record: dict[str, Any], *, root: Path = REPO_ROOT
) -> dict[str, bytes]:
    """What a model's bundle holds: notebook, labels, card, expectations, thresholds, vetting record."""
    assert card.notebook is not None
    files = {
        f"{card.name}.ipynb": card.notebook.read_bytes(),
        "card.json": json.dumps(dict(card.raw), ensure_ascii=False, indent=2).encode(),
        "vetting.json": json.dumps(record, ensure_ascii=False, indent=2, default=str).encode(),
    }
    if card.labels is not None:
        files[card.labels.name] = card.labels.read_bytes()
    for ds in card.datasets:
        for name in (f"expectations/{ds}.json", f"expectations/custom/{ds}.yaml"):
            if (root / name).exists():
                files[name] = (root / name).read_bytes()
    if _uses_thresholds(card.name, root):
        files[THRESHOLDS] = (root / THRESHOLDS).read_bytes()
    return files


@dataclass(frozen=True)
class Exported:
    """A written bundle: where, which model, signed by which key, holding which files."""

    path: Path
    model: str
    version: str
    signer: str
    files: tuple[str, ...]


def export_model(model: str, out: Path, *, ws: Workspace | None = None) -> Exported:
    """Write a signed bundle of a vetted model; refused for an unvetted or since-edited model."""
    import huiyan
    from huiyan import audit, catalog, vetting

    ws = ws or huiyan.workspace()
    card = catalog.get(model, ws)
    state = vetting.status(ws, card)
    if not state.vetted:
        if state.label == vetting.EDITED:
            zh = f"模型 {card.ref} 在审核后被修改过（笔记本与审核记录的哈希不同），不能导出。"
            en = f"Model {card.ref} was edited after it was vetted (its notebook hash changed); not exported."
        else:
            zh = f"模型 {card.ref} 未经审核，不能导出。"
            en = f"Model {card.ref} is not vetted; not exported."
        raise ModelError(zh, en, f"请先审核 Vet it first: huiyan vet {card.ref}")
    assert state.record is not None and card.notebook is not None
    key = private_key(ws)
    files = bundle_files(card, dict(state.record))
    info = {
        "kind": KIND,
        "format": 1,
        "model": card.name,
        "version": card.version,
        "title_zh": card.title_zh,
        "notebook": f"{card.name}.ipynb",
        "notebook_sha256": sha256(files[f"{card.name}.ipynb"]),
        "huiyan": huiyan.__version__,
        "exported_by": audit._who(),
    }
    out = Path(out)
    write_bundle(out, files=files, info=info, key=key)
    signer = fingerprint(key.public_key())
    audit.record(
        ws,
        "export",
        model=card.name,
        version=card.version,
        file=str(out.resolve()),
        bundle_sha256=sha256(out.read_bytes()),
        notebook_sha256=info["notebook_sha256"],
        signed_by=signer,
    )
    return Exported(out, card.name, card.version, signer, tuple(sorted(files)))


@dataclass(frozen=True)
class Imported:
    """An imported model: its folder, who signed it, and notes on what differs from here."""

    model: str
    version: str
    folder: Path
    signer: str
    already: bool = False
    notes: tuple[str, ...] = ()


def _check_contents(path: Path, bundle: VerifiedBundle) -> tuple[str, str, str, dict[str, Any]]:
    """The model, version, notebook name and vetting record, each checked against the others."""
    from huiyan import privacy

    m = bundle.manifest
    name, version, notebook = (
        str(m.get("model", "")),
        str(m.get("version", "")),
        str(m.get("notebook", "")),
    )
    bad = [n for n in bundle.files if not _ALLOWED.fullmatch(n)]
    if m.get("kind") != KIND or not _NAME.fullmatch(name) or not _VERSION.fullmatch(version):
        bad.append(f"manifest kind/model/version ({m.get('kind')}, {name}, {version})")
    if notebook != f"{name}.ipynb" or notebook not in bundle.files:
        bad.append(f"notebook {notebook}")
    if bad:
        raise BundleError(
            f"模型包 {path} 不是 huiyan 模型包，或含有不应有的文件：{', '.join(bad)}",
            f"Bundle {path} is not a huiyan model bundle or holds unexpected files: {', '.join(bad)}",
        )
    try:
        nb = json.loads(bundle.files[notebook])
        card = nb["metadata"]["huiyan"]
        record = json.loads(bundle.files["vetting.json"])
    except (ValueError, KeyError, TypeError) as err:
        raise BundleError(
            f"模型包 {path} 的笔记本或审核记录无法读取：{err}",
            f"The notebook or vetting record in bundle {path} cannot be read: {err}",
        ) from err
    problems = []
    if (card.get("name"), str(card.get("version"))) != (name, version):
        problems.append("模型卡与清单不符 the card does not match the manifest")
    if (record.get("model"), record.get("version"), record.get("notebook_sha256")) != (
        name,
        version,
        sha256(bundle.files[notebook]),
    ):
        problems.append("审核记录不属于此笔记本 the vetting record is not this notebook's")
    text = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []))
    if any(c.get("outputs") for c in nb.get("cells", [])) or privacy.scan(text):
        problems.append("笔记本带有输出或个人信息 the notebook carries outputs or personal data")
    labels = bundle.files.get(f"{name}.labels.csv")
    if "labels_sha256" in record and record["labels_sha256"] != (labels and sha256(labels)):
        problems.append("标注样本与审核记录不符 the labelled sample is not the vetted one")
    if labels is not None and privacy.scan(labels.decode("utf-8", errors="replace")):
        problems.append("标注样本带有个人信息 the labelled sample carries personal data")
    others = [n for n in bundle.files if n.endswith(".labels.csv") and n != f"{name}.labels.csv"]
    if others:
        problems.append(f"多余的标注样本 labels of another model: {', '.join(others)}")
    if problems:
        raise BundleError(
            f"模型包 {path} 未通过导入检查：{'；'.join(problems)}",
            f"Bundle {path} failed the import checks: {'; '.join(problems)}",
        )
    return name, version, notebook, record


def _differences(files: dict[str, bytes], root: Path = REPO_ROOT) -> tuple[str, ...]:
    notes = []
    for name, data in sorted(files.items()):
        if name.startswith(("expectations/", "datasets/")):
            local = root / name
            if not local.exists() or local.read_bytes() != data:
                notes.append(
                    f"{name} 与本工作区的版本不同（运行时使用本地版本） differs from this "
                    "workspace's copy (runs use the local one)"
                )
    return tuple(notes)


def import_bundle(path: Path, *, ws: Workspace | None = None) -> Imported:
    """Verify a bundle and add its model to ``<home>/models/<name>@<version>/``, vetted by the signer."""
    import huiyan
    from huiyan import audit, vetting

    ws = ws or huiyan.workspace()
    path = Path(path)
    bundle = read_bundle(path, trusted_keys(ws))
    name, version, notebook, record = _check_contents(path, bundle)
    folder = ws.home / "models" / f"{name}@{version}"
    notes = _differences(bundle.files)
    nb_hash = sha256(bundle.files[notebook])
    if folder.exists():
        present = folder / notebook
        if present.exists() and sha256(present.read_bytes()) == nb_hash:
            return Imported(name, version, folder, bundle.signer, already=True, notes=notes)
        raise BundleError(
            f"本工作区已导入过另一个 {name}@{version}（{folder}），拒绝覆盖。",
            f"A different {name}@{version} is already imported at {folder}; not overwritten.",
            "如确需替换，请先移走该文件夹 Move that folder away first to replace it.",
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".importing-{name}-", dir=folder.parent))
    try:
        for fname, data in bundle.files.items():
            target = staging / fname
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        shutil.copyfile(path, staging / "bundle.zip")  # the signed original, for provenance
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    now = datetime.now(UTC).isoformat(timespec="seconds")
    vetting.add_record(
        ws,
        {
            **record,
            "imported": {
                "signed_by": bundle.signer,
                "signed_at": bundle.manifest.get("signed_at"),
                "imported_at": now,
                "imported_by": audit._who(),
                "bundle": str(path.resolve()),
                "bundle_sha256": sha256(path.read_bytes()),
            },
        },
    )
    audit.record(
        ws,
        "import",
        model=name,
        version=version,
        file=str(path.resolve()),
        bundle_sha256=sha256(path.read_bytes()),
        notebook_sha256=nb_hash,
        signed_by=bundle.signer,
        folder=str(folder),
    )
    return Imported(name, version, folder, bundle.signer, notes=notes)
