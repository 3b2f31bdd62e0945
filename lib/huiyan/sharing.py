"""Sharing models between counties: province signing keys and signed model bundles.

A bundle is a zip holding a model's notebook (without outputs), its card,
expectation suites and thresholds, plus ``manifest.json`` (the SHA-256 of every
file) and ``manifest.sig`` (an Ed25519 signature of the manifest by a province
key). Importing verifies the signature against the workspace's trusted keys and
every hash, and refuses anything unsigned, tampered or signed by an unknown key.

Keys live in ``<home>/keys/``: ``province.key`` (private, owner-only),
``province.pub`` and ``trusted/<fingerprint>.pub`` for every key this workspace
accepts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from huiyan.errors import BundleError, WorkspaceError
from huiyan.workspace import Workspace

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


# -- keys ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyInfo:
    """A province key pair's files and the public key's fingerprint."""

    private_path: Path
    public_path: Path
    fingerprint: str


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _load_public(data: bytes, source: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as err:
        raise BundleError(
            f"{source} 不是有效的公钥文件。", f"{source} is not a valid public key file."
        ) from err
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError(
            f"{source} 不是 Ed25519 公钥。", f"{source} is not an Ed25519 public key."
        )
    return key


def _trusted_dir(ws: Workspace) -> Path:
    return ws.keys_dir / "trusted"


def init_keys(ws: Workspace) -> KeyInfo:
    """Create the province key pair in ``<home>/keys/`` and trust its public key.

    Refuses to overwrite an existing private key (a lost key means re-signing every bundle).
    """
    private_path = ws.keys_dir / "province.key"
    public_path = ws.keys_dir / "province.pub"
    if private_path.exists():
        raise WorkspaceError(
            f"签名私钥已存在：{private_path}，不会覆盖。",
            f"A signing key already exists at {private_path}; it will not be overwritten.",
            "如需更换，请先备份并移走旧密钥 Move the old key away first if you mean to replace it.",
        )
    ws.keys_dir.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.chmod(private_path, stat.S_IRUSR | stat.S_IWUSR)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public_path.write_bytes(public_pem)
    fp = trust_key(ws, public_path)
    return KeyInfo(private_path, public_path, fp)


def trust_key(ws: Workspace, public_file: Path) -> str:
    """Trust another province's public key for imports; returns its fingerprint."""
    if not Path(public_file).is_file():
        raise WorkspaceError(
            f"找不到公钥文件 {public_file}。", f"Public key file {public_file} not found."
        )
    key = _load_public(Path(public_file).read_bytes(), str(public_file))
    fp = fingerprint(key)
    _trusted_dir(ws).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(public_file, _trusted_dir(ws) / f"{fp}.pub")
    return fp


def trusted_keys(ws: Workspace) -> dict[str, Ed25519PublicKey]:
    """Every public key this workspace accepts, by fingerprint."""
    folder = _trusted_dir(ws)
    if not folder.exists():
        return {}
    keys = {}
    for p in sorted(folder.glob("*.pub")):
        key = _load_public(p.read_bytes(), str(p))
        keys[fingerprint(key)] = key
    return keys


def private_key(ws: Workspace) -> Ed25519PrivateKey:
    """The province's private signing key (location: ``[signing] key`` in huiyan.toml or keys/)."""
    configured = ws.settings.get("signing", {}).get("key")
    path = Path(configured).expanduser() if configured else ws.keys_dir / "province.key"
    if not path.exists():
        raise WorkspaceError(
            f"找不到签名私钥 {path}。",
            f"No signing key at {path}.",
            "请先运行 Run first: huiyan keys init",
        )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise WorkspaceError(
            f"{path} 不是 Ed25519 私钥。", f"{path} is not an Ed25519 private key."
        )
    return key


# -- bundles -------------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bundle(
    out: Path, *, files: dict[str, bytes], info: dict[str, Any], key: Ed25519PrivateKey
) -> Path:
    """Write a signed bundle: ``files`` (name -> bytes), a manifest of their hashes, a signature."""
    manifest = {
        **info,
        "signed_by": fingerprint(key.public_key()),
        "signed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {name: sha256(data) for name, data in sorted(files.items())},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(name, data)
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, key.sign(manifest_bytes).hex())
    return out


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature and hashes checked out."""

    manifest: dict[str, Any]
    files: dict[str, bytes]
    signer: str


def read_bundle(path: Path, trusted: dict[str, Ed25519PublicKey]) -> VerifiedBundle:
    """Open a bundle and verify it; BundleError says exactly why one is refused."""
    try:
        with zipfile.ZipFile(path) as zf:
            contents = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    except (zipfile.BadZipFile, FileNotFoundError, OSError) as err:
        raise BundleError(
            f"无法读取模型包 {path}：不是有效的 zip 文件。",
            f"Cannot read bundle {path}: not a valid zip file.",
        ) from err
    manifest_bytes = contents.pop(MANIFEST, None)
    signature = contents.pop(SIGNATURE, None)
    if manifest_bytes is None or signature is None:
        raise BundleError(
            f"模型包 {path} 没有签名，拒绝导入。",
            f"Bundle {path} is unsigned; refused.",
            "请让来源单位用 huiyan export 重新导出 Ask the sender to export it with huiyan export.",
        )
    manifest = json.loads(manifest_bytes)
    signer = manifest.get("signed_by", "")
    key = trusted.get(signer)
    if key is None:
        raise BundleError(
            f"模型包 {path} 由未受信任的密钥（{signer}）签名，拒绝导入。",
            f"Bundle {path} is signed by a key this workspace does not trust ({signer}); refused.",
            "如确认来源可信，请先运行 If you trust the sender: huiyan keys trust THEIR.pub",
        )
    try:
        key.verify(bytes.fromhex(signature.decode()), manifest_bytes)
    except (InvalidSignature, ValueError) as err:
        raise BundleError(
            f"模型包 {path} 的签名无效：清单被改动过，拒绝导入。",
            f"The signature of bundle {path} does not match its manifest; refused.",
        ) from err
    listed = manifest.get("files", {})
    extra = sorted(set(contents) - set(listed))
    missing = sorted(set(listed) - set(contents))
    changed = sorted(n for n in listed if n in contents and sha256(contents[n]) != listed[n])
    if extra or missing or changed:
        problems = "; ".join(
            f"{label}: {', '.join(names)}"
            for label, names in (("changed", changed), ("missing", missing), ("extra", extra))
            if names
        )
        raise BundleError(
            f"模型包 {path} 的内容与签名清单不符（被篡改），拒绝导入：{problems}",
            f"Bundle {path} does not match its signed manifest (tampered); refused: {problems}",
        )
    return VerifiedBundle(manifest, contents, signer)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` in memory (used by tests to build malformed bundles)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
