"""Province signing keys: the key pair in ``<home>/keys/`` and the public keys a workspace trusts.

``province.key`` is the private key, readable by its owner only (0600); it is only
ever read to sign a bundle and never leaves the folder. ``province.pub`` is given to
other counties, who trust it with ``huiyan keys trust``; every trusted key is a copy
under ``trusted/<fingerprint>.pub``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from huiyan.errors import BundleError, WorkspaceError
from huiyan.workspace import Workspace


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


def load_public(data: bytes, source: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes; BundleError names ``source`` when it is not one."""
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
    key = load_public(Path(public_file).read_bytes(), str(public_file))
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
        key = load_public(p.read_bytes(), str(p))
        keys[fingerprint(key)] = key
    return keys


def private_key(ws: Workspace) -> Ed25519PrivateKey:
    """The province's private signing key (location: ``[signing] key`` in huiyan.toml or keys/).

    Refused, like ssh does, when the file can be read by anyone but its owner.
    """
    configured = ws.settings.get("signing", {}).get("key")
    path = ws.home / Path(configured).expanduser() if configured else ws.keys_dir / "province.key"
    if not path.exists():
        raise WorkspaceError(
            f"找不到签名私钥 {path}。",
            f"No signing key at {path}.",
            "请先运行 Run first: huiyan keys init",
        )
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise WorkspaceError(
            f"签名私钥 {path} 可被其他用户读取，拒绝使用。",
            f"The signing key {path} is readable by other users; refused.",
            f"请收紧权限 Make it owner-only: chmod 600 {path}",
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as err:
        raise WorkspaceError(
            f"{path} 不是可用的私钥文件：{err}", f"{path} is not a usable private key: {err}"
        ) from err
    if not isinstance(key, Ed25519PrivateKey):
        raise WorkspaceError(
            f"{path} 不是 Ed25519 私钥。", f"{path} is not an Ed25519 private key."
        )
    return key
