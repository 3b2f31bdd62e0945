"""The motor-insurance facts of a judgment: assignment, the insurer's assessment, repair shops, assessors.

Read sentence by sentence with the reading vocabulary (``datasets/vocabulary.yaml``,
``insurance`` lists) and its scope rules (:mod:`huiyan.reading.scope`), as the
clarified contract asks (contracts/README.md, "Parsed judgment"):

- ``assigned``: a clause holds a transfer word (转让, 让与 …) and a claim word (债权,
  理赔权, 赔偿款 …), not negated. A transfer of the car (车辆转让, 保险标的转让, an
  insurer's argument that the car changed hands) is no assignment. Never null.
- ``insurer_assessed``: false when the last sentence that tells of the insurer's assessment
  (定损, 核损 …) denies it (未经保险公司定损, 拒绝定损, 未通知保险公司定损); true when it
  tells of one (经保险公司定损, 定损金额, also when the plaintiff disputes it: 不认可定损结果);
  null when no sentence tells.
- ``commissioned``: the plaintiff's side itself commissioned an appraisal (原告自行委托X评估),
  not the court, the police or the insurer.
- ``repair_shops``: businesses the text has repair the vehicle (送至X维修, 由X修复, X对车辆
  进行维修, 维修单位为X), whatever their names; a business named otherwise is none.
- ``assessors``: appraisal bodies named in the text (…价格评估有限公司, …司法鉴定所), whoever
  commissioned them; a description (有资质的评估机构, 原告委托的评估公司) is no name.

Each fact keeps the words it was read from (for the clue's snippet), and ``unread`` names
the facts whose key words appear in a sentence the reader could not decide on.

>>> from huiyan.reading.vocabulary import load
>>> f = read("车主李四将本次事故的理赔权转让给原告。原告自行委托甲乙价格评估有限公司评估，该车损失未经保险公司定损。"
...          "事故车辆送至越城永顺汽车修理厂维修。", load(local=None))
>>> f.assigned, f.insurer_assessed, f.commissioned, f.repair_shops, f.assessors
(True, False, True, ('越城永顺汽车修理厂',), ('甲乙价格评估有限公司',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from huiyan.judgments.text import after_last, cjk_brackets
from huiyan.reading.scope import CLAUSE_STOPS, SENTENCE_STOPS
from huiyan.reading.vocabulary import Vocabulary, pattern


@dataclass(frozen=True)
class InsuranceFacts:
    """What one judgment says about assignment, assessment, repair and assessors."""

    assigned: bool = False
    assigned_words: str | None = None
    insurer_assessed: bool | None = None
    assessed_words: str | None = None
    commissioned: bool = False
    commissioned_words: str | None = None
    repair_shops: tuple[str, ...] = ()
    shop_words: tuple[str, ...] = ()
    assessors: tuple[str, ...] = ()
    assessor_words: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    """Facts whose key words appear where the reader could decide nothing: assignment,
    assessment, repair."""


_NAME_CHARS = r"[\u4e00-\u9fa5A-Za-z0-9()×*＊xX]"
_ORG_PREFIX_CUT = (
    "原告", "被告", "第三人", "上诉人", "申请人",
    "送至", "送到", "送往", "拖至", "拖到", "运至", "开至", "开到", "交由", "交给", "委托", "经由",
    "经", "在", "至", "到", "于", "由", "向", "与", "和", "及", "的", "将", "系", "为", "是", "据", "从",
    "被", "对", "给", "把", "并", "后", "请", "称", "即", "作出", "出具", "具有", "前往", "选择",
)  # fmt: skip
"""A business name starts after the last of these (…送至越城永顺汽车修理厂)."""
_STRONG_CUTS = (
    *(c for c in _ORG_PREFIX_CUT if len(c) > 1),
    "选定", "选择", "确定", "指定", "联系", "找到", "简称", "下称",
    "接受", "受理", "出具", "作出", "提供", "签订", "支付", "赔偿", "承担", "负责", "认为", "辩称",
    "诉称", "主张", "同意", "要求", "申请", "通知", "告知", "投保", "承保",
)  # fmt: skip
_SINGLE_CUTS = tuple(c for c in _ORG_PREFIX_CUT if len(c) == 1 and c not in "至和")
"""至 and 和 start a name only after a verb (送至, 拖至: strong cuts); alone they are often
part of one (至诚, 中和)."""
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    "海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆"
)
_PLACE = re.compile(f"(?:{_PROVINCES})|[\u4e00-\u9fa5]{{2}}(?:省|市|县|区)")
"""Where a business name may start: a province, or a city, county or district (深圳市, 越城区).
Inside a name a single character like 至 or 和 may be part of it (河南至诚…), so a name that
holds a place starts there rather than after such a character."""
_COMPANY_TAIL = re.compile("(?:股份有限公司|有限责任公司|有限公司|公司)$")


@dataclass(frozen=True)
class _Patterns:
    transfer: re.Pattern[str]
    subrogation: re.Pattern[str]
    car_transfer: re.Pattern[str]
    claim: re.Pattern[str]
    not_claim: re.Pattern[str]
    assessment: re.Pattern[str]
    inspection: re.Pattern[str]
    result: re.Pattern[str]
    negation: re.Pattern[str]
    adjacent: re.Pattern[str]
    dispute: re.Pattern[str]
    before: re.Pattern[str]
    modal: re.Pattern[str]
    insurer_inspection: re.Pattern[str]
    insurer: re.Pattern[str]
    third_party: re.Pattern[str]
    plaintiff_side: re.Pattern[str]
    commission: re.Pattern[str]
    court: re.Pattern[str]
    actor: re.Pattern[str]
    appraisal: re.Pattern[str]
    repair: re.Pattern[str]
    role: re.Pattern[str]
    business: re.Pattern[str]
    assessor_name: re.Pattern[str]
    not_name_start: tuple[str, ...]
    sentence: re.Pattern[str]


_PATTERNS: dict[str, _Patterns] = {}


def _patterns(v: Vocabulary) -> _Patterns:
    if v.fingerprint not in _PATTERNS:
        _PATTERNS[v.fingerprint] = _compile(v)
    return _PATTERNS[v.fingerprint]


def _compile(v: Vocabulary) -> _Patterns:
    w = lambda *k: v.words("insurance", *k)  # noqa: E731
    commissioner = pattern(w("commissioner"))
    other = pattern(w("not_commissioner"))
    return _Patterns(
        transfer=re.compile(pattern(w("transfer"))),
        subrogation=re.compile(pattern(w("subrogation"))),
        car_transfer=re.compile(
            pattern(w("not_claim"))
            + f"[^{CLAUSE_STOPS}]{{0,2}}"
            + pattern(w("transfer"))
            + "|"
            + pattern(w("transfer"))
            + f"[^{CLAUSE_STOPS}]{{0,2}}"
            + pattern(w("not_claim"))
        ),
        claim=re.compile(pattern(w("claim"))),
        not_claim=re.compile(pattern(w("not_claim"))),
        assessment=re.compile(pattern(w("assessment"))),
        inspection=re.compile(pattern(w("inspection"))),
        result=re.compile(pattern(w("result"))),
        negation=re.compile(pattern(v.words("negation", "cues"), exact=True)),
        adjacent=re.compile(pattern(v.words("negation", "adjacent"), exact=True)),
        dispute=re.compile(pattern(w("dispute"))),
        before=re.compile(pattern(w("before"))),
        modal=re.compile(pattern(w("modal"))),
        insurer_inspection=re.compile(pattern(w("insurer_inspection"))),
        insurer=re.compile(pattern(w("insurer"))),
        third_party=re.compile(pattern(w("third_party"))),
        plaintiff_side=re.compile(pattern(w("commissioner"))),
        commission=re.compile(pattern(w("commission"))),
        court=re.compile(pattern(w("court"))),
        actor=re.compile(f"(?P<mine>{commissioner})|(?P<other>{other})"),
        appraisal=re.compile(pattern(w("appraisal"))),
        repair=re.compile(pattern(w("repair"))),
        role=re.compile(pattern(w("repair_roles")) + r"(?:为|是|系|:)"),
        business=re.compile(pattern(w("business"), exact=True)),
        assessor_name=re.compile(pattern(w("assessor_names"))),
        not_name_start=w("not_name_start"),
        sentence=re.compile(f"[^{SENTENCE_STOPS}]+[{SENTENCE_STOPS}]?"),
    )


def _negated(clause: str, at: int, p: _Patterns, v: Vocabulary, *, disputes: bool = False) -> bool:
    """Whether the word at ``at`` of ``clause`` stands under a negation (see reading.scope).

    With ``disputes``, a dispute cue (不认可, 有异议 …) does not negate: it disputes a thing
    that exists.
    """
    if at > 0 and p.adjacent.fullmatch(clause[at - 1]):
        return True
    window = int(v.node("negation", "window"))
    breakers = str(v.node("negation", "breakers"))
    start = max(0, at - window - 8)
    before = clause[start:at]
    last = None
    for m in p.negation.finditer(before):
        last = m
    if last is None:
        return False
    between = before[last.end() :]
    if len(between) > window or any(ch in breakers for ch in between):
        return False
    # a dispute cue (不认可定损结果) disputes an assessment that exists; it does not deny it
    return not (disputes and p.dispute.search(before[max(0, last.start() - 2) : last.end() + 2]))


def _clauses(sentence: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(f"[{CLAUSE_STOPS}]", sentence):
        out.append((start, sentence[start : m.end()]))
        start = m.end()
    if start < len(sentence):
        out.append((start, sentence[start:]))
    return out


# --- assignment ---------------------------------------------------------------------------------


_TO_HIM = re.compile(r"(?:给|予|与|于)了?(?:他|她|其|本人|我)(?![人方们])")


def _assignment(
    sentences: list[str], p: _Patterns, v: Vocabulary, plaintiffs: tuple[str, ...]
) -> tuple[bool, str | None, bool]:
    """(assigned, the words, undecided mention).

    A clause with a claim word and a transfer word, not negated, in a sentence that names the
    plaintiff (原告 or a plaintiff's name) as taking it over; not a cause of action (债权转让
    合同纠纷), not subrogation (代位求偿), and not a transfer of the car (an insurer arguing
    that the car changed hands and the claim with it).
    """
    maybe = False
    for s in sentences:
        if not p.transfer.search(s) or p.subrogation.search(s):
            continue
        about_car = p.not_claim.search(s) is not None
        to_plaintiff = (
            "原告" in s
            or "受让人" in s
            or any(n and n in s for n in plaintiffs)
            or _TO_HIM.search(s) is not None  # 债权转让予他: the plaintiff's own account
        )
        car_sold = p.car_transfer.search(s) is not None
        for _, clause in _clauses(s):
            if "纠纷" in clause:
                continue
            for m in p.transfer.finditer(clause):
                if _negated(clause, m.start(), p, v):
                    continue
                if p.claim.search(clause) and to_plaintiff and not car_sold:
                    return True, s, False
                if to_plaintiff and not about_car:
                    maybe = True
    return False, None, maybe


# --- assessment ---------------------------------------------------------------------------------


def _assessment(
    sentences: list[str],
    p: _Patterns,
    v: Vocabulary,
    insurers: tuple[str, ...],
    assessors: tuple[str, ...],
) -> tuple[bool | None, str | None, bool]:
    """(insurer_assessed, the words, undecided mention): the last sentence that tells decides.

    An assessment word tells of the insurer's assessment when the insurer is the last actor
    named before it in its sentence (经被告保险公司定损, 原告未通知保险公司定损); one whose last
    actor is the plaintiff or a third party (原告委托X公司定损, 本院委托鉴定) is not the insurer's.
    With no actor before it, an insurer named anywhere in the sentence makes it the insurer's.
    """
    decided: bool | None = None
    words: str | None = None
    maybe = False
    names = tuple(n for n in insurers if n) + _abbreviations(" ".join(sentences), insurers)
    third = tuple(n for n in assessors if n)
    for s in sentences:
        if not p.assessment.search(s) and not (p.inspection.search(s) and p.insurer.search(s)):
            continue
        said: bool | None = None
        insurer_named = bool(p.insurer.search(s)) or any(n in s for n in names)
        actors = _actors(s, p, names, third)
        for start, clause in _clauses(s):
            for m in p.assessment.finditer(clause):
                who = _last_actor(actors, start + m.start())
                negated = _negated(clause, m.start(), p, v, disputes=True) or (
                    p.before.match(clause, m.end()) is not None
                )
                if who == "third":
                    continue
                if negated:
                    said = False
                elif p.modal.search(clause, 0, m.start()):
                    continue  # 保险人有权定损, 要求保险公司定损: a right or a request, not a fact
                elif who in ("insurer", "insurer_via") or (who is None and insurer_named):
                    said = True if said is None else said
                elif (
                    p.result.match(clause, m.end())
                    and "保险" in clause[max(0, m.start() - 8) : m.start()]
                ):
                    # 机动车辆保险车损定损单: an insurer's assessment document, whoever hands it in
                    said = True if said is None else said
                elif who is None:
                    maybe = True
            if said is None:
                # the insurer (or an assessor it commissioned) inspects or appraises the loss:
                # 保险公司委托X对车辆进行查勘估价; declining it is no assessment (不作评估)
                for m in p.inspection.finditer(clause):
                    who = _last_actor(actors, start + m.start())
                    if who not in ("insurer", "insurer_via"):
                        continue
                    if _negated(clause, m.start(), p, v, disputes=True):
                        said = False
                    elif p.modal.search(clause, 0, m.start()):
                        continue
                    elif who == "insurer_via" or p.insurer_inspection.fullmatch(m.group(0)):
                        said = True
        if said is not None:
            decided, words = said, s
    return decided, words, maybe and decided is None


def _abbreviations(text: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The short names a text gives its insurers: 中国人民财产保险…分公司（以下简称人保财险）."""
    out = []
    for name in names:
        for m in re.finditer(
            re.escape(name) + r"\((?:以下)?(?:简称|称)[:：]?[\"“]?([^)\"”]{2,15})", text
        ):
            out.append(m.group(1))
    return tuple(dict.fromkeys(out))


def _actors(
    s: str, p: _Patterns, insurers: tuple[str, ...], assessors: tuple[str, ...]
) -> list[tuple[int, str]]:
    """(position, insurer | plaintiff | third) of every actor named in a sentence, in order."""
    found = [(m.start(), "insurer") for m in p.insurer.finditer(s)]
    found += [(m.start(), "insurer") for n in insurers for m in re.finditer(re.escape(n), s)]
    found += [(m.start(), "plaintiff") for m in p.plaintiff_side.finditer(s)]
    found += [(m.start(), "third") for m in p.third_party.finditer(s)]
    found = sorted(found)
    # an assessor commissioned by someone acts for them: 被告委托甲乙公估公司查勘定损 (the
    # insurer's), 本院依法委托甲乙公司鉴定 (the court's)
    named = []
    for n in assessors:
        for a in re.finditer(re.escape(n), s):
            verb = None
            for m in p.commission.finditer(s, max(0, a.start() - 6), a.start()):
                verb = m
            kind = _last_actor(found, verb.start()) if verb is not None else None
            named.append((a.start(), {"insurer": "insurer_via"}.get(kind or "", kind or "third")))
    return sorted(found + named)


def _last_actor(actors: list[tuple[int, str]], at: int) -> str | None:
    who = None
    for pos, kind in actors:
        if pos >= at:
            break
        who = kind
    return who


def _commissioned(sentences: list[str], p: _Patterns, v: Vocabulary) -> tuple[bool, str | None]:
    for s in sentences:
        if not p.appraisal.search(s) or not p.commission.search(s):
            continue
        for start, clause in _clauses(s):
            for m in p.commission.finditer(clause):
                if clause.startswith(("代理", "诉讼"), m.end()):
                    continue  # 委托诉讼代理人: an agent, not an appraisal
                if p.court.match(clause, m.end()) or p.court.search(
                    clause, max(0, m.start() - 4), m.start()
                ):
                    continue  # 申请本院鉴定, 向本院申请: the court appoints, not the plaintiff
                appraisal = p.appraisal.search(s, start + m.end())
                if appraisal is None:
                    continue  # the appraisal follows the commission in its sentence
                between = p.actor.finditer(s, start + m.end(), appraisal.start())
                if any(a.lastgroup == "other" for a in between):
                    continue  # 经原告申请，本院委托…鉴定: someone else commissioned it
                actors = list(p.actor.finditer(clause, 0, m.start()))
                if not actors or actors[-1].lastgroup != "mine":
                    continue
                if not _negated(clause, m.start(), p, v):
                    return True, s
    return False, None


# --- businesses ------------------------------------------------------------------------------


def _name_before(text: str, end: int, suffix: str, p: _Patterns) -> str | None:
    """The business name that ends at ``end`` with ``suffix``, read back to its start; None if none."""
    i = end - len(suffix)
    j = i
    while j > 0 and re.match(_NAME_CHARS, text[j - 1]) and i - j < 30:
        j -= 1
    run = text[j:i]
    if "(" in run and ")" not in run[run.rfind("(") :]:
        run = run[run.rfind("(") + 1 :]  # (以下简称…: a remark, not part of the name
    head = after_last(after_last(run, _STRONG_CUTS), _SINGLE_CUTS)
    place = _PLACE.search(head)
    if place is not None and 0 < place.start() <= 4:
        head = head[place.start() :]  # 选用深圳市…: a short lead-in before the place is no name
    name = head + suffix
    if len(head) < 2 or "的" in head or "了" in head or head.startswith(("(", "（")):
        return None
    if name.startswith(p.not_name_start):
        return None
    return cjk_brackets(name)


_REPAIR_AT = re.compile("送至|送到|送往|拖至|在|由|到|交")
_NOT_A_REPAIR = "费|站|厂|店|部|中心|公司|有限|清单|发票|单|项目|工时|报价|金额|材料"
"""After a repair word these make it part of a name or a cost (维修站, 维修费), not a repair."""


def _told_repair(s: str, p: _Patterns) -> bool:
    """Whether the sentence tells that someone repaired the car somewhere (送至…维修, 在…修复)."""
    verb = f"(?:{p.repair.pattern})(?!{_NOT_A_REPAIR})"
    return (
        re.search(f"(?:送至|送到|送往|拖至|在|由|到|交)[^{CLAUSE_STOPS}]{{2,20}}?{verb}", s)
        is not None
    )


def _repair_shops(sentences: list[str], p: _Patterns) -> tuple[list[str], list[str], bool]:
    """Businesses the text has repair the vehicle, the clauses saying so, and whether a repair
    was told of without a business the reader could name."""
    names: list[str] = []
    words: list[str] = []
    maybe = False
    repairs_after = re.compile(
        r"(?:处|进行|(?:对|为|给|替)[^"
        + CLAUSE_STOPS
        + r"]{0,12}?(?:进行|作)?)?了?(?:"
        + p.repair.pattern
        + ")"
    )
    for s in sentences:
        if not p.repair.search(s):
            continue
        found = False
        for _, clause in _clauses(s):
            if not p.repair.search(clause):
                continue
            for b in p.business.finditer(clause):
                name = _name_before(clause, b.end(), b.group(0), p)
                if name is None:
                    continue
                start = b.end() - len(name)
                by_verb = repairs_after.match(clause, b.end()) is not None
                role = p.role.search(clause[max(0, start - 10) : start + 1])
                by_role = role is not None and role.end() >= min(start, 10)
                if by_verb or by_role:
                    if name not in names:
                        names.append(name)
                        words.append(clause)
                    found = True
        if not found and _REPAIR_AT.search(s) and (told := _told_repair(s, p)):
            maybe = told
    keep = _distinct(names)
    return [names[i] for i in keep], [words[i] for i in keep], maybe


def _assessors(text: str, p: _Patterns) -> tuple[list[str], list[str]]:
    names: list[str] = []
    words: list[str] = []
    for b in p.business.finditer(text):
        name = _name_before(text, b.end(), b.group(0), p)
        if name is None or not p.assessor_name.search(name):
            continue
        key = p.assessor_name.search(name)
        if key is None or key.start() < 2:  # 评估有限公司, 市价格认证中心: no name of its own
            continue
        if name not in names:
            names.append(name)
            words.append(text[max(0, b.start() - len(name) - 10) : b.end() + 10])
    keep = _distinct(names)
    return [names[i] for i in keep], [words[i] for i in keep]


def core(name: str) -> str:
    """A business name without its place and company form: the part that tells bodies apart.

    >>> core("深圳市国众联保险公估股份有限公司"), core("国众联保险公估公司")
    ('国众联保险公估', '国众联保险公估')
    """
    name = _COMPANY_TAIL.sub("", name)
    while (m := _PLACE.match(name)) and len(name) - m.end() >= 2:
        name = name[m.end() :]
    return name


def _distinct(names: list[str]) -> list[int]:
    """Indexes of the names to keep: one per body, the fullest way it is written.

    宝鸡中园法医司法鉴定所 and 陕西宝鸡中园法医司法鉴定所, 佛山市价格事务所 and
    佛山市价格事务所有限公司, 国众联保险公估公司 and 深圳市国众联保险公估股份有限公司 are one body each.
    """
    keep = []
    for i, x in enumerate(names):
        same = [
            y
            for y in names
            if y != x
            and (
                y.endswith(x)
                or core(y) == core(x)
                or (y.startswith(x) and _COMPANY_TAIL.fullmatch(y[len(x) :]) is not None)
            )
        ]
        if not any(len(y) > len(x) for y in same):
            keep.append(i)
    return keep


def read(
    text: str,
    v: Vocabulary,
    *,
    insurers: tuple[str, ...] = (),
    plaintiffs: tuple[str, ...] = (),
    sole_insurer: bool = False,
) -> InsuranceFacts:
    """The insurance facts of one (normalised) judgment text, given its insurer and plaintiff parties.

    ``sole_insurer``: every defendant is an insurer, so a bare 被告 is the insurer.
    """
    if sole_insurer:
        insurers = (*insurers, "被告")
    p = _patterns(v)
    sentences = [m.group(0) for m in p.sentence.finditer(text)]
    assigned, assigned_words, assignment_open = _assignment(sentences, p, v, plaintiffs)
    assessors, assessor_words = _assessors(text, p) if p.assessor_name.search(text) else ([], [])
    assessed, assessed_words, assessment_open = _assessment(
        sentences, p, v, insurers, tuple(assessors)
    )
    commissioned, commissioned_words = _commissioned(sentences, p, v)
    shops, shop_words, repair_open = _repair_shops(sentences, p)
    unread = tuple(
        name
        for name, is_open in (
            ("assignment", assignment_open and not assigned),
            ("assessment", assessment_open),
            ("repair", repair_open and not shops),
        )
        if is_open
    )
    return InsuranceFacts(
        assigned=assigned,
        assigned_words=assigned_words,
        insurer_assessed=assessed,
        assessed_words=assessed_words,
        commissioned=commissioned,
        commissioned_words=commissioned_words,
        repair_shops=tuple(shops),
        shop_words=tuple(shop_words),
        assessors=tuple(assessors),
        assessor_words=tuple(assessor_words),
        unread=unread,
    )
