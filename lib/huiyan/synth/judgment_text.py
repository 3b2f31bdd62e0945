"""Judgment full texts for the synthetic province, written from varied templates.

Insurance judgments (机动车交通事故责任纠纷, 财产保险合同纠纷) follow the real documents in
shared/realdata/judgments (header, parties with agents, 审理经过, 诉讼请求 and 事实和理由,
答辩, 查明, 本院认为, 判决如下, signatures); other civil causes give background. Each
section has several phrasings, and formats vary (amounts 12,345.60元 / 1.2万元, plates
浙D·12345, single-line texts, masked names, counterclaim role labels).

Texts are made only while the workspace is written (:meth:`Province.add_later`), in
chunks, so the province's 600,000 documents never sit in memory at once. Alongside,
the generator's own knowledge of each document goes to the hidden table
``synth_judgment_facts`` (one row per doc_id, fields as ``huiyan judgments parse``
reports them) so tests can compare the judgment parser with the truth.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from huiyan.synth import ids, names
from huiyan.synth.base import random_dates
from huiyan.synth.phrasing import Phrasing, choose
from huiyan.synth.phrasing.facts import JudgmentFacts, Person

if TYPE_CHECKING:
    from huiyan.synth.base import Province

FACTS_TABLE = "synth_judgment_facts"
CHUNK = 20_000
POOL_MIN = 100_000
"""From this many judgments on (province scale), texts are rendered in worker processes."""
RENDER_WORKERS = 2

OTHER_CAUSES = (
    ("民间借贷纠纷", "借款"),
    ("买卖合同纠纷", "货款"),
    ("金融借款合同纠纷", "借款本金"),
    ("房屋租赁合同纠纷", "租金"),
    ("劳务合同纠纷", "劳务费"),
    ("信用卡纠纷", "透支款"),
    ("物业服务合同纠纷", "物业费"),
    ("建设工程施工合同纠纷", "工程款"),
)
SHORT_INSURER = {
    "中国人民财产保险股份有限公司": "人保财险",
    "中国平安财产保险股份有限公司": "平安财险",
    "中国太平洋财产保险股份有限公司": "太平洋财险",
    "中国人寿财产保险股份有限公司": "人寿财险",
    "中华联合财产保险股份有限公司": "中华联合财险",
    "阳光财产保险股份有限公司": "阳光财险",
    "天安财产保险股份有限公司": "天安财险",
    "中国大地财产保险股份有限公司": "大地财险",
    "永安财产保险股份有限公司": "永安财险",
    "华安财产保险股份有限公司": "华安财险",
}
REPAIR_INDUSTRIES = ("机动车维修",)
ASSESSOR_INDUSTRIES = ("保险公估", "资产评估")
"""Industries (``enterprises.industry``) whose names a reader counts as repair shops / assessors."""
_CN = "〇一二三四五六七八九"
_ROADS = (
    "人民路",
    "解放路",
    "中兴路",
    "环城西路",
    "胜利路",
    "凤林路",
    "城南大道",
    "迎宾路",
    "二环北路",
)


def register(p: Province, cases: pd.DataFrame, n_other: int) -> None:
    """Add the judgments dataset (insurance ``cases`` plus ``n_other`` other civil cases)."""
    other = _other_cases(p, max(0, n_other), start_serial=len(cases) + 1)
    allc = pd.concat(
        [cases.assign(family="insurance"), other.assign(family="other")], ignore_index=True
    )
    allc = allc.sort_values(["region", "judgment_date"], kind="stable").reset_index(drop=True)
    # case numbers: per court and year, in date order, starting at a court-sized offset
    year = allc.judgment_date.dt.year.to_numpy()
    seq = (
        allc.groupby(["region", year]).cumcount().to_numpy() * 3
        + 1
        + (p.rng.integers(0, 3, len(allc)))
    )
    offset = p.rng.integers(50, 900, len(allc))
    allc["case_no"] = ids.case_nos(
        np.array([p.county(str(r)).court_code for r in allc.region]),
        year,
        np.full(len(allc), "民初"),
        seq + offset[0],
    )
    seed = p.seed
    words = p.phrasing.name

    def produce() -> Iterator[pd.DataFrame]:
        facts: list[pa.Table] = []
        starts = range(0, len(allc), CHUNK)
        jobs = ((seed, start, allc.iloc[start : start + CHUNK], words) for start in starts)
        rendered = _rendered(jobs, pool=len(allc) >= POOL_MIN)
        for start, (texts, rows) in zip(starts, rendered, strict=True):
            part = allc.iloc[start : start + CHUNK]
            facts.append(pa.Table.from_pylist(rows, schema=FACTS_SCHEMA))
            yield pd.DataFrame(
                {
                    "doc_id": part.doc_id.to_numpy(),
                    "case_no": part.case_no.to_numpy(),
                    "court": part.court.to_numpy(),
                    "region": part.region.to_numpy(),
                    "cause": part.cause.to_numpy(),
                    "doc_type": part.doc_type.fillna("判决书").to_numpy(),
                    "trial_level": "一审",
                    "judgment_date": part.judgment_date.to_numpy(),
                    "text": texts,
                }
            )
        if facts:
            p.add_table(FACTS_TABLE, pa.concat_tables(facts))

    p.add_later("judgments", produce)


def render_chunk(
    job: tuple[int, int, pd.DataFrame, str],
) -> tuple[list[str], list[dict[str, Any]]]:
    """Texts and facts of one chunk of cases; document ``start + i`` draws from its own seed.

    The last item of ``job`` names the phrasing family or mix (a name: jobs go to processes).
    """
    seed, start, part, phrasing = job
    words = _phrasing(phrasing)
    texts, rows = [], []
    for i, c in enumerate(part.itertuples(index=False)):
        r = random.Random(seed * 1_000_003 + start + i)
        if c.family == "insurance":
            text, fact = render_insurance(c, r, words)
        else:
            text, fact = render_other(c, r)
        texts.append(text)
        rows.append(fact)
    return texts, rows


@functools.cache
def _phrasing(name: str) -> Phrasing:
    return choose(name)


def _rendered(
    jobs: Iterator[tuple[int, int, pd.DataFrame, str]], *, pool: bool
) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    """``render_chunk`` of every job, in order; large provinces render in worker processes.

    At most ``2 * RENDER_WORKERS`` chunks are in flight, so rendered texts never pile up
    in memory while the writer catches up.
    """
    if not pool:
        yield from map(render_chunk, jobs)
        return
    import multiprocessing as mp
    from collections import deque

    with mp.get_context("spawn").Pool(RENDER_WORKERS) as workers:
        pending: deque[Any] = deque()
        for job in jobs:
            pending.append(workers.apply_async(render_chunk, (job,)))
            if len(pending) > 2 * RENDER_WORKERS:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


FACTS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("case_no", pa.string()),
        ("court", pa.string()),
        ("cause", pa.string()),
        ("doc_type", pa.string()),
        ("judgment_date", pa.date32()),
        ("plaintiffs", pa.list_(pa.string())),
        ("defendants", pa.list_(pa.string())),
        ("plaintiff_agents", pa.list_(pa.string())),
        ("law_firms", pa.list_(pa.string())),
        ("defendant_agents", pa.list_(pa.string())),
        ("org_parties", pa.list_(pa.string())),
        ("legal_reps", pa.list_(pa.string())),
        ("insurers", pa.list_(pa.string())),
        ("plates", pa.list_(pa.string())),
        ("repair_shops", pa.list_(pa.string())),
        ("assessors", pa.list_(pa.string())),
        ("claimed_amount", pa.float64()),
        ("awarded_amount", pa.float64()),
        ("assigned", pa.bool_()),
        ("insurer_assessed", pa.bool_()),
        ("masked", pa.bool_()),
        ("single_line", pa.bool_()),
        ("scenario", pa.string()),
        ("phrasing", pa.string()),
    ]
)
"""Columns of ``synth_judgment_facts``: what each synthetic document says, as a parser should read it.

Values follow the contract's "Parsed judgment": doc_type as written (民事判决书), assigned
true or false (never null), insurer_assessed
true, false or null, awarded_amount the court's payment orders (or the payments a 调解书
confirms; null for a 裁定书). repair_shops lists the businesses the text has repair the
vehicle (a repair business that is only a party, or a motor-trade company that owns the
at-fault car, is none); assessors every assessment body named, also when one is a party
to a debt case. law_firms are those of the
plaintiff's agents; defendant_agents the agents of the defendants (the insurer's staff);
org_parties the parties that are organisations; legal_reps the 法定代表人 / 负责人 of the
organisations, in the order of the parties. masked, single_line, scenario and phrasing (the
family that worded the document) describe the document, not its facts.
tests/test_judgment_truth.py holds the derived ``jd_*`` tables to these values.
"""


def _other_cases(p: Province, n: int, *, start_serial: int) -> pd.DataFrame:
    rng = p.rng
    if n <= 0:
        return pd.DataFrame(columns=["region", "judgment_date", "doc_id", "cause", "court"])
    regs = p.pick_regions(n)
    dates = pd.to_datetime(random_dates(rng, "2019-01-01", "2024-12-20", n))
    pick = rng.integers(0, len(OTHER_CAUSES), n)
    plaintiffs = p.sample_people(min(n, 5000), min_age=22, max_age=70)
    defendants = p.sample_people(min(n, 5000), min_age=22, max_age=70)
    pi = rng.integers(0, len(plaintiffs), n)
    di = rng.integers(0, len(defendants), n)
    org = rng.random(n) < 0.3
    ent = p.enterprises
    oi = rng.integers(0, len(ent), n)
    serial = np.char.zfill(np.arange(start_serial, start_serial + n).astype(str), 7)
    year = dates.year.to_numpy().astype(str)
    amount = np.round(rng.lognormal(10.5, 1.1, n), 2)
    return pd.DataFrame(
        {
            "region": regs,
            "judgment_date": dates,
            "doc_id": regs.astype(object) + year.astype(object) + serial.astype(object),
            "cause": [OTHER_CAUSES[k][0] for k in pick],
            "money_word": [OTHER_CAUSES[k][1] for k in pick],
            "court": [p.county(str(r)).court for r in regs],
            "doc_type": rng.choice(np.array(["判决书", "判决书", "判决书", "调解书", "裁定书"]), n),
            "plaintiff": np.where(org, ent.name.to_numpy()[oi], plaintiffs.name.to_numpy()[pi]),
            "plaintiff_kind": np.where(org, "org", "person"),
            "legal_rep": ent.legal_rep_name.to_numpy()[oi],
            "plaintiff_industry": np.where(org, ent.industry.to_numpy()[oi], None),
            "plaintiff_gender": plaintiffs.gender.to_numpy()[pi],
            "plaintiff_birth": plaintiffs.birth_date.to_numpy()[pi],
            "driver": defendants.name.to_numpy()[di],
            "driver_gender": defendants.gender.to_numpy()[di],
            "claimed": amount,
            "awarded": np.round(amount * rng.uniform(0.5, 1.0, n), 2),
            "masked": rng.random(n) < 0.05,
        }
    )


# -- formatting helpers ------------------------------------------------------------------------


def cn_date(d: Any) -> str:
    """二〇二一年三月五日."""
    d = pd.Timestamp(d)
    year = "".join(_CN[int(x)] for x in str(d.year))
    return f"{year}年{_cn_num(d.month)}月{_cn_num(d.day)}日"


def _cn_num(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else _CN[tens] + "十") + (_CN[ones] if ones else "")


def _date(d: Any) -> str:
    d = pd.Timestamp(d)
    return f"{d.year}年{d.month}月{d.day}日"


def money(x: float, r: random.Random, *, allow_wan: bool = False) -> str:
    """An amount as courts write it: 12345.60元, 12,345.60元, 12345.6元 or 1.2万元."""
    if allow_wan and x >= 10000 and round(x, -2) == x and r.random() < 0.5:
        return f"{_short(x / 10000)}万元"
    k = r.random()
    if k < 0.3:
        return f"{x:,.2f}元"
    if k < 0.4 and x == round(x, 1):
        return f"{_short(x)}元"
    return f"{x:.2f}元"


def _short(x: float) -> str:
    """12345.6, 12345 or 1.25: no trailing zeros (not ``:g``, which rounds to 6 digits)."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def plate_text(plate: str, r: random.Random) -> str:
    """浙D12345 or 浙D·12345."""
    return plate[:2] + "·" + plate[2:] if r.random() < 0.25 else plate


def _mask(name: str) -> str:
    return name[0] + "某"


def _person_line(
    label: str, name: str, gender: Any, birth: Any, place: str, r: random.Random
) -> str:
    sep = r.choice(["：", "：", ":", ""])
    gender = gender if isinstance(gender, str) else "男"
    b = _date(birth) if birth is not None and not pd.isna(birth) else None
    born = f"{b}{r.choice(['出生', '生'])}" if b else ""
    if r.random() < 0.5:
        body = f"{gender}，{born}，汉族，住{place}。" if born else f"{gender}，汉族，住{place}。"
    else:
        body = f"{gender}，汉族，{born}，住{place}。" if born else f"{gender}，住{place}。"
    return f"{label}{sep}{name}，{body}"


_SUR = list(names.SURNAMES)
_SUR_CUM = list(np.cumsum(names.SURNAME_WEIGHTS))
_MALE = list(names.MALE_CHARS)
_FEMALE = list(names.FEMALE_CHARS)


def person_name(r: random.Random, gender: str = "男") -> str:
    """One believable name, drawn with the document's own random stream (fast, pure Python)."""
    pool = _MALE if gender == "男" else _FEMALE
    given = r.choice(pool) + (r.choice(pool) if r.random() < 0.78 else "")
    return r.choices(_SUR, cum_weights=_SUR_CUM)[0] + given


def _signature(d: Any, r: random.Random) -> list[str]:
    judge = [person_name(r, "男"), person_name(r, "女"), person_name(r, "女")]
    if r.random() < 0.5:
        return [f"审判员　　{judge[0]}", cn_date(d), f"书记员　　{judge[1]}"]
    return [
        f"审　判　长　　{judge[0]}",
        f"人民陪审员　　{judge[2]}",
        f"人民陪审员　　{judge[1][0]}国平",
        cn_date(d),
        f"书　记　员　　{judge[1]}",
    ]


def _join(paragraphs: list[str], r: random.Random) -> tuple[str, bool]:
    k = r.random()
    if k < 0.04:
        return "".join(paragraphs), True
    if k < 0.08:
        return " ".join(paragraphs), True
    return "\n".join(paragraphs), False


def _insurer_short(insurer: str) -> str:
    for head, short in SHORT_INSURER.items():
        if insurer.startswith(head):
            branch = insurer[len(head) :]
            return short + branch.replace("分公司", "分公司").replace("市", "")
    return "保险公司"


# -- insurance judgments -----------------------------------------------------------------------


def _assessment(c: Any, has_car: bool, assessor: str | None) -> str:
    """The phrasing interface's ``assessment`` of a case (see :class:`JudgmentFacts`)."""
    how = c.assessed_by
    if how in ("self", "self_silent", "disputed") and assessor:
        return str(how)
    if not has_car:
        return "none"
    if how == "insurer_named":
        return "insurer_named" if assessor else "insurer"
    if how == "insurer":
        return "insurer"
    if how == "court":
        return "court" if assessor else "repair_bill"
    return "none"


_NAMES_ASSESSOR = ("self", "self_silent", "disputed", "insurer_named", "court")
_ASSESSED = {"self": False, "disputed": True, "insurer": True, "insurer_named": True}
"""What the text says about the insurer's assessment, by assessment: False, True, else null."""


def _opt(value: Any) -> Any:
    return value if isinstance(value, str) else None


def judgment_facts(c: Any, r: random.Random) -> JudgmentFacts:
    """The phrasing interface's facts of one insurance case (names masked where the case is)."""
    county = c.court.replace("人民法院", "")
    masked = bool(c.masked)
    P = _mask(c.plaintiff) if masked and c.plaintiff_kind == "person" else c.plaintiff
    D = (_mask(c.driver) if masked else c.driver) if isinstance(c.driver, str) else None
    has_car = isinstance(c.plate, str)
    assessor = _opt(c.assessor)
    assessment = _assessment(c, has_car, assessor)
    loss = round(float(c.awarded) * r.uniform(1.0, 1.05), 2)
    person = None
    if c.plaintiff_kind != "org":
        birth = c.plaintiff_birth
        person = Person(
            P,
            c.plaintiff_gender if isinstance(c.plaintiff_gender, str) else "男",
            None if birth is None or pd.isna(birth) else pd.Timestamp(birth).date(),
        )
    car_sold = bool(getattr(c, "car_sold", False))
    owner = _opt(c.owner_name) if (c.assigned or car_sold) else None
    company = _opt(getattr(c, "vehicle_company", None)) if D else None
    return JudgmentFacts(
        court=c.court,
        county=county,
        cause=c.cause,
        traffic=c.cause == "机动车交通事故责任纠纷",
        plaintiff=P,
        plaintiff_kind="org" if c.plaintiff_kind == "org" else "person",
        plaintiff_person=person,
        plaintiff_rep=_opt(getattr(c, "legal_rep", None)) if c.plaintiff_kind == "org" else None,
        agent=_opt(c.agent),
        agent_firm=_opt(c.agent_firm) if isinstance(c.agent, str) else None,
        agent_kind=c.agent_kind if isinstance(c.agent, str) else None,
        driver=D,
        driver_gender=c.driver_gender if isinstance(c.driver_gender, str) else "男",
        vehicle_company=company,
        vehicle_company_rep=person_name(r) if company else None,
        insurer=c.insurer,
        insurer_short=r.choice([_insurer_short(c.insurer), _insurer_short(c.insurer), "保险公司"]),
        insurer_rep=person_name(r),
        insurer_agent=person_name(r, r.choice(["男", "女"])),
        plate=c.plate if has_car else None,
        other_plate=_opt(c.other_plate),
        owner=owner,
        accident_date=pd.Timestamp(c.accident_date).date(),
        accident_place=f"{county}{r.choice(_ROADS)}",
        assigned=bool(c.assigned),
        car_sold=car_sold,
        assessment=assessment,  # type: ignore[arg-type]
        assessor=assessor if assessment in _NAMES_ASSESSOR else None,
        loss_yuan=loss,
        insurer_loss_yuan=round(loss * r.uniform(0.4, 0.8), 2)
        if assessment == "disputed"
        else None,
        shop=_opt(c.shop) if has_car else None,
        injury=not has_car,
    )


def render_insurance(
    c: Any, r: random.Random, phrasing: Phrasing | None = None
) -> tuple[str, dict[str, Any]]:
    """The full text of one insurance judgment and the facts it states.

    The facts come from ``r``; the fact-bearing sections (parties, story, defence, findings)
    are worded by a family of ``phrasing`` (default: the default mix) from a stream of
    their own, so the facts never depend on the wording.
    """
    f = judgment_facts(c, r)
    words = phrasing or choose()
    family = words.pick(random.Random(r.getrandbits(64)))
    w = random.Random(r.getrandbits(64))
    P, D, INS, abbr = f.plaintiff, f.driver, f.insurer, f.insurer_short
    para: list[str] = []
    if r.random() < 0.3:
        para.append(f"{P}与{D + '、' if D else ''}{INS}{c.cause}一审民事判决书")
    para += [c.court, r.choice(["民 事 判 决 书", "民事判决书"]), c.case_no]
    para += family.judgment_parties(f, w)
    defendants = [x for x in (D, f.vehicle_company, INS) if x]
    # 审理经过
    named = "、".join(x for x in (D, f.vehicle_company) if x)
    parties = f"被告{named}、{INS}（以下简称{abbr}）" if named else f"被告{INS}（以下简称{abbr}）"
    filed = pd.Timestamp(c.judgment_date) - pd.Timedelta(days=r.randint(30, 120))
    proc = r.choice(
        [
            "依法适用简易程序，公开开庭进行了审理",
            "依法适用简易程序，由审判员独任审判，公开开庭进行了审理",
            "依法适用普通程序，组成合议庭公开开庭进行了审理",
        ]
    )
    agent_part = f"及其委托诉讼代理人{f.agent}" if f.agent else ""
    tail = (
        f"被告{D}经本院传票传唤无正当理由未到庭参加诉讼。本案现已缺席审理终结。"
        if D and r.random() < 0.3
        else "本案现已审理终结。"
    )
    para.append(
        f"原告{P}与{parties}{c.cause}一案，本院于{_date(filed)}立案后，{proc}。原告{P}{agent_part}、被告{abbr}的委托诉讼代理人{f.insurer_agent}到庭参加诉讼。{tail}"
    )
    # 诉讼请求
    claimed = float(c.claimed)
    what = (
        "车辆维修费、评估费、施救费等各项损失"
        if f.plate
        else "医疗费、误工费、护理费、交通费等各项损失"
    )
    opener = r.choice(["向本院提出诉讼请求：", "诉称，请求判令：", "向本院提出诉讼请求："])
    defendant_ref = "各被告" if len(defendants) > 2 else ("二被告" if D else "被告")
    para.append(
        f"原告{P}{opener}1.判令{defendant_ref}赔偿原告{what}共计{money(claimed, r, allow_wan=True)}；2.本案诉讼费由被告承担。{r.choice(['事实和理由：', '事实与理由：'])}{family.judgment_story(f, w)}"
    )
    para += family.judgment_defence(f, w)
    para.append(family.judgment_findings(f, w))
    # 本院认为
    awarded = float(c.awarded)
    split = D is not None and r.random() < 0.2
    ins_part = round(awarded * 0.8, 2) if split else awarded
    drv_part = round(awarded - ins_part, 2)
    basis = (
        "《中华人民共和国民法典》第一千二百零八条、第一千二百一十三条，《中华人民共和国道路交通安全法》第七十六条"
        if f.traffic
        else "《中华人民共和国保险法》第二条、第十四条、第二十三条"
    )
    para.append(
        f"本院认为，{_reasoning(c, r, P, abbr, f.traffic)}原告合理损失为{money(awarded, r)}，{r.choice(['本院予以支持', '本院予以确认'])}。依照{basis}，《中华人民共和国民事诉讼法》第六十七条之规定，判决如下："
    )
    items = [
        f"被告{INS}于本判决生效之日起十日内赔偿原告{P}{r.choice(['各项损失', '车辆损失', '保险金'])}{money(ins_part, r)}；"
    ]
    if split:
        items.append(f"被告{D}于本判决生效之日起十日内赔偿原告{P}损失{money(drv_part, r)}；")
    if awarded < claimed:
        items.append(f"驳回原告{P}的其他诉讼请求。")
    if len(items) == 1:
        para.append(items[0].rstrip("；") + "。")
    else:
        para += [f"{'一二三'[k]}、{t}" for k, t in enumerate(items)]
    para.append(
        f"如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第{r.choice(['二百六十条', '二百六十四条'])}之规定，加倍支付迟延履行期间的债务利息。"
    )
    fee = max(25, round(claimed * 0.01))
    para.append(
        f"案件受理费{fee}元，减半收取{fee // 2}元，由{r.choice(['被告' + (D or abbr), '原告' + P])}负担。"
    )
    para.append(
        f"如不服本判决，可在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，上诉于浙江省{c.court[:3]}中级人民法院。"
    )
    para += _signature(c.judgment_date, r)
    text, single = _join(para, r)
    plates = [x for x in (c.plate, c.other_plate) if isinstance(x, str)]
    agents = [f.agent] if f.agent else []
    orgs = [x for x in (P if f.plaintiff_kind == "org" else None, f.vehicle_company, INS) if x]
    reps = [
        x
        for x in (
            f.plaintiff_rep if f.plaintiff_kind == "org" else None,
            f.vehicle_company_rep,
            f.insurer_rep,
        )
        if x
    ]
    return text, {
        "doc_id": c.doc_id,
        "case_no": c.case_no,
        "court": c.court,
        "cause": c.cause,
        "doc_type": "民事判决书",
        "judgment_date": pd.Timestamp(c.judgment_date).date(),
        "plaintiffs": [P],
        "defendants": defendants,
        "plaintiff_agents": agents,
        "law_firms": [f.agent_firm] if agents and f.agent_firm else [],
        "defendant_agents": [f.insurer_agent],
        "org_parties": orgs,
        "legal_reps": reps,
        "insurers": [INS],
        "plates": plates,
        "repair_shops": [f.shop] if f.shop else [],
        "assessors": [f.assessor] if f.assessor else [],
        "claimed_amount": claimed,
        "awarded_amount": awarded,
        "assigned": f.assigned,
        "insurer_assessed": _ASSESSED.get(f.assessment),
        "masked": bool(c.masked),
        "single_line": single,
        "scenario": c.kind,
        "phrasing": family.NAME,
    }


def _reasoning(c: Any, r: random.Random, P: str, abbr: str, traffic: bool) -> str:
    # the skeleton's own words say nothing a reader looks for (assignment, assessment, repair):
    # those facts are worded only by the phrasing family
    if traffic:
        return r.choice(
            [
                "机动车发生交通事故造成损害，由保险公司在交强险责任限额范围内予以赔偿，不足部分按照商业第三者责任险合同予以赔偿。",
                f"本案事故责任明确，被告{abbr}作为肇事车辆的保险人，应在保险责任限额内承担赔偿责任。",
            ]
        )
    return r.choice(
        [
            "原、被告之间的保险合同合法有效，保险事故发生后，保险人应当依约赔偿。",
            "保险合同依法成立并生效，被告应按照合同约定承担保险责任。",
        ]
    )


# -- other civil judgments ---------------------------------------------------------------------


def render_other(c: Any, r: random.Random) -> tuple[str, dict[str, Any]]:
    """A short judgment of another civil cause (background)."""
    county = c.court.replace("人民法院", "")
    masked = bool(c.masked)
    P = _mask(c.plaintiff) if masked and c.plaintiff_kind == "person" else c.plaintiff
    D = _mask(c.driver) if masked else c.driver
    doc = c.doc_type if isinstance(c.doc_type, str) else "判决书"
    word = {"判决书": "判 决 书", "调解书": "调 解 书", "裁定书": "裁 定 书"}[doc]
    para = [c.court, r.choice([f"民 事 {word}", f"民事{doc}"]), c.case_no]
    if c.plaintiff_kind == "org":
        para += [
            f"原告：{P}，住所地{county}{r.choice(_ROADS)}{r.randint(1, 300)}号。",
            f"法定代表人：{c.legal_rep}，总经理。",
        ]
    else:
        para.append(_person_line("原告", P, c.plaintiff_gender, c.plaintiff_birth, county, r))
    para.append(_person_line("被告", D, c.driver_gender, None, county, r))
    filed = pd.Timestamp(c.judgment_date) - pd.Timedelta(days=r.randint(30, 150))
    para.append(
        f"原告{P}与被告{D}{c.cause}一案，本院于{_date(filed)}立案后，依法适用简易程序，公开开庭进行了审理。本案现已审理终结。"
    )
    claimed, awarded = float(c.claimed), float(c.awarded)
    para.append(
        f"原告{P}向本院提出诉讼请求：1.判令被告支付{c.money_word}{money(claimed, r, allow_wan=True)}；2.本案诉讼费用由被告负担。事实和理由：原、被告之间存在{c.cause[:-2]}关系，被告至今未付清{c.money_word}，经催讨未果。"
    )
    para.append(f"被告{D}{r.choice(['辩称，对欠款事实无异议，但无力一次性支付。', '未作答辩。'])}")
    awarded_out: float | None = awarded
    if doc == "判决书":
        para.append(
            f"本院认为，当事人应当按照约定全面履行自己的义务。被告未按约支付{c.money_word}，应承担相应的民事责任。依照《中华人民共和国民法典》第五百七十七条之规定，判决如下："
        )
        para.append(
            f"被告{D}于本判决生效之日起十日内支付原告{P}{c.money_word}{money(awarded, r)}。"
        )
        para.append(f"案件受理费{max(25, round(claimed * 0.01))}元，由被告{D}负担。")
    elif doc == "调解书":
        para.append(
            f"本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议：被告{D}于{_date(c.judgment_date + pd.Timedelta(days=30))}前支付原告{P}{c.money_word}{money(awarded, r)}。"
        )
        para.append(
            "上述协议，符合有关法律规定，本院予以确认。本调解书经双方当事人签收后，即具有法律效力。"
        )
    else:
        para.append(
            f"本案审理过程中，原告{P}以双方已自行和解为由，向本院申请撤回起诉。本院认为，原告申请撤诉，系其真实意思表示，不违反法律规定，依照《中华人民共和国民事诉讼法》第一百四十八条之规定，裁定如下：准许原告{P}撤回起诉。"
        )
        awarded_out = None
    para += _signature(c.judgment_date, r)
    text, single = _join(para, r)
    return text, {
        "doc_id": c.doc_id,
        "case_no": c.case_no,
        "court": c.court,
        "cause": c.cause,
        "doc_type": "民事" + doc,
        "judgment_date": pd.Timestamp(c.judgment_date).date(),
        "plaintiffs": [P],
        "defendants": [D],
        "plaintiff_agents": [],
        "law_firms": [],
        "defendant_agents": [],
        "org_parties": [P] if c.plaintiff_kind == "org" else [],
        "legal_reps": [c.legal_rep] if c.plaintiff_kind == "org" else [],
        "insurers": [],
        "plates": [],
        # a repair business suing over a debt repairs no vehicle here: no repair shop (contract);
        # an assessment firm is an appraisal body whatever it sues for
        "repair_shops": [],
        "assessors": [P] if c.plaintiff_industry in ASSESSOR_INDUSTRIES else [],
        "claimed_amount": claimed,
        "awarded_amount": awarded_out,
        "assigned": False,
        "insurer_assessed": None,
        "masked": masked,
        "single_line": single,
        "scenario": "other",
        "phrasing": "house",
    }
