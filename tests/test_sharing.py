"""Sharing models: province keys, signed bundles that refuse tampering, export and import.

The fast tests sign bundles by hand (sharing.write_bundle) around a copy of the
shipped judicial_auction notebook. The slow module fixture does it the way two
counties would: county A vets the shipped model on the tiny province, creates its
key and exports; county B trusts A's key, imports the bundle and runs the imported
notebook on the same data.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import huiyan
import pandas as pd
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from huiyan import audit, catalog, sharing, vetting
from huiyan.cli import main
from huiyan.errors import BundleError, ModelError, WorkspaceError
from huiyan.workspace import REPO_ROOT, Workspace

SHIPPED = REPO_ROOT / "notebooks" / "judicial_auction.ipynb"


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


def notebook_bytes(*, version: str = "1.0.0", extra_source: str = "") -> bytes:
    """The shipped judicial_auction notebook, optionally as another version or with a line added."""
    nb = json.loads(SHIPPED.read_text(encoding="utf-8"))
    nb["metadata"]["huiyan"]["version"] = version
    if extra_source:
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["source"] = "".join(cell["source"]) + extra_source
    return json.dumps(nb, ensure_ascii=False, indent=1).encode()


def model_bundle(
    out: Path,
    key: Ed25519PrivateKey,
    notebook: bytes,
    *,
    record: dict[str, Any] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A model bundle signed by ``key``, its vetting record matching ``notebook`` by default."""
    card = json.loads(notebook)["metadata"]["huiyan"]
    name, version = card["name"], card["version"]
    record = record or {
        "model": name,
        "version": version,
        "notebook_sha256": sharing.sha256(notebook),
        "vetted_by": "county-a",
    }
    files = {
        f"{name}.ipynb": notebook,
        "card.json": json.dumps(card, ensure_ascii=False).encode(),
        "vetting.json": json.dumps(record).encode(),
        **(extra or {}),
    }
    info = {"kind": sharing.KIND, "format": 1, "model": name, "version": version,
            "notebook": f"{name}.ipynb"}  # fmt: skip
    return sharing.write_bundle(out, files=files, info=info, key=key)


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace that sees only imported models (its own model folder is empty)."""
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path / "no-models"))
    return huiyan.workspace(tmp_path / "county")


@pytest.fixture
def signer(county: Workspace) -> Ed25519PrivateKey:
    """A sending province's key, trusted by ``county``."""
    key = Ed25519PrivateKey.generate()
    pub = county.home.parent / "sender.pub"
    pub.write_bytes(_public_pem(key))
    sharing.trust_key(county, pub)
    return key


def _public_pem(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# ----------------------------------------------------------------------------- keys


def test_keys_init_makes_an_owner_only_private_key_and_trusts_its_public_key(
    tmp_path: Path,
) -> None:
    home = tmp_path / "ws"
    code, out, err = huiyan_cli("--home", str(home), "keys", "init")
    assert code == 0, err
    private = home / "keys" / "province.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    ws = huiyan.workspace(home)
    fp = sharing.fingerprint(sharing.private_key(ws).public_key())
    assert fp in out
    assert list(sharing.trusted_keys(ws)) == [fp]
    assert (home / "keys" / "province.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY")


def test_keys_init_never_overwrites_a_key(tmp_path: Path) -> None:
    ws = huiyan.workspace(tmp_path)
    sharing.init_keys(ws)
    before = (ws.keys_dir / "province.key").read_bytes()
    with pytest.raises(WorkspaceError, match="不会覆盖"):
        sharing.init_keys(ws)
    assert (ws.keys_dir / "province.key").read_bytes() == before


def test_a_private_key_others_can_read_is_refused(tmp_path: Path) -> None:
    ws = huiyan.workspace(tmp_path)
    info = sharing.init_keys(ws)
    info.private_path.chmod(0o644)
    with pytest.raises(WorkspaceError, match="chmod 600"):
        sharing.private_key(ws)


def test_keys_trust_accepts_a_public_key_and_nothing_else(tmp_path: Path) -> None:
    a, b = huiyan.workspace(tmp_path / "a"), huiyan.workspace(tmp_path / "b")
    info = sharing.init_keys(a)
    code, out, _ = huiyan_cli("--home", str(b.home), "keys", "trust", str(info.public_path))
    assert code == 0 and info.fingerprint in out
    assert list(sharing.trusted_keys(b)) == [info.fingerprint]
    code, _, err = huiyan_cli("--home", str(b.home), "keys", "trust", str(info.private_path))
    assert code == 2 and "不是有效的公钥文件" in err


# ----------------------------------------------------------------------------- bundles


def test_a_signed_bundle_reads_back(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    bundle = sharing.read_bundle(path, sharing.trusted_keys(county))
    assert bundle.signer == sharing.fingerprint(signer.public_key())
    assert bundle.files["judicial_auction.ipynb"] == notebook_bytes()


def _rezip(path: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    for name, data in change.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    path.write_bytes(sharing.zip_bytes(files))


def test_one_byte_changed_in_a_file_is_refused(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    data = bytearray(notebook_bytes())
    data[len(data) // 2] ^= 0x01
    _rezip(path, {"judicial_auction.ipynb": bytes(data)})
    with pytest.raises(BundleError, match=r"changed: judicial_auction\.ipynb"):
        sharing.import_bundle(path, ws=county)
    assert not (county.home / "models").exists()


def test_one_byte_flipped_in_the_zip_is_refused(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("judicial_auction.ipynb")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw = bytearray(path.read_bytes())
    raw[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(BundleError, match="篡改"):
        sharing.import_bundle(path, ws=county)


def test_an_edited_manifest_breaks_the_signature(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    with zipfile.ZipFile(path) as zf:
        manifest = zf.read(sharing.MANIFEST).replace(b'"1.0.0"', b'"1.0.1"')
    _rezip(path, {sharing.MANIFEST: manifest})
    with pytest.raises(BundleError, match="签名无效"):
        sharing.import_bundle(path, ws=county)


def test_a_bundle_signed_by_another_key_is_refused(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    stranger = Ed25519PrivateKey.generate()
    path = model_bundle(tmp_path / "b.zip", stranger, notebook_bytes())
    code, _, err = huiyan_cli("--home", str(county.home), "import", str(path))
    assert code == 2
    assert "未受信任" in err and sharing.fingerprint(stranger.public_key()) in err
    assert "huiyan keys trust" in err


def test_an_unsigned_bundle_is_refused(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    _rezip(path, {sharing.SIGNATURE: None})
    code, _, err = huiyan_cli("--home", str(county.home), "import", str(path))
    assert code == 2 and "没有签名" in err and "unsigned" in err


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path, county: Workspace) -> None:
    path = tmp_path / "b.zip"
    path.write_text("not a bundle")
    with pytest.raises(BundleError, match="不是有效的 zip"):
        sharing.import_bundle(path, ws=county)


# ----------------------------------------------------------------------------- import


def test_import_adds_the_model_as_vetted_by_the_signer(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook_bytes())
    code, out, err = huiyan_cli("--home", str(county.home), "import", str(path))
    assert code == 0, err
    folder = county.home / "models" / "judicial_auction@1.0.0"
    assert Path(out.strip().splitlines()[-1]) == folder
    card = catalog.get("judicial_auction", county)
    assert (card.source, card.notebook, card.vetting_status) == (
        "imported",
        folder / "judicial_auction.ipynb",
        vetting.VETTED,
    )
    fp = sharing.fingerprint(signer.public_key())
    assert vetting.status(county, card).key == fp
    entry = audit.entries(county, action="import")[-1]
    assert (entry["model"], entry["version"], entry["signed_by"]) == (
        "judicial_auction",
        "1.0.0",
        fp,
    )
    # the same bundle again changes nothing
    assert sharing.import_bundle(path, ws=county).already


def test_versions_are_kept_side_by_side(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    for version in ("1.0.0", "1.2.0"):
        bundle = model_bundle(tmp_path / f"{version}.zip", signer, notebook_bytes(version=version))
        sharing.import_bundle(bundle, ws=county)
    found = catalog.catalog(county)
    assert sorted(c.ref for c in found.cards) == [
        "judicial_auction@1.0.0",
        "judicial_auction@1.2.0",
    ]
    newer = found.get("judicial_auction@1.2.0")
    assert newer.notebook == county.home / "models" / "judicial_auction@1.2.0" / SHIPPED.name
    assert newer.vetting_status == vetting.VETTED


def test_a_different_bundle_of_an_imported_version_is_not_overwritten(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    sharing.import_bundle(model_bundle(tmp_path / "a.zip", signer, notebook_bytes()), ws=county)
    other = model_bundle(tmp_path / "b.zip", signer, notebook_bytes(extra_source="\n# 改"))
    with pytest.raises(BundleError, match="拒绝覆盖"):
        sharing.import_bundle(other, ws=county)


@pytest.mark.parametrize(
    "notebook, record, extra, message",
    [
        (notebook_bytes(), {"model": "judicial_auction", "version": "1.0.0",
                            "notebook_sha256": "0" * 64}, None, "审核记录不属于此笔记本"),
        (notebook_bytes(extra_source="\n# 买受人 330602198001011237"), None, None, "个人信息"),
        (notebook_bytes(), None, {"../evil.py": b"import os"}, "不应有的文件"),
    ],
    ids=["record-of-another-notebook", "personal-data", "path-outside-the-folder"],
)  # fmt: skip
def test_a_signed_bundle_with_bad_contents_is_refused(
    tmp_path: Path,
    county: Workspace,
    signer: Ed25519PrivateKey,
    notebook: bytes,
    record: dict[str, Any] | None,
    extra: dict[str, bytes] | None,
    message: str,
) -> None:
    path = model_bundle(tmp_path / "b.zip", signer, notebook, record=record, extra=extra)
    with pytest.raises(BundleError, match=message):
        sharing.import_bundle(path, ws=county)
    assert not (county.home / "models" / "judicial_auction@1.0.0").exists()
    assert not (tmp_path / "evil.py").exists()


def test_the_labelled_sample_travels_with_the_vetting_record_that_measured_it(
    tmp_path: Path, county: Workspace, signer: Ed25519PrivateKey
) -> None:
    labels = b"record,rule,expected\njudicial_auctions:A1,AUC-START-LOW,yes\n"
    name = "judicial_auction.labels.csv"

    def bundle(out: Path, version: str, sample: bytes) -> Path:
        notebook = notebook_bytes(version=version)
        record = {"model": "judicial_auction", "version": version,
                  "notebook_sha256": sharing.sha256(notebook), "labels_sha256": sharing.sha256(labels)}  # fmt: skip
        return model_bundle(out, signer, notebook, record=record, extra={name: sample})

    sharing.import_bundle(bundle(tmp_path / "a.zip", "1.0.0", labels), ws=county)
    card = catalog.get("judicial_auction", county)
    assert card.labels == county.home / "models" / "judicial_auction@1.0.0" / name
    assert card.vetting_status == vetting.VETTED
    changed = bundle(tmp_path / "b.zip", "1.1.0", labels.replace(b"yes", b"no"))
    with pytest.raises(BundleError, match="标注样本与审核记录不符"):
        sharing.import_bundle(changed, ws=county)


# ----------------------------------------------------------------------------- export


def test_an_unvetted_model_is_not_exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    home = tmp_path / "ws"
    sharing.init_keys(huiyan.workspace(home))
    out = tmp_path / "ja.zip"
    code, _, err = huiyan_cli("--home", str(home), "export", "judicial_auction", "-o", str(out))
    assert code == 2
    assert "未经审核，不能导出" in err and "huiyan vet judicial_auction@1.0.0" in err
    assert not out.exists()


# ----------------------------------------------------------------------------- two counties


@dataclass(frozen=True)
class TwoCounties:
    a: Path
    b: Path
    bundle: Path
    vet_out: str
    import_out: str
    run_dir: Path


@pytest.fixture(scope="module")
def counties(tmp_path_factory: pytest.TempPathFactory) -> TwoCounties:
    """County A vets and exports judicial_auction; county B imports and runs it on the same data."""
    root = tmp_path_factory.mktemp("counties")
    a, b, bundle = root / "county-a", root / "county-b", root / "judicial_auction.zip"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("HUIYAN_MODEL_PATH", raising=False)
        mp.setenv("HUIYAN_HOME", str(a))  # restored afterwards (main() sets it from --home)
        mp.setenv("HUIYAN_QUIET", "1")
        assert huiyan_cli("--home", str(a), "keys", "init")[0] == 0
        code, vet_out, err = huiyan_cli("--home", str(a), "vet", "judicial_auction")
        assert code == 0, vet_out + err
        code, out, err = huiyan_cli(
            "--home", str(a), "export", "judicial_auction", "-o", str(bundle)
        )
        assert code == 0, err
        # county B: the same data, no model notebooks of its own
        shutil.copytree(a / ".vetting" / "tiny" / "datasets", b / "datasets")
        (b / "huiyan.toml").write_text('[models]\npath = "notebooks"\n', encoding="utf-8")
        code, _, err = huiyan_cli(
            "--home", str(b), "keys", "trust", str(a / "keys" / "province.pub")
        )
        assert code == 0, err
        code, import_out, err = huiyan_cli("--home", str(b), "import", str(bundle))
        assert code == 0, err
        code, out, err = huiyan_cli("--home", str(b), "run", "judicial_auction@1.0.0")
        assert code == 0, err
    return TwoCounties(a, b, bundle, vet_out, import_out, Path(out.strip().splitlines()[-1]))


@pytest.mark.slow
def test_vet_passes_for_a_shipped_model_and_records_it(counties: TwoCounties) -> None:
    assert "结果 Result: 通过审核 VETTED" in counties.vet_out
    assert "✗" not in counties.vet_out
    ws = huiyan.workspace(counties.a)
    (record,) = vetting.records(ws)
    assert record["notebook_sha256"] == sharing.sha256(SHIPPED.read_bytes())
    assert record["key"] == sharing.fingerprint(sharing.private_key(ws).public_key())
    tiny_run = (
        counties.a / ".vetting" / "tiny" / "runs" / "judicial_auction" / record["tiny_run_id"]
    )
    assert (tiny_run / "clues.parquet").exists()
    card = catalog.get("judicial_auction", ws)
    assert set(record["scores"]) == set(card.rules)
    assert set(record["datasets"]) == set(card.datasets)  # fingerprints of the tiny data
    assert all(s["recall"] >= 0.95 and s["precision"] >= 0.9 for s in record["scores"].values())
    assert card.vetting_status == vetting.VETTED


@pytest.mark.slow
def test_the_bundle_holds_the_model_and_never_the_private_key(counties: TwoCounties) -> None:
    with zipfile.ZipFile(counties.bundle) as zf:
        names = set(zf.namelist())
        contents = b"".join(zf.read(n) for n in names)
    datasets = ("judicial_auctions", "households", "enterprise_people")
    assert names == {
        "judicial_auction.ipynb", "card.json", "vetting.json", "manifest.json", "manifest.sig",
        *(f"expectations/{d}.json" for d in datasets),
        *(f"expectations/custom/{d}.yaml" for d in datasets),
    }  # fmt: skip
    assert b"PRIVATE KEY" not in contents
    assert (counties.a / "keys" / "province.key").read_bytes() not in contents


@pytest.mark.slow
def test_the_imported_model_finds_the_same_clues_on_the_same_data(counties: TwoCounties) -> None:
    ws_a = huiyan.workspace(counties.a)
    (record,) = vetting.records(ws_a)
    tiny_run = (
        counties.a / ".vetting" / "tiny" / "runs" / "judicial_auction" / record["tiny_run_id"]
    )
    there = pd.read_parquet(tiny_run / "clues.parquet")
    here = pd.read_parquet(counties.run_dir / "clues.parquet")
    assert len(here) > 0
    assert sorted(here.clue_id) == sorted(there.clue_id)
    manifest = json.loads((counties.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebook"] == str(
        counties.b / "models" / "judicial_auction@1.0.0" / SHIPPED.name
    )
    signer = sharing.fingerprint(sharing.private_key(ws_a).public_key())
    assert manifest["vetting"]["vetted"] is True
    assert (manifest["vetting"]["key"], manifest["vetting"]["imported"]) == (signer, True)


@pytest.mark.slow
def test_the_audit_logs_say_who_vetted_exported_imported_and_ran(counties: TwoCounties) -> None:
    a, b = huiyan.workspace(counties.a), huiyan.workspace(counties.b)
    assert [e["action"] for e in audit.entries(a)] == ["vet", "export"]
    vetted = audit.entries(a, action="vet")[0]
    assert vetted["passed"] and vetted["parameters"]["min_start_ratio"] == 0.7
    assert set(vetted["datasets"]) == {"judicial_auctions", "households", "enterprise_people"}
    assert audit.entries(a, action="export")[0]["file"] == str(counties.bundle)
    assert [e["action"] for e in audit.entries(b)] == ["import", "run"]
    ran = audit.entries(b, action="run")[0]
    assert (ran["model"], ran["version"], ran["status"]) == (
        "judicial_auction",
        "1.0.0",
        "succeeded",
    )
    assert ran["run_id"] == counties.run_dir.name and ran["parameters"]["max_cut"] == 0.2
    assert set(ran["datasets"]) == {"judicial_auctions", "households", "enterprise_people"}
    assert all(fp for fp in ran["datasets"].values())


@pytest.mark.slow
def test_a_model_edited_after_vetting_cannot_be_exported(
    counties: TwoCounties, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = huiyan.workspace(counties.a)
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(folder))
    shutil.copy(SHIPPED, folder / SHIPPED.name)  # byte for byte: still the vetted notebook
    assert catalog.get("judicial_auction", ws).vetting_status == vetting.VETTED
    edited = SHIPPED.read_text(encoding="utf-8").replace("公告期", "公告期限", 1)
    (folder / SHIPPED.name).write_text(edited, encoding="utf-8")
    assert catalog.get("judicial_auction", ws).vetting_status == vetting.EDITED
    with pytest.raises(ModelError, match="审核后被修改过") as err:
        sharing.export_model("judicial_auction", tmp_path / "x.zip", ws=ws)
    assert "huiyan vet" in str(err.value) and not (tmp_path / "x.zip").exists()
