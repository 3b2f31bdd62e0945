"""Entity linking: core names of shops and assessors, IDs in party lines, and each way of linking."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd
import pytest
from huiyan import linking

CON = ibis.duckdb.connect()


def run(expr: Any) -> pd.DataFrame:
    return CON.execute(expr)


def links(frame: pd.DataFrame, key: str = "person_id") -> dict[str, tuple[str, str]]:
    return {r.mention_id: (getattr(r, key), r.link) for r in frame.itertuples()}


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("绍兴市越城区鑫达汽车修理厂", "鑫达"),
        ("越城鑫达汽修厂", "鑫达"),
        ("鑫达汽车维修有限公司", "鑫达"),
        ("鑫达汽车服务有限公司", "鑫达"),
        ("鑫达汽车维修（绍兴）有限公司", "鑫达"),
        ("越城鑫达汽车修配厂", "鑫达"),
        ("浙江正信保险公估有限公司", "正信"),
        ("绍兴华信机动车鉴定评估有限公司", "华信"),
        ("绍兴市越城区正信司法鉴定所", "正信"),
        ("越城永康汽修厂", "永康"),  # a trade name that is also a place keeps two characters
        ("绍兴永顺汽车租赁有限公司", "永顺汽车租赁"),  # not a repair business: its trade stays
    ],
)
def test_core_name(name: str, core: str) -> None:
    t = ibis.memtable({"n": [name]})
    assert run(t.select(c=linking.core_name(t.n))).c[0] == core
    assert linking.core_name_py(name) == core


def test_masked_names() -> None:
    t = ibis.memtable({"n": ["张某", "李某某", "王×", "陈**", "张三", "某某公司x"]})
    out = run(t.select(m=linking.is_masked(t.n))).m.tolist()
    assert out[:5] == [True, True, True, True, False]


def test_resident_id_is_read_from_the_party_own_line() -> None:
    text = (
        "原告：张三，男，公民身份号码330602198001011234，住越城区。"
        "原告：李四，女，住越城区。被告：王五，身份证号码33060219900101222x，住越城区。"
    )
    t = ibis.memtable({"text": [text] * 4, "name": ["张三", "李四", "王五", "赵六"]})
    ids = run(t.select("name", i=linking.resident_id_after(t.text, t.name))).set_index("name").i
    assert ids["张三"] == "330602198001011234"
    assert pd.isna(ids["李四"])  # the next party's ID is not taken
    assert ids["王五"] == "33060219900101222X"
    assert pd.isna(ids["赵六"])


ENTERPRISES = ibis.memtable(
    {
        "org_id": ["O1", "O2", "O3", "O4", "O5"],
        "name": [
            "绍兴市越城区鑫达汽车修理厂",
            "越城宏运汽车维修有限公司",
            "越城宏运汽车服务有限公司",  # two shops with one core name in one county
            "松阳祥瑞汽车修理厂",
            "浙江正信保险公估有限公司",
        ],
        "region": ["330602", "330602", "330602", "331124", "330602"],
    }
)


def test_link_orgs_each_way() -> None:
    m = ibis.memtable(
        {
            "mention_id": ["full", "core", "ambiguous", "elsewhere", "none"],
            "name": [
                "绍兴市越城区鑫达汽车修理厂", "鑫达汽修厂", "宏运汽修厂", "祥瑞汽车服务有限公司",
                "无名汽修厂",
            ],
            "region": ["330602"] * 5,
        }
    )  # fmt: skip
    got = links(run(linking.link_orgs(m, ENTERPRISES)), "org_id")
    assert got == {
        "full": ("O1", "企业名称一致"),
        "core": ("O1", "字号+县区一致"),
        "elsewhere": ("O4", "字号一致"),
    }


PLATE_OWNERS = ibis.memtable(
    {
        "plate": ["浙D11111", "浙D22222"],
        "person_id": ["P_OWNER", "P_ZHANG"],
        "name": ["李四", "张大海"],
    }
)
STAFF = ibis.memtable(
    {"org_id": ["O1", "O1"], "person_id": ["P_STAFF", "P_OTHER"], "name": ["宋建国", "俞海波"]}
)
REGISTER = ibis.memtable(
    {
        "person_id": ["P_UNIQUE", "P_A", "P_B", "P_STAFF"],
        "name": ["韩立新", "王伟", "王伟", "宋建国"],
        "region": ["330602"] * 4,
    }
)


def _people(rows: list[tuple[str, str, str | None]], **context: Any) -> dict[str, tuple[str, str]]:
    m = ibis.memtable(
        {
            "mention_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "region": ["330602"] * len(rows),
            "id_hint": pd.Series([r[2] for r in rows], dtype="string"),
        }
    )
    out = linking.link_people(
        m, register=REGISTER, plate_owners=PLATE_OWNERS, shop_staff=STAFF, **context
    )
    return links(run(out))


def test_link_people_each_way() -> None:
    rows = [
        ("id", "宋建国", "330602198001011234"),
        ("plate", "李四", None),
        ("masked_plate", "张某", None),
        ("shop", "宋建国", None),
        ("county", "韩立新", None),
        ("ambiguous", "王伟", None),
    ]
    plates = ibis.memtable(
        {"mention_id": ["plate", "masked_plate"], "plate": ["浙D11111", "浙D22222"]}
    )
    shops = ibis.memtable({"mention_id": ["shop"], "org_id": ["O1"]})
    got = _people(rows, plates=plates, shops=shops)
    assert got == {
        "id": ("330602198001011234", "身份证号一致"),
        "plate": ("P_OWNER", "姓名+车牌一致"),
        "masked_plate": ("P_ZHANG", "姓氏+车牌一致"),
        "shop": ("P_STAFF", "姓名+修理厂一致"),
        "county": ("P_UNIQUE", "姓名+县区一致"),
    }


def test_strongest_link_wins_and_masked_names_never_link_by_name() -> None:
    plates = ibis.memtable({"mention_id": ["both"], "plate": ["浙D11111"]})
    shops = ibis.memtable({"mention_id": ["both", "masked"], "org_id": ["O1", "O1"]})
    rows = [
        ("both", "李四", "330602198001011234"),
        ("masked", "宋某", None),
        ("lone", "张某", None),
    ]
    got = _people(rows, plates=plates, shops=shops)
    assert got == {"both": ("330602198001011234", "身份证号一致")}


def test_confidence_follows_the_link() -> None:
    m = ibis.memtable(
        {"mention_id": ["a"], "name": ["韩立新"], "region": ["330602"], "id_hint": [None]},
        schema={"mention_id": "string", "name": "string", "region": "string", "id_hint": "string"},
    )
    out = run(linking.link_people(m, register=REGISTER))
    assert out.confidence[0] == linking.CONFIDENCE[linking.LINK_COUNTY] < 1.0
