"""Model cards: what a model supervises, its inputs, parameters and rules, read from notebook metadata.

A card documents each rule on it, ``rules:`` as a mapping code -> {zh, basis}, so a
model whose rules are written in its notebook carries their meaning with it; a plain
list of codes still reads (the rules of a model promoted into the library are
documented by the library, :func:`library_rules`).

Example:
    >>> card = ModelCard.from_metadata({"name": "demo", "version": "1.0.0",
    ...     "parameters": {"min_suits": {"type": "int", "default": 3, "zh": "最少起诉次数"}},
    ...     "rules": {"DEMO-BIG": {"zh": "金额超过阈值", "basis": "示例"}}})
    >>> check_parameters(card, {"min_suits": "4"})
    {'min_suits': 4}
    >>> card.rules, card.rule_doc("DEMO-BIG").zh
    (('DEMO-BIG',), '金额超过阈值')
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from huiyan.errors import ModelError, ParameterError, nearest

if TYPE_CHECKING:
    from huiyan.rules import Rule

ParamType = Literal["str", "int", "float", "bool", "date"]
PARAM_TYPES: tuple[str, ...] = ("str", "int", "float", "bool", "date")
_TYPE_ZH = {"str": "文本", "int": "整数", "float": "数值", "bool": "是/否", "date": "日期"}
_TRUE = {"true", "1", "yes", "y", "是", "真"}
_FALSE = {"false", "0", "no", "n", "否", "假"}

CARD_FIELDS: tuple[str, ...] = (
    "name",
    "title_zh",
    "version",
    "business_line",
    "supervision_point",
    "legal_basis",
    "datasets",
    "parameters",
    "rules",
    "author_unit",
    "vetting",
    "quality_bar",
)
"""Every field of a complete model card, in the order a card is written."""

NOT_MODELS = frozenset({"explore"})
"""Notebooks in notebooks/ that are guides, not models."""

LABELS_SUFFIX = ".labels.csv"
"""``<name>.labels.csv`` beside a notebook: the author's labelled sample (see huiyan.vetting)."""


@dataclass(frozen=True)
class RuleDoc:
    """How the card documents one rule: its code, the supervision point and the legal basis."""

    code: str
    zh: str = ""
    basis: str = ""

    @property
    def is_documented(self) -> bool:
        return bool(self.zh.strip() and self.basis.strip())


@dataclass(frozen=True)
class Parameter:
    """One model parameter from the card: its type, default and Chinese description."""

    name: str
    type: ParamType
    default: Any
    zh: str = ""

    def coerce(self, value: Any) -> Any:
        """``value`` (a command-line string or a Python value) as this parameter's type.

        Raises:
            ValueError: when the value cannot be read as the type.
        """
        if self.type == "str":
            return str(value)
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise ValueError(value)
        if self.type == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if self.type == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(value)
            return number
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        return date.fromisoformat(text).isoformat()

    @property
    def type_label(self) -> str:
        """``整数 int``: the type in both languages, for messages."""
        return f"{_TYPE_ZH.get(self.type, self.type)} {self.type}"


@dataclass(frozen=True)
class ModelCard:
    """A model's card: what it supervises, its inputs and parameters, and where its notebook is."""

    name: str
    version: str
    title_zh: str = ""
    business_line: str = ""
    supervision_point: str = ""
    legal_basis: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    rules: tuple[str, ...] = ()
    author_unit: str = ""
    vetting_status: str = "未审核"
    quality_bar: Mapping[str, float] = field(default_factory=dict, hash=False)
    county_local: bool = False
    """Each rule keeps the counties apart in a run of every county (``region = "*"``,
    :mod:`huiyan.counties`), so ``--each-county`` computes the model once and splits its clues
    by county. Vetting checks it (huiyan.vetting.trial)."""
    notebook: Path | None = None
    source: str = "notebooks"
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)
    rule_docs: Mapping[str, RuleDoc] = field(default_factory=dict, hash=False, repr=False)
    """The rules the card documents (``rules:`` as a mapping code -> {zh, basis})."""
    origin: str = ""
    """Where the model comes from, in words (set by the catalog: folder, signer of a bundle)."""

    @classmethod
    def from_metadata(
        cls, meta: Mapping[str, Any], *, notebook: Path | None = None, source: str = "notebooks"
    ) -> ModelCard:
        """A card from the ``huiyan`` metadata mapping; a ModelError names a malformed field."""
        where = str(notebook) if notebook else "model card"
        name = str(meta.get("name") or (notebook.stem if notebook else ""))
        params = []
        raw_params = meta.get("parameters") or {}
        if not isinstance(raw_params, Mapping):
            raise _card_error(where, "parameters", "应为 名称 -> {type, default, zh} 的映射")
        for pname, spec in raw_params.items():
            spec = spec if isinstance(spec, Mapping) else {"default": spec}
            ptype = str(spec.get("type", "str"))
            if ptype not in PARAM_TYPES:
                raise _card_error(
                    where,
                    f"parameters.{pname}.type",
                    f'类型 "{ptype}" 无效，应为 {"/".join(PARAM_TYPES)}',
                )
            kind: ParamType = ptype  # type: ignore[assignment]
            params.append(Parameter(str(pname), kind, spec.get("default"), str(spec.get("zh", ""))))
        vetting = meta.get("vetting") or {}
        county_local = meta.get("county_local", False)
        if not isinstance(county_local, bool):
            raise _card_error(
                where, "county_local", "应为 true 或 false（逐县运行时规则是否把各县分开计算）"
            )
        return cls(
            name=name,
            version=str(meta.get("version") or "0.0.0"),
            title_zh=str(meta.get("title_zh") or ""),
            business_line=str(meta.get("business_line") or ""),
            supervision_point=str(meta.get("supervision_point") or ""),
            legal_basis=_strings(meta.get("legal_basis")),
            datasets=_strings(meta.get("datasets")),
            parameters=tuple(params),
            rules=_rule_codes(where, meta.get("rules")),
            rule_docs=_rule_docs(where, meta.get("rules")),
            author_unit=str(meta.get("author_unit") or ""),
            vetting_status=str(vetting.get("status", "未审核"))
            if isinstance(vetting, Mapping)
            else str(vetting),
            quality_bar=dict(meta.get("quality_bar") or {}),
            county_local=county_local,
            notebook=notebook,
            source=source,
            raw=dict(meta),
        )

    @property
    def ref(self) -> str:
        """``name@version``, how a specific version is named on the command line."""
        return f"{self.name}@{self.version}"

    @property
    def labels(self) -> Path | None:
        """``<name>.labels.csv`` beside the notebook, when the author keeps one."""
        if self.notebook is None:
            return None
        path = self.notebook.with_name(self.name + LABELS_SUFFIX)
        return path if path.exists() else None

    @property
    def derived_from(self) -> str:
        """The ``name@version`` this model was started from (``huiyan new --from``), or ""."""
        return str(self.raw.get("derived_from") or "")

    def rule_doc(self, code: str) -> RuleDoc:
        """The card's documentation of rule ``code`` (empty when the card lists the code only)."""
        return self.rule_docs.get(code) or RuleDoc(code)

    @property
    def defaults(self) -> dict[str, Any]:
        """Every parameter's default, by name."""
        return {p.name: p.default for p in self.parameters}

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def problems(self) -> list[str]:
        """What is missing or wrong in this card, one bilingual line each (empty: complete)."""
        out = []
        for key in CARD_FIELDS:
            if key not in self.raw or self.raw[key] in (None, "", [], {}):
                if key == "parameters" and key in self.raw:
                    continue  # a model may have no thresholds
                out.append(f"模型卡缺少字段 {key} / the card has no {key}")
        if not re.fullmatch(r"\d+\.\d+\.\d+", self.version):
            out.append(f'版本号 "{self.version}" 应形如 1.0.0 / version should look like 1.0.0')
        for p in self.parameters:
            try:
                if p.default is not None:
                    p.coerce(p.default)
            except (ValueError, TypeError):
                out.append(
                    f'参数 {p.name} 的默认值 "{p.default}" 不是{p.type_label} / '
                    f"default of {p.name} is not a {p.type}"
                )
        return out


def promoted_module(name: str) -> Any:
    """``huiyan.models.<name>``: the rules of a model the province promoted into the library.

    None when there is no such module (a model whose rules are in its notebook).
    """
    if not name:
        return None
    try:
        return importlib.import_module(f"huiyan.models.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"huiyan.models.{name}":
            raise  # the model's own module is broken: say so, never pretend it has none
        return None


def library_rules(card: ModelCard) -> dict[str, Rule]:
    """The rules on ``card`` that are written in the library (a promoted model's module)."""
    from huiyan import rules

    for name in (card.name, card.derived_from.partition("@")[0]):
        promoted_module(name)  # importing a promoted module registers its rules
    return {
        code: rules.REGISTRY[code]
        for code in card.rules
        if code in rules.REGISTRY and rules.defined_in(code) != "notebook"
    }


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _rule_codes(where: str, value: Any) -> tuple[str, ...]:
    """The rule codes of ``rules:``, a list of codes or a mapping code -> {zh, basis}."""
    if isinstance(value, Mapping):
        return tuple(str(code) for code in value)
    if value is not None and not isinstance(value, str | list | tuple):
        raise _card_error(where, "rules", "应为规则编号列表，或 编号 -> {zh, basis} 的映射")
    return _strings(value)


def _rule_docs(where: str, value: Any) -> dict[str, RuleDoc]:
    if not isinstance(value, Mapping):
        return {}
    docs = {}
    for code, spec in value.items():
        if spec is None:
            spec = {}
        if not isinstance(spec, Mapping):
            raise _card_error(where, f"rules.{code}", "应为 {zh: 监督点, basis: 法律依据} 的映射")
        docs[str(code)] = RuleDoc(
            str(code), str(spec.get("zh") or "").strip(), str(spec.get("basis") or "").strip()
        )
    return docs


def _card_error(where: str, key: str, zh: str) -> ModelError:
    return ModelError(
        f"{where} 的模型卡字段 {key} 有误：{zh}。",
        f"The model card field {key} in {where} is malformed.",
        "请按 spec 修改笔记本元数据 huiyan 下的模型卡 Fix the card under the notebook metadata key huiyan.",
    )


def read_card(notebook: Path, *, source: str = "notebooks") -> ModelCard | None:
    """The model card of ``notebook``, or None when the notebook has no ``huiyan`` card."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelError(
            f"无法读取模型笔记本 {notebook}：{err}",
            f"Cannot read the model notebook {notebook}: {err}",
        ) from err
    meta = nb.get("metadata", {}).get("huiyan")
    if not isinstance(meta, Mapping):
        return None
    return ModelCard.from_metadata(meta, notebook=notebook.resolve(), source=source)


def notebook_parameters(notebook: Path) -> dict[str, Any]:
    """The names and literal values assigned in the notebook's ``parameters`` cell."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            out: dict[str, Any] = {}
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and node.value is not None:
                            try:
                                out[target.id] = ast.literal_eval(node.value)
                            except ValueError:
                                out[target.id] = ast.unparse(node.value)
            return out
    return {}


def check_parameters(
    card: ModelCard, given: Mapping[str, Any], *, allow: Iterable[str] = ()
) -> dict[str, Any]:
    """Every parameter of ``card``: defaults overridden by ``given``, each checked against its type.

    Args:
        card: the model card.
        given: names and values (command-line strings or Python values).
        allow: further names accepted as they are (e.g. ``region``).

    Returns:
        All of the card's parameters with their typed values.

    Raises:
        ParameterError: naming every unknown name (with the nearest valid one) and every value
            of the wrong type (with the parameter, the value and the expected type), all at once.
    """
    values = {p.name: p.default for p in card.parameters}
    allowed = set(allow)
    zh: list[str] = []
    en: list[str] = []
    for name, value in given.items():
        if name in allowed:
            values[name] = value
            continue
        param = card.parameter(name)
        if param is None:
            best = nearest(name, [p.name for p in card.parameters])
            tip_zh = f'，您是否想输入 "{best}"？' if best else "。"
            tip_en = f' Did you mean "{best}"?' if best else ""
            zh.append(f'模型 {card.name} 没有参数 "{name}"{tip_zh}')
            en.append(f'Model {card.name} has no parameter "{name}".{tip_en}')
            continue
        try:
            values[name] = param.coerce(value)
        except (ValueError, TypeError):
            zh.append(
                f'参数 {name} 的值 "{value}" 不是{_TYPE_ZH[param.type]}（应为 {param.type}）。'
            )
            en.append(f'Parameter {name}: "{value}" is not a valid {param.type}.')
    if zh:
        listing = ", ".join(
            f"{p.name} ({p.type}, 默认 default {p.default})" for p in card.parameters
        )
        raise ParameterError(
            "\n".join(zh),
            "\n".join(en),
            f"可用参数 Parameters: {listing or '无 none'}。用法 Usage: -p NAME=VALUE",
        )
    return values
