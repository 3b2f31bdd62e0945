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

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from huiyan.synth import ids, names
from huiyan.synth.base import random_dates

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

    def produce() -> Iterator[pd.DataFrame]:
        facts: list[pa.Table] = []
        starts = range(0, len(allc), CHUNK)
        jobs = ((seed, start, allc.iloc[start : start + CHUNK]) for start in starts)
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


def render_chunk(job: tuple[int, int, pd.DataFrame]) -> tuple[list[str], list[dict[str, Any]]]:
    """Texts and facts of one chunk of cases; document ``start + i`` draws from its own seed."""
    seed, start, part = job
    texts, rows = [], []
    for i, c in enumerate(part.itertuples(index=False)):
        r = random.Random(seed * 1_000_003 + start + i)
        text, fact = render_insurance(c, r) if c.family == "insurance" else render_other(c, r)
        texts.append(text)
        rows.append(fact)
    return texts, rows


def _rendered(
    jobs: Iterator[tuple[int, int, pd.DataFrame]], *, pool: bool
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
    ]
)
"""Columns of ``synth_judgment_facts``: what each synthetic document says, as a parser should read it.

Values follow the contract's "Parsed judgment": doc_type as written (民事判决书), assigned
true or null (a text that does not mention an assignment says nothing), insurer_assessed
true, false or null, awarded_amount the court's payment orders (or the payments a 调解书
confirms; null for a 裁定书). repair_shops and assessors list every repair business and
assessor named, also when one is a party to a debt case. law_firms are those of the
plaintiff's agents; defendant_agents the agents of the defendants (the insurer's staff);
org_parties the parties that are organisations; legal_reps the 法定代表人 / 负责人 of the
organisations, in the order of the parties. masked, single_line and scenario describe the
document, not its facts.
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


def _agent_lines(
    who: str, agent: Any, firm: Any, kind: Any, place: str, r: random.Random
) -> list[str]:
    if not isinstance(agent, str):
        return []
    label = r.choice(["委托诉讼代理人", "委托诉讼代理人", "委托代理人"])
    sep = r.choice(["：", "："]) if label == "委托诉讼代理人" else r.choice(["", "："])
    if kind == "lawyer":
        return [
            f"{label}{sep}{agent}，{firm}{r.choice(['律师', '律师', '专职律师'])}{r.choice(['。', '，特别授权代理。'])}"
        ]
    if kind == "legal_service":
        return [f"{label}{sep}{agent}，{firm}法律工作者。"]
    return [
        f"{label}{sep}{agent}，{r.choice(['男', '女'])}，汉族，住{place}，系原告{who}{r.choice(['的朋友', '的亲戚', '所在社区推荐'])}。"
    ]


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


def render_insurance(c: Any, r: random.Random) -> tuple[str, dict[str, Any]]:
    """The full text of one insurance judgment and the facts it states."""
    county = c.court.replace("人民法院", "")
    masked = bool(c.masked)
    P = _mask(c.plaintiff) if masked and c.plaintiff_kind == "person" else c.plaintiff
    D = (_mask(c.driver) if masked else c.driver) if isinstance(c.driver, str) else None
    INS = c.insurer
    abbr = r.choice([_insurer_short(INS), _insurer_short(INS), "保险公司"])
    counter = D is not None and c.kind == "background" and r.random() < 0.04
    p_label = "原告（反诉被告）" if counter else "原告"
    d_label = "被告（反诉原告）" if counter else "被告"
    traffic = c.cause == "机动车交通事故责任纠纷"
    A = plate_text(c.plate, r) if isinstance(c.plate, str) else None
    B = plate_text(c.other_plate, r) if isinstance(c.other_plate, str) else None
    para: list[str] = []
    if r.random() < 0.3:
        para.append(f"{P}与{D + '、' if D else ''}{INS}{c.cause}一审民事判决书")
    para += [c.court, r.choice(["民 事 判 决 书", "民事判决书"]), c.case_no]
    if c.plaintiff_kind == "org":
        para.append(f"{p_label}：{P}，住所地{county}{r.choice(_ROADS)}{r.randint(1, 300)}号。")
        para.append(f"法定代表人：{c.legal_rep}，{r.choice(['总经理', '执行董事', '经理'])}。")
    else:
        para.append(_person_line(p_label, P, c.plaintiff_gender, c.plaintiff_birth, county, r))
    para += _agent_lines(P, c.agent, c.agent_firm, c.agent_kind, county, r)
    defendants = []
    if D:
        para.append(_person_line(d_label, D, c.driver_gender, None, county, r))
        defendants.append(D)
    para.append(
        f"被告{r.choice(['：', '', ':'])}{INS}，{r.choice(['住所地', '住所地：'])}{county}{r.choice(_ROADS)}{r.randint(1, 500)}号。"
    )
    rep_label = r.choice(["负责人", "主要负责人", "代表人"])
    ins_rep = person_name(r)
    para.append(f"{rep_label}：{ins_rep}，{r.choice(['该公司总经理', '总经理', '该公司经理'])}。")
    ins_agent = person_name(r, r.choice(["男", "女"]))
    para.append(
        f"委托诉讼代理人：{ins_agent}，{r.choice(['该公司员工', '该公司职员', '公司员工'])}。"
    )
    defendants.append(INS)
    # 审理经过
    parties = f"被告{D}、{INS}（以下简称{abbr}）" if D else f"被告{INS}（以下简称{abbr}）"
    filed = pd.Timestamp(c.judgment_date) - pd.Timedelta(days=r.randint(30, 120))
    proc = r.choice(
        [
            "依法适用简易程序，公开开庭进行了审理",
            "依法适用简易程序，由审判员独任审判，公开开庭进行了审理",
            "依法适用普通程序，组成合议庭公开开庭进行了审理",
        ]
    )
    agent_part = f"及其委托诉讼代理人{c.agent}" if isinstance(c.agent, str) else ""
    tail = (
        f"被告{D}经本院传票传唤无正当理由未到庭参加诉讼。本案现已缺席审理终结。"
        if D and r.random() < 0.3
        else "本案现已审理终结。"
    )
    para.append(
        f"{p_label}{P}与{parties}{c.cause}一案，本院于{_date(filed)}立案后，{proc}。原告{P}{agent_part}、被告{abbr}的委托诉讼代理人{ins_agent}到庭参加诉讼。{tail}"
    )
    # 诉讼请求
    claimed = float(c.claimed)
    what = (
        "车辆维修费、评估费、施救费等各项损失" if A else "医疗费、误工费、护理费、交通费等各项损失"
    )
    opener = r.choice(["向本院提出诉讼请求：", "诉称，请求判令：", "向本院提出诉讼请求："])
    defendant_ref = "二被告" if D else "被告"
    para.append(
        f"原告{P}{opener}1.判令{defendant_ref}赔偿原告{what}共计{money(claimed, r, allow_wan=True)}；2.本案诉讼费由被告承担。{r.choice(['事实和理由：', '事实与理由：'])}{_story(c, r, P, D, A, B, abbr, traffic)}"
    )
    # 答辩
    if c.assessed_by == "self":
        para.append(
            f"被告{abbr}辩称，{r.choice(['原告未通知保险公司定损，单方委托评估，评估金额过高，不予认可', '原告车辆未经保险公司定损即自行维修，对评估结论不予认可'])}；{r.choice(['诉讼费、评估费不属于保险赔偿范围', '请求依法判决'])}。"
        )
    else:
        para.append(
            f"被告{abbr}辩称，{r.choice(['对事故发生及责任认定无异议', '对投保事实无异议'])}，{r.choice(['愿意在保险责任限额内依法赔偿', '但原告主张的部分损失过高'])}，诉讼费不予承担。"
        )
    if D and r.random() < 0.6:
        para.append(f"被告{D}{r.choice(['辩称，车辆已投保，应由保险公司赔偿。', '未作答辩。'])}")
    # 查明
    loss = round(float(c.awarded) * r.uniform(1.0, 1.05), 2)
    findings = [
        r.choice(["经审理查明：", "经审理查明，", "本院经审理认定事实如下："])
        + _accident(c, r, P, D, A, B, traffic)
    ]
    assessor = c.assessor if isinstance(c.assessor, str) else None
    shop = c.shop if isinstance(c.shop, str) else None
    insurer_assessed: bool | None = None
    if shop:
        findings.append(
            r.choice(
                [
                    f"事故车辆送至{shop}维修。",
                    f"受损车辆由{shop}修复。",
                    f"车辆事故后在{shop}进行维修。",
                ]
            )
        )
    if c.assessed_by == "self":
        findings.append(
            f"原告自行委托{assessor}对车辆损失进行评估，评估损失为{money(loss, r)}。该车损失{r.choice(['未经保险公司定损', '未经被告保险公司定损'])}。"
        )
        insurer_assessed = False
    elif c.assessed_by == "self_silent":
        findings.append(f"原告自行委托{assessor}对车辆损失进行评估，评估损失为{money(loss, r)}。")
    elif c.assessed_by == "insurer_named" and assessor:
        findings.append(f"被告{abbr}委托{assessor}对车辆损失进行查勘，定损金额为{money(loss, r)}。")
        insurer_assessed = True
    elif c.assessed_by == "insurer" and A:
        findings.append(f"经被告{abbr}定损，定损金额为{money(loss, r)}。")
        insurer_assessed = True
    elif c.assessed_by == "court" and A and assessor:
        findings.append(
            f"审理中，经被告{abbr}申请，本院依法委托{assessor}对车辆损失进行鉴定，鉴定车辆损失为{money(loss, r)}。"
        )
    elif A and c.assessed_by in ("insurer", "court"):
        findings.append(f"原告车辆维修实际支出修理费{money(loss, r)}。")
    if assessor and c.assessed_by == "insurer":
        assessor = None  # not mentioned in this variant
    para.append("".join(findings))
    # 本院认为
    awarded = float(c.awarded)
    split = D is not None and r.random() < 0.2
    ins_part = round(awarded * 0.8, 2) if split else awarded
    drv_part = round(awarded - ins_part, 2)
    basis = (
        "《中华人民共和国民法典》第一千二百零八条、第一千二百一十三条，《中华人民共和国道路交通安全法》第七十六条"
        if traffic
        else "《中华人民共和国保险法》第二条、第十四条、第二十三条"
    )
    para.append(
        f"本院认为，{_reasoning(c, r, P, abbr, traffic)}原告合理损失为{money(awarded, r)}，{r.choice(['本院予以支持', '本院予以确认'])}。依照{basis}，《中华人民共和国民事诉讼法》第六十七条之规定，判决如下："
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
    agents = [c.agent] if isinstance(c.agent, str) else []
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
        "law_firms": [c.agent_firm] if agents and isinstance(c.agent_firm, str) else [],
        "defendant_agents": [ins_agent],
        "org_parties": [P, INS] if c.plaintiff_kind == "org" else [INS],
        "legal_reps": [c.legal_rep, ins_rep] if c.plaintiff_kind == "org" else [ins_rep],
        "insurers": [INS],
        "plates": plates,
        "repair_shops": [shop] if shop else [],
        "assessors": [assessor] if assessor else [],
        "claimed_amount": claimed,
        "awarded_amount": awarded,
        "assigned": True if c.assigned else None,  # the text says nothing otherwise
        "insurer_assessed": insurer_assessed,
        "masked": masked,
        "single_line": single,
        "scenario": c.kind,
    }


def _story(
    c: Any, r: random.Random, P: str, D: Any, A: Any, B: Any, abbr: str, traffic: bool
) -> str:
    when = _date(c.accident_date)
    place = f"{c.court.replace('人民法院', '')}{r.choice(_ROADS)}"
    owner = c.owner_name if isinstance(c.owner_name, str) else None
    own_ref = "原告所有的" if not c.assigned else f"案外人{owner}所有的"
    if A and traffic:
        s = f"{when}，被告{D}驾驶{B}号车辆在{place}与{own_ref}{A}号车辆发生碰撞，造成两车受损的交通事故。经交警部门认定，被告{D}负事故全部责任。{B}号车辆在被告{abbr}处投保了交强险及商业第三者责任险。"
    elif A:
        s = f"{own_ref}{A}号车辆在被告{abbr}处投保了机动车损失保险，{when}，该车在{place}发生交通事故受损，事故发生在保险期间内。"
    else:
        s = f"{when}，被告{D}驾驶{B}号车辆在{place}将原告撞伤。经交警部门认定，被告{D}负事故主要责任。{B}号车辆在被告{abbr}处投保了交强险及商业第三者责任险。"
    if c.assigned:
        s += r.choice(
            [
                f"事故发生后，车主{owner}与原告签订《债权转让协议》，将本次事故车辆损失的保险理赔权转让给原告，并已通知被告。",
                f"事故发生后，{owner}将其对被告享有的车辆损失赔偿债权转让给原告，债权转让通知已送达被告。",
                f"{owner}已将该车损失的索赔权转让给原告{P}。",
            ]
        )
    s += r.choice(
        ["为维护原告合法权益，特诉至法院。", "现原告诉至本院，请求判如所请。", "故原告起诉。"]
    )
    return s


def _accident(c: Any, r: random.Random, P: str, D: Any, A: Any, B: Any, traffic: bool) -> str:
    when = _date(c.accident_date)
    if A and B:
        return f"{when}，{D}驾驶{B}号车辆与{A}号车辆发生碰撞，致两车受损。{D}负事故全部责任。"
    if A:
        return f"{A}号车辆于{when}发生交通事故受损，该车在被告处投保了车辆损失险，事故发生在保险期间内。"
    return f"{when}，{D}驾驶{B}号车辆与原告{P}发生碰撞，致原告受伤，{D}负事故主要责任。"


def _reasoning(c: Any, r: random.Random, P: str, abbr: str, traffic: bool) -> str:
    if c.assigned:
        return "债权人可以将债权的全部或者部分转让给第三人，原告受让取得的债权合法有效，被告应向原告履行赔偿义务。"
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
        # a repair shop or an assessor suing over a debt is still a repair business mentioned
        "repair_shops": [P] if c.plaintiff_industry in REPAIR_INDUSTRIES else [],
        "assessors": [P] if c.plaintiff_industry in ASSESSOR_INDUSTRIES else [],
        "claimed_amount": claimed,
        "awarded_amount": awarded_out,
        "assigned": None,
        "insurer_assessed": None,
        "masked": masked,
        "single_line": single,
        "scenario": "other",
    }
