"""Signed bundles: a zip of files, ``manifest.json`` with their SHA-256, and ``manifest.sig``.

The signature is an Ed25519 signature of the manifest bytes; the manifest names the
signing key's fingerprint. Reading a bundle checks, in order: it is a readable zip,
it is signed, the key is trusted, the signature matches, and every file's hash
matches with none missing or added. Each refusal is a BundleError saying which.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from huiyan.errors import BundleError
from huiyan.keys import fingerprint

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
"""A bundle holds a notebook and a few small files; anything larger is refused unread."""


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
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


def _tampered(path: Path, detail: str) -> BundleError:
    return BundleError(
        f"模型包 {path} 已损坏或被篡改，拒绝导入：{detail}",
        f"Bundle {path} is damaged or tampered with; refused: {detail}",
        "请向来源单位重新索取模型包 Ask the sender for the bundle again.",
    )


def _unzip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
                raise _tampered(path, f"内容超过 larger than {MAX_BUNDLE_BYTES // 2**20} MiB")
            return {i.filename: zf.read(i) for i in infos}
    except FileNotFoundError as err:
        raise BundleError(f"找不到模型包 {path}。", f"Bundle {path} not found.") from err
    except zipfile.BadZipFile as err:
        if zipfile.is_zipfile(path):  # the archive opens but a member fails its CRC
            raise _tampered(path, str(err)) from err
        raise BundleError(
            f"无法读取模型包 {path}：不是有效的 zip 文件。",
            f"Cannot read bundle {path}: not a valid zip file.",
        ) from err
    except (zlib.error, EOFError, OSError, NotImplementedError, ValueError) as err:
        raise _tampered(path, f"{type(err).__name__}: {err}") from err


def read_bundle(path: Path, trusted: dict[str, Ed25519PublicKey]) -> VerifiedBundle:
    """Open a bundle and verify it; BundleError says exactly why one is refused."""
    contents = _unzip(path)
    manifest_bytes = contents.pop(MANIFEST, None)
    signature = contents.pop(SIGNATURE, None)
    if manifest_bytes is None or signature is None:
        raise BundleError(
            f"模型包 {path} 没有签名，拒绝导入。",
            f"Bundle {path} is unsigned; refused.",
            "请让来源单位用 huiyan export 重新导出 Ask the sender to export it with huiyan export.",
        )
    try:
        manifest = json.loads(manifest_bytes)
        signer = str(manifest.get("signed_by", ""))
        raw_signature = bytes.fromhex(signature.decode("ascii"))
    except (ValueError, AttributeError) as err:
        raise _tampered(
            path, f"清单或签名无法读取 unreadable manifest or signature ({err})"
        ) from err
    key = trusted.get(signer)
    if key is None:
        known = ", ".join(sorted(trusted)) or "无 none"
        raise BundleError(
            f"模型包 {path} 由未受信任的密钥（{signer}）签名，拒绝导入。本工作区信任的密钥：{known}",
            f"Bundle {path} is signed by a key this workspace does not trust ({signer}); "
            f"refused. Trusted keys: {known}",
            "如确认来源可信，请先运行 If you trust the sender: huiyan keys trust THEIR.pub",
        )
    try:
        key.verify(raw_signature, manifest_bytes)
    except InvalidSignature as err:
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
