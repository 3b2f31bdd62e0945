"""The model catalog: the models a workspace knows, where each comes from, and its card.

A model is a notebook with a cell tagged ``parameters`` and a *model card* in its
metadata under the key ``huiyan`` (name, title_zh, version, business_line,
supervision_point, legal_basis, datasets, parameters, rules, author_unit,
vetting, quality_bar, and optionally county_local: true when every rule keeps the counties
apart in a run of each county (:mod:`huiyan.counties`), so ``--each-county`` may compute once
and split). ``rules`` documents each
rule, code -> {zh, basis} (a plain list of codes still reads, for models whose rules the
library documents). The catalog
gathers cards from *sources*, in this order:

- the repository's vetted notebooks (``notebooks/*.ipynb``, except ``explore.ipynb``),
  or the folders named by ``$HUIYAN_MODEL_PATH`` (``os.pathsep``-separated) or
  ``[models] path`` in ``huiyan.toml``;
- the workspace's own models, ``<home>/notebooks/`` (where ``huiyan new`` writes);
- models imported into the workspace, ``<home>/models/<name>@<version>/``.

Each card says where it comes from (``source``, ``origin``). Another source plugs in
with :func:`register_source`. A card's vetting status comes from the workspace's
vetting records (:mod:`huiyan.catalog.records`, written by :mod:`huiyan.vetting` and
:mod:`huiyan.sharing`), never from the card itself.
"""

from __future__ import annotations

from huiyan.catalog.cards import (
    CARD_FIELDS,
    LABELS_SUFFIX,
    NOT_MODELS,
    PARAM_TYPES,
    ModelCard,
    Parameter,
    ParamType,
    RuleDoc,
    check_parameters,
    library_rules,
    notebook_parameters,
    promoted_module,
    read_card,
)
from huiyan.catalog.sources import (
    IMPORTED,
    REPOSITORY,
    WORKSPACE,
    Catalog,
    ImportedSource,
    NotebookSource,
    Source,
    SourceFactory,
    catalog,
    get,
    model_folders,
    own_folder,
    register_source,
)

__all__ = [
    "CARD_FIELDS",
    "IMPORTED",
    "LABELS_SUFFIX",
    "NOT_MODELS",
    "PARAM_TYPES",
    "REPOSITORY",
    "WORKSPACE",
    "Catalog",
    "ImportedSource",
    "ModelCard",
    "NotebookSource",
    "ParamType",
    "Parameter",
    "RuleDoc",
    "Source",
    "SourceFactory",
    "catalog",
    "check_parameters",
    "get",
    "library_rules",
    "model_folders",
    "notebook_parameters",
    "own_folder",
    "promoted_module",
    "read_card",
    "register_source",
]
