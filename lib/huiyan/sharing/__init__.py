"""Sharing models between counties: province signing keys, signed model bundles, export and import.

A bundle is a zip holding a model's notebook (without outputs), its card
(``card.json``), the expectation suites of its datasets, the thresholds table when
the model reads it, and its vetting record, plus ``manifest.json`` (the SHA-256 of
every file) and ``manifest.sig`` (an Ed25519 signature of the manifest by a province
key). Importing verifies the signature against the workspace's trusted keys and
every hash, and refuses anything unsigned, tampered or signed by an unknown key.

Keys live in ``<home>/keys/``: ``province.key`` (private, owner-only),
``province.pub`` and ``trusted/<fingerprint>.pub`` for every key this workspace
accepts. The private key is only ever read to sign; it never goes into a bundle.

Example:
    >>> from huiyan import sharing
    >>> sharing.export_model("judicial_auction", Path("auction.zip"))   # doctest: +SKIP
    >>> sharing.import_bundle(Path("auction.zip"))                      # doctest: +SKIP
"""

from __future__ import annotations

from huiyan.keys import (
    KeyInfo,
    fingerprint,
    init_keys,
    load_public,
    private_key,
    trust_key,
    trusted_keys,
)
from huiyan.sharing.bundles import (
    MANIFEST,
    SIGNATURE,
    VerifiedBundle,
    read_bundle,
    sha256,
    write_bundle,
    zip_bytes,
)
from huiyan.sharing.transfer import (
    KIND,
    Exported,
    Imported,
    bundle_files,
    export_model,
    import_bundle,
)

__all__ = [
    "KIND",
    "MANIFEST",
    "SIGNATURE",
    "Exported",
    "Imported",
    "KeyInfo",
    "VerifiedBundle",
    "bundle_files",
    "export_model",
    "fingerprint",
    "import_bundle",
    "init_keys",
    "load_public",
    "private_key",
    "read_bundle",
    "sha256",
    "trust_key",
    "trusted_keys",
    "write_bundle",
    "zip_bytes",
]
