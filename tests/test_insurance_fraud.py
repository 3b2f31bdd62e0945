"""insurance_fraud on a small hand-built county: each rule, its boundaries, the ring and hard negatives.

The scene (越城区, 330602): a repair shop 鑫达 whose three employees sue as
plaintiffs on assigned claims with assessments they commissioned from 正信,
one of them also reporting claims on other people's cars; a car-rental
company that sues often over its own cars; a one-off lawful assignment; plain
owner suits; masked plaintiffs. Everything goes through real judgment texts
and the real parser (``prepare``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import huiyan
import huiyan.clues as hc
import huiyan.writer
import pandas as pd
import pyarrow as pa
import pytest
from huiyan.identifiers import credit_code_check_digit, resident_id_check_digit
from huiyan.ingest.schema import arrow_schema, create_table_sql
from huiyan.models import insurance_fraud as m

D = dt.date
R = "330602"
INSURER = "中国人民财产保险股份有限公司绍兴市分公司"


def pid(seq: int, birth: str = "19850302") -> str:
    first = f"{R}{birth}{seq:03d}"
    return first + resident_id_check_digit(first)


def oid(seq: int) -> str:
    first = f"91{R}MA{seq:07d}"
    return first + credit_code_check_digit(first)


def text(
    case_no: str,
    date: D,
    plaintiff: str,
    *,
    plaintiff_id: str | None = None,
    org: bool = False,
    agent: tuple[str, str] | None = None,
    plates: tuple[str, ...] = ("浙D10001", "浙D20002"),
    shop: str | None = None,
    assessor: str | None = None,
    commissioned: bool = False,
    refused: bool = False,
    assigned: bool = False,
    assessed: bool = False,
    amount: int = 20000,
    cause: str = "机动车交通事故责任纠纷",
) -> str:
    """A judgment text in the usual form of a Zhejiang basic court."""
    if org:
        head = f"原告：{plaintiff}，住所地绍兴市越城区。\n法定代表人：陈立。\n"
    else:
        idp = f"公民身份号码{plaintiff_id}，" if plaintiff_id else ""
        head = f"原告：{plaintiff}，男，1985年3月2日出生，汉族，{idp}住绍兴市越城区。\n"
    if agent:
        head += f"委托诉讼代理人：{agent[0]}，{agent[1]}律师。\n"
    head += "被告：王强，男，1980年1月1日出生，汉族，住绍兴市越城区。\n"
    head += f"被告：{INSURER}，住所地绍兴市越城区。\n负责人：赵刚。\n"
    facts = f"{date.year - 1}年10月1日，王强驾驶{plates[1]}号小型轿车与{plates[0]}号小型轿车相撞。"
    if shop:
        facts += f"车辆送至{shop}维修。"
    if refused:
        facts += "被告保险公司拒绝定损。"
    if assessed:
        facts += "被告保险公司定损金额为18000元。"
    if assessor:
        who = "原告自行委托" if commissioned else "本院委托"
        facts += f"{who}{assessor}评估，车损为{amount}元。"
    if assigned:
        facts += f"车主已将理赔权转让给原告{plaintiff}。"
    d = f"{date.year}年{date.month}月{date.day}日"
    return (
        f"绍兴市越城区人民法院\n民事判决书\n{case_no}\n{head}"
        f"原告{plaintiff}与被告王强、{INSURER}{cause}一案，本院于{date.year}年1月5日立案后，依法适用简易程序，"
        f"公开开庭进行了审理。\n原告{plaintiff}向本院提出诉讼请求：判令被告赔偿车辆维修费{amount}元。"
        f"事实和理由：{facts}\n本院认为，原告的请求有事实和法律依据。判决如下：\n"
        f"一、被告{INSURER}于本判决生效之日起十日内赔偿原告{plaintiff}车辆损失{amount}元。\n"
        f"审判员 孙立\n{d}\n"
    )


class Scene:
    """Rows of every input dataset, written to a fresh workspace in one go."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {d: [] for d in m.DATASETS}
        self.n = 0

    def judgment(self, date: D, plaintiff: str, **kw: Any) -> str:
        self.n += 1
        doc_id = f"J{self.n:03d}"
        case_no = f"（{date.year}）浙0602民初{self.n}号"
        cause = kw.get("cause", "机动车交通事故责任纠纷")
        self.rows["judgments"].append({
            "doc_id": doc_id, "case_no": case_no, "court": "绍兴市越城区人民法院", "region": R,
            "cause": cause, "doc_type": "判决书", "trial_level": "一审", "judgment_date": date,
            "text": text(case_no, date, plaintiff, **kw),
        })  # fmt: skip
        return doc_id

    def vehicle(self, plate: str, owner: str, owner_id: str) -> None:
        self.rows["vehicles"].append({"plate_no": plate, "owner_name": owner, "owner_id": owner_id,
                                      "vin": None, "vehicle_type": "小型轿车", "region": R})  # fmt: skip

    def enterprise(self, org: str, name: str, rep: str, rep_id: str) -> None:
        self.rows["enterprises"].append({
            "org_id": org, "name": name, "legal_rep_name": rep, "legal_rep_id": rep_id,
            "industry": None, "region": R, "established_date": D(2015, 1, 1), "status": "存续",
        })  # fmt: skip
        self.officer(org, rep_id, rep, "法定代表人")

    def officer(self, org: str, person: str, name: str, role: str) -> None:
        self.rows["enterprise_people"].append({"org_id": org, "person_id": person, "name": name,
                                               "role": role})  # fmt: skip

    def job(
        self, person: str, name: str, org: str, employer: str, start: D, end: D | None = None
    ) -> None:
        self.rows["social_security"].append({
            "person_id": person, "name": name, "employer_name": employer, "employer_org_id": org,
            "region": R, "start_month": start, "end_month": end,
        })  # fmt: skip

    def claim(self, cid: str, plate: str, insured: str, insured_id: str, reporter: str,
              reporter_id: str | None, report: D, shop: str | None, shop_org: str | None,
              amount: float = 15000.0) -> None:  # fmt: skip
        self.rows["insurance_claims"].append({
            "claim_id": cid, "insurer": INSURER, "policy_no": f"P{cid}", "plate_no": plate,
            "insured_name": insured, "insured_id": insured_id, "reporter_name": reporter,
            "reporter_id": reporter_id, "reporter_phone": None, "accident_date": report,
            "report_date": report, "accident_region": R, "repair_shop": shop,
            "repair_shop_org_id": shop_org, "assessor": "浙江正信保险公估有限公司",
            "claimed_amount": amount, "paid_amount": None,
        })  # fmt: skip

    def write(self, home: Path) -> huiyan.Workspace:
        with huiyan.writer.writing(home, "test") as w:
            for name, rows in self.rows.items():
                schema = arrow_schema(name)
                table = pa.Table.from_pylist(rows, schema=schema)
                w.con.execute(create_table_sql(name, replace=True))
                w.con.register("incoming", table)
                w.con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
                w.con.unregister("incoming")
        return huiyan.workspace(home)


SHOP = oid(1)
RENTAL = oid(2)
ASSESSOR = oid(3)
OTHER_SHOP = oid(4)
E1, E2, E3 = pid(11), pid(12), pid(13)  # shop employees who sue
OWNERS = [pid(100 + i) for i in range(40)]
LAWYER = ("周律", "浙江鉴湖律师事务所")


def build() -> Scene:
    s = Scene()
    s.enterprise(SHOP, "绍兴市越城区鑫达汽车修理厂", "钱老板", pid(1))
    s.enterprise(RENTAL, "绍兴永顺汽车租赁有限公司", "郑租", pid(2))
    s.enterprise(ASSESSOR, "浙江正信保险公估有限公司", "冯估", pid(3))
    s.enterprise(OTHER_SHOP, "越城宏运汽车维修有限公司", "何修", pid(4))
    for person, name in ((E1, "宋建国"), (E2, "俞海波"), (E3, "杜小军")):
        s.job(person, name, SHOP, "绍兴市越城区鑫达汽车修理厂", D(2019, 1, 1))
    for i, owner in enumerate(OWNERS):
        s.vehicle(f"浙D3{i:04d}", f"车主{i:02d}", owner)
    # the ring: 3 employees, 7 judgments at the shop written three ways, assessor 正信 in 6
    shop_names = ["越城鑫达汽修厂", "绍兴市越城区鑫达汽车修理厂", "鑫达汽车维修有限公司"]
    ring_docs = []
    plan = [(E1, "宋建国", D(2021, 3, 1)), (E1, "宋建国", D(2022, 1, 10)), (E1, "宋建国", D(2023, 2, 28)),
            (E2, "俞海波", D(2021, 6, 1)), (E2, "俞海波", D(2022, 6, 1)),
            (E3, "杜小军", D(2022, 8, 1)), (E3, "杜小军", D(2023, 8, 1))]  # fmt: skip
    for k, (person, name, date) in enumerate(plan):
        ring_docs.append(s.judgment(
            date, name, plaintiff_id=person if k % 2 == 0 else None, agent=LAWYER,
            plates=(f"浙D3{k:04d}", "浙D20002"), shop=shop_names[k % 3],
            assessor="浙江正信保险公估有限公司" if k < 6 else "绍兴华信价格评估有限公司",
            commissioned=True, refused=True, assigned=True,
        ))  # fmt: skip
    s.ring_docs = ring_docs  # type: ignore[attr-defined]
    # E2 reports 4 claims in 12 months on others' cars repaired at the shop (one by name only)
    for k, day in enumerate([D(2022, 1, 5), D(2022, 4, 5), D(2022, 8, 5), D(2022, 12, 30)]):
        i = 10 + k
        s.claim(f"C{k}", f"浙D3{i:04d}", f"车主{i:02d}", OWNERS[i], "俞海波", E2 if k else None,
                day, "越城鑫达汽修厂", SHOP if k != 2 else None)  # fmt: skip
    # a lone reporter: 4 claims but spread over 2 years and 3 on his own car: no clue
    for k, day in enumerate([D(2021, 1, 5), D(2021, 9, 5), D(2022, 5, 5), D(2023, 1, 30)]):
        s.claim(f"L{k}", "浙D30020", "车主20", OWNERS[20], "车主20", OWNERS[20], day,
                "越城宏运汽车维修有限公司", OTHER_SHOP)  # fmt: skip
    # rental company: sues 4 times over its own cars, its own shop-free cases
    rental_docs = []
    for k in range(4):
        plate = f"浙D5{k:04d}"
        s.vehicle(plate, "绍兴永顺汽车租赁有限公司", RENTAL)
        rental_docs.append(s.judgment(
            D(2022, 2 + k, 10), "绍兴永顺汽车租赁有限公司", org=True, plates=(plate, "浙D20002"),
            agent=("吴律", "浙江大公律师事务所"), assessed=True,
        ))  # fmt: skip
    s.rental_docs = rental_docs  # type: ignore[attr-defined]
    # a one-off lawful assignment: a stranger bought the claim, insurer assessed, other shop
    s.lawful = s.judgment(D(2022, 5, 5), "韩立新", plaintiff_id=pid(50), plates=("浙D30030", "浙D20002"),  # type: ignore[attr-defined]
                          assigned=True, assessed=True, shop="越城宏运汽车维修有限公司")  # fmt: skip
    # plain owner suits (owner linked by name + plate), one with court-appointed assessment
    for k in range(3):
        i = 31 + k
        s.judgment(D(2022, 3 + k, 1), f"车主{i:02d}", plates=(f"浙D3{i:04d}", "浙D20002"),
                   shop="越城宏运汽车维修有限公司", assessor="浙江正信保险公估有限公司",
                   refused=k == 0, commissioned=False)  # fmt: skip
    # masked plaintiffs: 2 suits by 张某 and 1 by a third 张某 never group by name
    for k in range(3):
        s.judgment(D(2022, 1 + k, 15), "张某", plates=("浙D99999", "浙D20002"), assessed=True)
    # a not-insurance cause: ignored
    s.judgment(D(2022, 9, 9), "宋建国", plaintiff_id=E1, cause="民间借贷纠纷")
    return s


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[huiyan.Workspace, Scene]]:
    s = build()
    ws = s.write(tmp_path_factory.mktemp("ins"))
    m.prepare(ws)
    yield ws, s
    ws.close()


@pytest.fixture(scope="module")
def facts(scene: tuple[huiyan.Workspace, Scene]) -> m.Facts:
    return m.facts(scene[0])


@pytest.fixture(scope="module")
def found(scene: tuple[huiyan.Workspace, Scene]) -> pd.DataFrame:
    ws, _ = scene
    return hc.collect(*m.run_rules(ws), version="test").frame


def _evidence(found: pd.DataFrame, code: str) -> set[str]:
    return {e for lst in found[found.rule == code].evidence for e in lst}


def _j(*doc_ids: str) -> set[str]:
    return {f"judgments:{d}" for d in doc_ids}


def test_only_insurance_judgments_count(
    scene: tuple[huiyan.Workspace, Scene], facts: m.Facts
) -> None:
    _, s = scene
    docs = facts.documents.execute()
    assert len(docs) == len(s.rows["judgments"]) - 1
    assert "民间借贷纠纷" not in set(docs.cause)


def test_assigned_flags_ring_and_lawful_one_off_only(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    assert _evidence(found, "INS-ASSIGNED") == _j(*s.ring_docs, s.lawful)


def test_no_assessment_needs_refusal_and_own_assessor(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    # the owner suit with a refusal but a court-appointed assessor is no clue
    assert _evidence(found, "INS-NO-ASSESSMENT") == _j(*s.ring_docs)


def test_frequent_plaintiff_window(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    hits = found[found.rule == "INS-FREQUENT-PLAINTIFF"].set_index("subject_id")
    # 宋建国: 2021-03-01, 2022-01-10, 2023-02-28 lie within 24 months (ID in 2 of 3 texts)
    assert set(hits.index) == {E1, RENTAL}
    assert hits.loc[E1].evidence == sorted(_j(*s.ring_docs[:3]))
    assert "宋建国" in hits.loc[E1].summary
    assert hits.loc[RENTAL].subject_name == "绍兴永顺汽车租赁有限公司"


def test_frequent_plaintiff_boundary(facts: m.Facts) -> None:
    f = facts
    # a window of 23 months no longer holds 宋建国's three suits (2021-03-01 .. 2023-02-28)
    narrow = m.frequent_plaintiff(f.plaintiffs, f.documents, window_months=23).table.execute()
    assert E1 not in set(narrow.subject_id)
    four = m.frequent_plaintiff(f.plaintiffs, f.documents, min_suits=4).table.execute()
    assert set(four.subject_id) == {RENTAL}


def test_shop_concentration_links_shop_name_variants(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    hits = found[found.rule == "INS-SHOP-CONCENTRATION"]
    assert list(hits.subject_id) == [SHOP]
    assert _evidence(found, "INS-SHOP-CONCENTRATION") == _j(*s.ring_docs)
    assert "6件" in hits.summary.iloc[0]


def test_shop_concentration_needs_more_than_half(facts: m.Facts) -> None:
    f = facts
    eight = m.shop_concentration(f.shops, f.assessors, f.documents, min_shop_cases=8)
    assert eight.table.count().execute() == 0
    seven = m.shop_concentration(f.shops, f.assessors, f.documents, min_shop_cases=7)
    assert seven.table.count().execute() == 1


def test_plaintiff_employee_with_link_method(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    hits = found[found.rule == "INS-PLAINTIFF-EMPLOYEE"].set_index("subject_id")
    assert set(hits.index) == set(s.ring_docs)
    by_id = hits.loc[s.ring_docs[0]]
    by_name = hits.loc[s.ring_docs[1]]
    assert "身份证号一致" in by_id.summary and by_id.score == pytest.approx(0.85)
    assert "姓名+" in by_name.summary and by_name.score < by_id.score
    assert any(c.startswith("social_security:") for c in by_id.context)


def test_frequent_reporter(found: pd.DataFrame) -> None:
    hits = found[found.rule == "INS-FREQUENT-REPORTER"]
    assert list(hits.subject_id) == [E2]
    assert set(hits.evidence.iloc[0]) == {f"insurance_claims:C{k}" for k in range(4)}


def test_frequent_reporter_window_boundary(facts: m.Facts) -> None:
    f = facts
    args = (f.claims, f.vehicles, f.social_security, f.enterprise_people)
    # 2022-01-05 .. 2022-12-30 fits 12 months; 11 months splits it
    assert m.frequent_reporter(*args, report_window_months=11).table.count().execute() == 0
    assert m.frequent_reporter(*args, min_reports=5).table.count().execute() == 0


def test_ring_groups_the_shop_its_people_and_claims(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    rings = found[found.rule == "INS-RING"]
    assert len(rings) == 1
    ring = rings.iloc[0]
    assert ring.subject_id == f"ring:{SHOP}"
    assert set(ring.evidence) == _j(*s.ring_docs) | {f"insurance_claims:C{k}" for k in range(4)}
    assert "3名原告/报案人" in ring.summary


def test_hard_negatives(found: pd.DataFrame, scene: Any) -> None:
    _, s = scene
    rental_docs = _j(*s.rental_docs)
    by_rule = {code: _evidence(found, code) for code in set(found.rule)}
    # the rental company is a frequent plaintiff and nothing more
    assert rental_docs <= by_rule["INS-FREQUENT-PLAINTIFF"]
    assert all(
        not (rental_docs & ev) for code, ev in by_rule.items() if code != "INS-FREQUENT-PLAINTIFF"
    )
    # the lawful assignment is INS-ASSIGNED only
    lawful = _j(s.lawful)
    assert [code for code, ev in by_rule.items() if lawful & ev] == ["INS-ASSIGNED"]
    # masked 张某 never links or groups by name
    masked = {r["doc_id"] for r in s.rows["judgments"] if "原告：张某" in r["text"]}
    assert not any(_j(*masked) & ev for ev in by_rule.values())


def test_clue_ids_are_stable(scene: tuple[huiyan.Workspace, Scene], found: pd.DataFrame) -> None:
    ws, _ = scene
    again = hc.collect(*m.run_rules(ws), version="test").frame
    assert sorted(again.clue_id) == sorted(found.clue_id)


def test_ring_picture_has_ascii_labels(facts: m.Facts) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    f = facts
    graph = m.ring_graph(m.record_hits(f), f)
    fig, legend = m.draw(graph, graph.rings.subject_id.iloc[0])
    labels = set(legend["标签 label"])
    assert {"S1", "A1", "P1", "J1", "C1"} <= labels
    assert all(label.isascii() for label in labels)
    assert "绍兴市越城区鑫达汽车修理厂" in set(legend["名称 name"]) or "越城鑫达汽修厂" in set(
        legend["名称 name"]
    )
    fig.clf()


def test_unknown_parameter_is_refused(scene: tuple[huiyan.Workspace, Scene]) -> None:
    ws, _ = scene
    with pytest.raises(huiyan.errors.ParameterError, match="min_suit"):
        m.run_rules(ws, min_suit=3)
