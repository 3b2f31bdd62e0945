"""The repository huiyan runs from: what every workspace shares.

The checkout holds the library, the promoted models' vetted notebooks (``notebooks/``),
the data contract (``datasets/``) and the expectation suites (``expectations/``). A
workspace (:mod:`huiyan.workspace`) holds one county's data, runs and its own models.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The checkout huiyan runs from: notebooks/, expectations/, datasets/datasets.yaml."""
