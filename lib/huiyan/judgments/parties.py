"""The party block (当事人) of a judgment: who sued whom, their representatives and agents.

Works on normalised text (half-width brackets, colons and commas). The block is
split on role labels (原告, 被告（反诉原告）, 上诉人（原审被告）, 委托诉讼代理人 ...),
which may be separated by line breaks, full stops, spaces or nothing at all.
Agents belong to the party before them, or to every party of a side when the
label says so (三原告共同委托诉讼代理人, 以上被告共同委托...).

Role mapping: a party's side is its role in the first instance. 上诉人（原审被告）
is a defendant, 被上诉人（原审原告）a plaintiff; a bare 上诉人 / 再审申请人 /
申请人 a plaintiff, a bare 被上诉人 / 被申请人 a defendant; 被告人 (criminal) a
defendant; 第三人 a third party. The prosecution (公诉机关 ...) is not a party here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from huiyan.judgments.text import after_last, cjk_brackets

_SIDE_WORD = (
    r"(?:原审|一审|二审|反诉|本诉)?(?:原告|被告人|被告|第三人|上诉人|被上诉人|申请人|被申请人)"
)
_PARTY_LABEL = (
    r"(?:再审申请人|再审被申请人|被申请人|申请人|被上诉人|上诉人|原审原告|原审被告人|原审被告|"
    r"原审第三人|原告|被告人|被告|第三人|原公诉机关|公诉机关|抗诉机关|起诉人)"
    rf"(?:\s*\(\s*{_SIDE_WORD}\s*\))?"
)
_GROUP_AGENT = (
    r"(?:[一二三四五六七八九十两\d]|以上|上列|上述|该|共同)?(?:原告|被告|上诉人|被上诉人|第三人)?"
    r"(?:均)?共同(?:委托)?(?:诉讼)?代理人"
)
_AGENT_LABEL = (
    r"(?:委托诉讼代理人|委托代理人|诉讼代理人|指定代理人|法定代理人|辩护人)"
    r"(?:\s*\(\s*(?:特别授权|一般代理|一般授权)\s*\))?"
)
_REP_LABEL = r"(?:法定代表人|主要负责人|负责人|代表人|经营者|投资人)"
_REST = (
    rf"(?P<agent>{_AGENT_LABEL})|(?P<rep>{_REP_LABEL})"
    rf"|(?<![系的之与和及、为即是对向])(?P<party>{_PARTY_LABEL})"
    r"(?![之的等及共均一二三四五]|方(?![\u4e00-\u9fa5]{1,3}[,，]))"
)
"""A party label is not 原告方 / 被告之 ...; but 被告方红悦， is the defendant 方红悦."""
LABEL_RE = re.compile(
    r"(?=[一二三四五六七八九十两\d以上该共均原被委诉指法辩主负代经投再申公抗起第])"
    rf"(?:(?P<group>{_GROUP_AGENT})|{_REST})"
)
_LABEL_NO_GROUP_RE = re.compile(r"(?=[委诉指法辩主负代经投再申公抗起第原被上])" rf"(?:{_REST})")
"""Without the 共同委托 branch: the common case, and much faster to scan."""

_PLAINTIFF_WORDS = ("原审原告", "原告", "申请人", "上诉人", "起诉人")
_NAME_STOP = re.compile(
    r"(?=[,，。:;；、\s\[(系身绰曾住户性职])(?:"
    r"[,，。:;；、\s\[]|\((?:系|以下|下称|曾用名|男|女)|系|身份|绰号|曾用名|住所|住址|户籍|性别|职务|职业)"
)
_NAME_RE = re.compile(r"^[:\s]*(?P<name>[^,，。:;；\s]+)")
_FIRM_RE = re.compile(r"([^,，。:;；\s、]{2,40}?(?:律师事务所|法律服务所))")
_AID_RE = re.compile(r"([^,，。:;；\s、]{2,40}?法律援助中心)")
_FIRM_CUT = ("系", "的", "为", "是", "在", "任")
"""A firm's name starts after the last of these (…系浙江六和律师事务所)."""
_INNER = re.compile(r"\((.*)\)")
_REMARK = re.compile(r"\((?:系|以下|下称|曾用名|男|女)")
_TRAILING_REMARK = re.compile(r"\((?:系|以下|下称)[^)]*\)?$")
_AGENT_HEAD_END = re.compile(r"[,，。;；\s]|\((?!特别授权|一般)|系")
_AUTHORITY = re.compile(r"\((?:特别授权|一般代理|一般授权)\)")
ORG_RE = re.compile(
    r"(?:公司|银行|分行|支行|委员会|村委会|集团|合作社|中心|医院|学校|大学|学院|研究院|厂|店|局|"
    r"事务所|服务所|协会|商会|商行|经营部|营业部|政府|办事处|检察院|法院|基金会|联合社|信用社|"
    r"管理处|管理站|部|社|站|馆|场|队|所|园|会)$"
)
INSURER_RE = re.compile(r"保险|财险|人寿|人保|太保|国寿")
NOT_INSURER_RE = re.compile(r"公估|经纪|代理|评估|鉴定")
"""Businesses around insurance that are not insurers: loss adjusters, brokers, agencies."""


@dataclass(frozen=True)
class Agent:
    """An agent acting for a party: lawyer, legal worker, staff member, citizen or guardian."""

    name: str
    law_firm: str | None
    role: str = "委托诉讼代理人"


@dataclass
class Party:
    """One party with its side (plaintiff, defendant, third_party) as labelled in the block."""

    name: str
    kind: str
    side: str
    label: str
    legal_rep: str | None = None
    agents: list[Agent] = field(default_factory=list)

    @property
    def is_insurer(self) -> bool:
        return (
            self.kind == "org"
            and bool(INSURER_RE.search(self.name))
            and not NOT_INSURER_RE.search(self.name)
        )


@lru_cache(maxsize=2048)
def side_of(label: str) -> str | None:
    """plaintiff / defendant / third_party for a role label, None for the prosecution."""
    label = label.replace(" ", "")
    if "公诉机关" in label or "抗诉机关" in label:
        return None
    inner = _INNER.search(label)
    if inner is not None and ("原审" in inner.group(1) or "一审" in inner.group(1)):
        word = inner.group(1)
    else:
        word = _INNER.sub("", label)
    if "第三人" in word:
        return "third_party"
    if "被上诉人" in word or "被申请人" in word or "被告" in word:
        return "defendant"
    if any(w in word for w in _PLAINTIFF_WORDS):
        return "plaintiff"
    return None


def kind_of(name: str) -> str:
    """'org' for companies, committees, agencies; 'person' otherwise (masked names included)."""
    if len(name) >= 4 and (ORG_RE.search(name) or "公司" in name):
        return "org"
    return "person"


def _name(content: str) -> str | None:
    content = content.lstrip(":： \t\n")
    m = _NAME_STOP.search(content)
    name = content[: m.start()] if m else content
    # keep brackets inside an organisation name: 北京德恒(重庆)律师事务所, 华为技术(深圳)有限公司
    if m and content[m.start()] == "(" and not _REMARK.match(content, m.start()):
        name = content
    if "(" in name:
        name = _TRAILING_REMARK.sub("", name)
    name = name.strip(" ,，.")
    name = name.strip()
    if not name or len(name) > 60:
        return None
    return cjk_brackets(name)


def _firm(text: str) -> str | None:
    m = _FIRM_RE.search(text) or _AID_RE.search(text)
    if m is None:
        return None
    firm = after_last(m.group(1), _FIRM_CUT) or m.group(1)
    if len(firm) < 6:
        return None
    return cjk_brackets(firm)


def _agent_names(content: str) -> list[str]:
    content = content.lstrip(":： \t\n")
    head = _AGENT_HEAD_END.split(content, maxsplit=1)[0]
    names = [_AUTHORITY.sub("", n) if "(" in n else n for n in head.split("、")]
    return [cjk_brackets(n) for n in names if 1 < len(n) <= 20]


def parse_block(block: str) -> list[Party]:
    """Parties in a party block, in the order they appear."""
    parties: list[Party] = []
    labels = list((LABEL_RE if "共同" in block else _LABEL_NO_GROUP_RE).finditer(block))
    last = len(labels) - 1
    for i, m in enumerate(labels):
        content = block[m.end() : labels[i + 1].start() if i < last else len(block)]
        what = m.lastgroup or "agent"  # the branch that matched: party, rep, agent or group
        if what == "party":
            label = m.group(what)
            side = side_of(label)
            name = _name(content)
            if name is None:
                continue
            if side is None:
                # the prosecution: keep a placeholder so its agents do not attach to a party
                parties.append(Party(name, "org", "prosecution", label))
                continue
            parties.append(Party(name, kind_of(name), side, label.replace(" ", "")))
        elif what == "rep":
            if parties and parties[-1].legal_rep is None and parties[-1].kind == "org":
                parties[-1].legal_rep = _name(content)
        else:
            label = m.group(what)
            names = _agent_names(content)
            if not names:
                continue
            firm = _firm(content)
            role = _agent_role(label)
            agents = [Agent(n, firm, role) for n in names]
            for party in _agent_targets(parties, label):
                party.agents.extend(agents)
    return [p for p in parties if p.side != "prosecution"]


@lru_cache(maxsize=1024)
def _agent_role(label: str) -> str:
    role = _INNER.sub("", label)
    return "委托诉讼代理人" if "委托" in role or "共同" in role else role


def _agent_targets(parties: list[Party], label: str) -> list[Party]:
    if not parties:
        return []
    if "共同" not in label:
        return [parties[-1]]
    side = parties[-1].side
    if "原告" in label or ("上诉人" in label and "被上诉人" not in label):
        side = "plaintiff"
    elif "被告" in label or "被上诉人" in label:
        side = "defendant"
    return [p for p in parties if p.side == side]
