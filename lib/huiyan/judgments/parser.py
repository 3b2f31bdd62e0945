"""Read one judgment text into the fields of the contract's "Parsed judgment".

The reader locates the header (court, document type, case number), the party
block, the plaintiff's claims and the final 主文 (after the last 判决如下), and
pulls the traffic-insurance facts (plates, repair shops, assessors, assignment,
whether the insurer assessed the loss) from the whole text. Anything it cannot
find is None or an empty list; it never guesses.

>>> p = parse("浙江省绍兴市越城区人民法院 民事判决书 (2021)浙0602民初1号 原告：张某，男。"
...           "被告：中国人民财产保险股份有限公司绍兴市分公司。"
...           "原告张某与被告中国人民财产保险股份有限公司绍兴市分公司财产保险合同纠纷一案。")
>>> p.case_no, p.court, p.cause, [x.name for x in p.defendants]
('（2021）浙0602民初1号', '浙江省绍兴市越城区人民法院', '财产保险合同纠纷', ['中国人民财产保险股份有限公司绍兴市分公司'])
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from huiyan.judgments import amounts as am
from huiyan.judgments import insurance
from huiyan.judgments.parties import Party, parse_block
from huiyan.judgments.text import after_last, normalise
from huiyan.reading.vocabulary import Vocabulary
from huiyan.reading.vocabulary import load as load_vocabulary

FIELDS = (
    "case_no", "court", "cause", "doc_type", "judgment_date",
    "plaintiffs", "defendants", "third_parties",
    "insurers", "plates", "repair_shops", "assessors",
    "claimed_amount", "awarded_amount", "assigned", "insurer_assessed",
)  # fmt: skip
"""The contract's keys, in the contract's order."""


@dataclass(frozen=True)
class Parsed:
    """The facts read from one judgment (contract README, "Parsed judgment")."""

    case_no: str | None = None
    court: str | None = None
    cause: str | None = None
    doc_type: str | None = None
    judgment_date: dt.date | None = None
    plaintiffs: tuple[Party, ...] = ()
    defendants: tuple[Party, ...] = ()
    third_parties: tuple[Party, ...] = ()
    insurers: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    repair_shops: tuple[str, ...] = ()
    assessors: tuple[str, ...] = ()
    claimed_amount: float | None = None
    awarded_amount: float | None = None
    assigned: bool | None = None
    insurer_assessed: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object: keys in order, dates as YYYY-MM-DD, parties as dicts."""
        out: dict[str, Any] = {}
        for key in FIELDS:
            value = getattr(self, key)
            if key in ("plaintiffs", "defendants", "third_parties"):
                value = [_party_dict(p) for p in value]
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[key] = value
        return out


def _party_dict(p: Party) -> dict[str, Any]:
    return {
        "name": p.name,
        "kind": p.kind,
        "legal_rep": p.legal_rep,
        "agents": [{"name": a.name, "law_firm": a.law_firm} for a in p.agents],
    }


# ---------------------------------------------------------------------------- header
_DOC_TYPE_RE = re.compile(
    r"(?P<kind>民|刑|行\s*政|执\s*行|国\s*家\s*赔\s*偿)\s*事?\s*"
    r"(?P<what>判\s*决|裁\s*定|调\s*解|决\s*定|支\s*付\s*令)\s*书"
)
_CASE_NO_RE = re.compile(
    r"\(?\s*(?P<year>(?:19|20)\d{2})\s*\)?\s*(?P<abbr>[\u4e00-\u9fa5]{1,4})\s*(?P<code>\d{0,4})\s*"
    r"(?P<type>[\u4e00-\u9fa5()]{0,6}?[初终再申监执保特催督清破审赔](?:[\u4e00-\u9fa5]{0,2}?))\s*"
    r"(?P<zi>字\s*第)?\s*(?P<num>\d{1,6})\s*号"
)
_COURT_SPLIT = re.compile(r"书|内容|\s|\}|\d|[>\-:]")
_PARTY_START = re.compile(
    r"(?:原告|被告|上诉人|被上诉人|原审|公诉机关|原公诉机关|抗诉机关|申请人|再审申请人|被申请人|起诉人|第三人)"
)


def _case_no(m: re.Match[str]) -> str:
    type_ = m.group("type")
    zi = "字第" if m.group("zi") else ""
    return f"（{m.group('year')}）{m.group('abbr')}{m.group('code')}{type_}{zi}{m.group('num')}号".replace(
        "(", "（"
    ).replace(")", "）")


# ---------------------------------------------------------------------------- block end
_INTRO_KEY = re.compile(
    r"一案|审理终结|提起公诉|起诉书指控|指控被告人|诉讼请求|诉称|起诉称|诉请判令|上诉请求|申请再审|本院认为|经审理查明"
)
_INTRO_PARTY = re.compile(
    r"(?:原告|上诉人|再审申请人|申请人|原审原告|起诉人)(?:\s*\([^)]{0,8}\))?"
    r"[^,，。:;；\s(]{1,80}?(?:\([^)]{0,40}\))?[^,，。:;；\s(]{0,40}?(?:因与|与|(?<!反)诉(?!称|讼|请))"
)

# ---------------------------------------------------------------------------- cause
_CAUSE_RE = re.compile(r"([\u4e00-\u9fa5]{2,60}?(?:纠纷|争议))(?:上诉|再审|申请|一?案)")
_CRIME_RE = re.compile(r"犯([\u4e00-\u9fa5、]{2,30}?罪)")
_CAUSE_WORDS = ("纠纷", "争议")
"""Every cause match holds one of these, at most 60 characters from its start."""
_INSTANCE_PREFIX = re.compile(r"^(?:[一二]审|再审)")
_CAUSE_CUT = (
    "与", "诉", "及", "和", "被告", "原告", "第三人", "公司", "委员会", "中心", "银行", "分行", "支行",
)  # fmt: skip
"""A cause starts after the last of these (…与被告某公司机动车交通事故责任纠纷)."""

# ---------------------------------------------------------------------------- date
_CN_D = "二〇○O零一三四五六七八九"
_DATE_RE = re.compile(
    rf"([{_CN_D}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,4}})\s*日"
)

# ---------------------------------------------------------------------------- claims and 主文
# A leading (?=[...]) names the characters a match can start with, so the scan tests one
# character per position instead of every branch: same matches, several times faster.
_CLAIM_START = re.compile(
    r"(?=[向起诉上要请])"
    r"(?:向一审法院(?:提出|提起)?(?:起诉|诉讼)?请求|起诉请求|诉讼请求|诉请判令|起诉称|诉称|诉请|上诉请求|"
    r"(?:要求|请求)判令)"
)
_CLAIM_END = re.compile(
    r"事实(?:与|和|及)理由|辩称|答辩|未作?答辩|经审理|本院认为|查明|一审法院认定|审理中|"
    r"为证明|提供了?如下证据|\n|。(?!\s*(?:\d+[、.]|\(\d+\)|[一二三四五六七八九十]+、))"
)
_REQUEST = re.compile(r"请求|要求|诉请|判令")
_STRONG_REQUEST = re.compile(r"(?:请求|要求|诉请)[^。,，]{0,8}?(?:判令|判决|:)")
_FIRST_INSTANCE_CLAIM = re.compile(r"向(?:一审|原审)法院(?:提出|提起)?(?:起诉|诉讼)?请求")
_PARA_END = re.compile(
    r"\n|辩称|答辩|未作?答辩|经审理|本院认为|为证明|提供了?如下证据|被告[^。]{0,20}?经[^。]{0,10}传唤"
)
_MAIN_START = re.compile(r"(?:(?:判决|裁定|调解协议|达成协议)如下|达成如下(?:调解)?协议)\s*[:;,]?")
"""The 主文: 判决如下 / 裁定如下, or the agreement a 调解书 confirms (双方当事人自愿达成如下协议)."""
_MAIN_END = re.compile(
    r"(?=[如案本一二诉受审上])"
    r"(?:如果?(?:被告|义务人|当事人)?[^,，。]{0,30}?未按|如不服|如对本判决不服|案件受理费|本案受理费|"
    r"上述(?:调解)?协议|"
    r"[一二]审案件受理费|诉讼费|受理费\d|本判决为终审判决|本裁定为终审裁定|审\s*判\s*长|审\s*判\s*员)"
)
_FIRST_INSTANCE = re.compile(r"(?<!如下)(?<![如下])判决\s*[:：]")
_SECOND_INSTANCE = re.compile(r"二审中|二审期间|本院二审|二审查明|本院经审理|本院认为")
_ITEM_SPLIT = re.compile(
    r"(?=[一二三四五六七八九十])(?:"
    r"(?<![\u4e00-\u9fa5\d])(?=[一二三四五六七八九十]+、)|(?<=[。;；元])(?=[一二三四五六七八九十]+、)"
    r")"
)
_TOTAL_KEY = re.compile(
    r"(?=[共合总累小计])"
    r"(?:(?:共计|合计|总计|累计|总额|小计)[^,，。;；元\d]{0,8}|计(?:为|:|人民币)?\s*)$"
)
_PAY = re.compile(r"赔偿|支付|偿还|给付|返还|赔付|归还|付清|清偿|退还|支持")
_EXCLUDE_BEFORE = re.compile(
    r"(?:已垫付|已支付|已赔付|已付|已还|已偿还|不含|扣除|减去|基数)[^,，。;；]{0,8}$"
)
_BASE_AFTER = re.compile(r"\s*(?:为基数|为本金基数|的\d)")

# ---------------------------------------------------------------------------- traffic facts
_PLATE_RE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])\s?([A-Za-z])\s?[·・•.\-]?\s?"
    r"([A-Za-z0-9×*]{5,6}(?![A-Za-z0-9×*])|[A-Za-z0-9×*]{4}挂)"
)
"""A plate, masked ones (赣B×××××, 黑BV86**) and trailers (冀JLF11挂) included: kept as written."""
_INSURANCE_WORDS = (
    "转让",
    "让与",
    "让渡",
    "定损",
    "核损",
    "修",
    "评估",
    "鉴定",
    "公估",
    "估价",
    "认证",
    "鉴证",
)
"""A text with none of these says nothing the insurance reader looks for."""


def _search_near(
    pattern: re.Pattern[str], t: str, words: tuple[str, ...], reach: int
) -> re.Match[str] | None:
    """``pattern.search(t)`` for a pattern whose matches hold one of ``words`` at most ``reach``
    characters from their start: the scan starts just before the first such word (same match)."""
    first = -1
    for word in words:
        i = t.find(word)
        if i >= 0 and (first < 0 or i < first):
            first = i
    if first < 0:
        return None
    return pattern.search(t, max(0, first - reach))


def parse(text: str) -> Parsed:
    """Read one judgment text; fields it cannot find are None or empty."""
    t = normalise(text)
    doc_m, case_m = _header(t)
    doc_type = doc_m.group(0).replace(" ", "") if doc_m else None
    court = _court(t[: doc_m.start()]) if doc_m else None
    block_start = case_m.end() if case_m else (doc_m.end() if doc_m else 0)
    block_end = _block_end(t, block_start)
    parties = parse_block(t[block_start:block_end])
    defendants = tuple(p for p in parties if p.side == "defendant")
    thirds = tuple(p for p in parties if p.side == "third_party")
    insurers = _unique(p.name for p in parties if p.is_insurer)
    plaintiffs = tuple(p for p in parties if p.side == "plaintiff")
    facts = (
        insurance.read(
            t,
            vocabulary(),
            insurers=insurers,
            plaintiffs=tuple(p.name for p in plaintiffs),
            sole_insurer=bool(defendants) and all(p.is_insurer for p in defendants),
        )
        if any(w in t for w in _INSURANCE_WORDS)
        else insurance.InsuranceFacts()
    )
    criminal = (doc_type is not None and doc_type.startswith("刑")) or "被告人" in t[
        block_start:block_end
    ]
    body = t[block_end:]
    main = _main_text(body)
    return Parsed(
        case_no=_case_no(case_m) if case_m else None,
        court=court,
        cause=_cause(body, parties, criminal, t[:block_start]),
        doc_type=doc_type,
        judgment_date=_date(t),
        plaintiffs=plaintiffs,
        defendants=defendants,
        third_parties=thirds,
        insurers=insurers,
        plates=_plates(t),
        repair_shops=facts.repair_shops,
        assessors=facts.assessors,
        claimed_amount=None if criminal else _claimed(body),
        awarded_amount=None if criminal or main is None else _awarded(main, body),
        assigned=facts.assigned,
        insurer_assessed=facts.insurer_assessed,
        extra={"insurance": facts},
    )


def _header(t: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The document-type line and the case number after it (not the crawler title's 民事判决书)."""
    docs = list(_DOC_TYPE_RE.finditer(t, 0, 500))
    doc_m = docs[-1] if docs else None
    for i, m in enumerate(docs):
        case_m = _CASE_NO_RE.search(t, m.end(), m.end() + 80)
        if case_m is not None and (i + 1 == len(docs) or docs[i + 1].start() > case_m.start()):
            return m, case_m
    return doc_m, (None if doc_m else _CASE_NO_RE.search(t, 0, 120))


def _has_any(t: str, hints: tuple[str, ...]) -> bool:
    return any(h in t for h in hints)


def _unique(items: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in items if x))


def _court(head: str) -> str | None:
    for piece in reversed(_COURT_SPLIT.split(head)):
        if piece.endswith("法院") and len(piece) >= 4:
            return piece
    return None


def _block_end(t: str, start: int) -> int:
    key = _INTRO_KEY.search(t, start)
    limit = key.start() if key else len(t)
    intro = _INTRO_PARTY.search(t, start, limit)
    if intro is not None and intro.start() > start:
        return intro.start()
    if key is None:
        return len(t)
    stops = [t.rfind(ch, start, limit) for ch in "。\n"]
    sentence = max(stops)
    return sentence + 1 if sentence >= start else limit


def _cause(body: str, parties: list[Party], criminal: bool, head: str) -> str | None:
    window = body[:1500]
    if criminal:
        m = _CRIME_RE.search(window)
        return m.group(1) if m else None
    m = _search_near(_CAUSE_RE, window, _CAUSE_WORDS, 60) or _search_near(
        _CAUSE_RE, head, _CAUSE_WORDS, 60
    )
    if m is None:
        return None
    cause = m.group(1)
    names = sorted(
        {piece for p in parties for piece in (p.name, *p.name.split("·"))}, key=len, reverse=True
    )
    for name in names:
        i = cause.rfind(name)
        if i >= 0:
            cause = cause[i + len(name) :]
    cause = after_last(cause, _CAUSE_CUT)
    if cause.startswith(("一审", "二审", "再审")):  # _INSTANCE_PREFIX
        cause = cause[2:]
    return cause if len(cause) >= 4 else None


def _date(t: str) -> dt.date | None:
    """The last Chinese-numeral date (the signature date), e.g. 二〇一八年九月八日."""
    pos = len(t)
    while True:
        pos = t.rfind("年", 0, pos)
        if pos < 4:
            return None
        found = _DATE_RE.match(t, pos - 4)
        if found is not None:
            break
    return _date_of(*found.groups())


@lru_cache(maxsize=8192)
def _date_of(year_text: str, month_text: str, day_text: str) -> dt.date | None:
    year = am.cn_number(year_text.replace("○", "〇").replace("O", "〇"))
    month = am.cn_number(month_text)
    day = am.cn_number(day_text)
    try:
        return dt.date(year or 0, month or 0, day or 0)
    except ValueError:
        return None


def _claim_text(body: str) -> str | None:
    m = _FIRST_INSTANCE_CLAIM.search(body) or _CLAIM_START.search(body)
    if m is None:
        return None
    start = m.end()
    if m.group(0).endswith("称"):  # old style: facts first, the request at the end
        stop = _para_end(body, start)
        chosen = _STRONG_REQUEST.search(body, start, stop)
        for req in [] if chosen else _REQUEST.finditer(body, start, stop):
            end = _CLAIM_END.search(body, req.end())
            if am.find_amounts(body[req.start() : end.start() if end else stop]):
                chosen = req
                break
        start = chosen.start() if chosen else start
    end = _CLAIM_END.search(body, start)
    return body[start : end.start() if end else min(len(body), start + 600)]


def _para_end(body: str, start: int) -> int:
    m = _PARA_END.search(body, start)
    return m.start() if m else len(body)


def _sum_amounts(text: str) -> float | None:
    found = [a for a in am.find_amounts(text) if _countable(text, a)]
    if not found:
        return None
    totals = [a for a in found if _TOTAL_KEY.search(text[max(0, a.start - 12) : a.start])]
    if totals:
        values = [a.value for a in totals]
        if len(values) > 1 and abs(values[-1] - sum(values[:-1])) < 0.01:
            return values[-1]
        return round(sum(values), 2)
    return round(sum(a.value for a in found), 2)


def _countable(text: str, a: am.Amount) -> bool:
    before = text[max(0, a.start - 14) : a.start]
    if _EXCLUDE_BEFORE.search(before) and not _TOTAL_KEY.search(before[-6:]):
        return False
    if _BASE_AFTER.match(text, a.end):
        return False
    # inside brackets: an explanation or a formula, not a claim
    opened = text.rfind("(", 0, a.start)
    closed = text.rfind(")", 0, a.start)
    return not (opened > closed and text.find(")", a.end) != -1)


def _claimed(body: str) -> float | None:
    claim = _claim_text(body)
    if claim is None:
        return None
    return _sum_amounts(claim)


def _main_text(body: str) -> str | None:
    # the last 判决如下 / 裁定如下 / 达成如下协议: look back from the end instead of scanning forward
    pos = len(body)
    while True:
        pos = body.rfind("如下", 0, pos)
        if pos < 0:
            return None
        if body.startswith(("判决", "裁定"), max(0, pos - 2), pos):
            last = _MAIN_START.match(body, pos - 2)
            break
        if pos >= 4 and body.startswith(("调解协议", "达成协议"), pos - 4, pos):
            last = _MAIN_START.match(body, pos - 4)
            break
        if body.startswith("达成", max(0, pos - 2), pos) and body.startswith(
            ("协议", "调解协议"), pos + 2
        ):  # 双方当事人自愿达成如下协议
            last = _MAIN_START.match(body, pos - 2)
            break
    assert last is not None
    end = _MAIN_END.search(body, last.end())
    return body[last.end() : end.start() if end else len(body)]


def _awarded(main: str, body: str) -> float | None:
    if "维持原判" in main and not _PAY.search(main):
        first = None
        for m in _FIRST_INSTANCE.finditer(body):
            first = m
            break
        if first is None:
            return None
        stop = _SECOND_INSTANCE.search(body, first.end())
        end = _MAIN_END.search(body, first.end(), stop.start() if stop else len(body))
        main = body[first.end() : end.start() if end else (stop.start() if stop else len(body))]
    total = 0.0
    paid = False
    dismissed = False
    for item in _ITEM_SPLIT.split(main):
        item = item.strip()
        if not item:
            continue
        if "驳回" in item or "不予支持" in item:
            dismissed = True
            continue
        if not _PAY.search(item):
            continue
        value = _sum_amounts(item)
        if value is not None:
            total += value
            paid = True
    if paid:
        return round(total, 2)
    return 0.0 if dismissed else None


def _plates(t: str) -> tuple[str, ...]:
    return _unique(
        m.group(1) + m.group(2).upper() + m.group(3).upper() for m in _PLATE_RE.finditer(t)
    )


def vocabulary() -> Vocabulary:
    """The reading vocabulary of the current workspace (see :mod:`huiyan.reading.vocabulary`)."""
    return load_vocabulary()
