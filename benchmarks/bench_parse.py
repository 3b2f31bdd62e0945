"""Benchmark the judgment reader: cold and incremental ``parse_workspace`` on N synthetic texts.

Usage::

    .venv/bin/python benchmarks/bench_parse.py --n 100000
    .venv/bin/python benchmarks/bench_parse.py --n 600000      # the province volume
    .venv/bin/python benchmarks/bench_parse.py --synth county --n 100000

Without ``--synth`` the texts come from the templates below; with ``--synth
SCALE`` they are the judgments of ``huiyan.synth.generate(ws, scale=SCALE)``,
repeated under new doc_ids up to N. Besides wall time the benchmark reports CPU
time (this process and its parsing workers): on a shared machine the wall time
follows the load, CPU docs/s is what to compare between runs.

Builds N judgment texts from templates modelled on the real traffic-accident
and insurance-contract judgments (1.5-3 KB each, names, plates, amounts and
courts varied), loads them into a temporary workspace's ``judgments`` table,
then times a cold parse and a re-run with nothing new, and prints docs/s and
the time extrapolated to a 600,000-document province.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time

import pyarrow as pa

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏飞玲红梅兰新春海燕宇浩然志强晓东"
)
COUNTIES = [
    ("浙江省绍兴市越城区人民法院", "浙0602", "浙D"), ("浙江省绍兴市柯桥区人民法院", "浙0603", "浙D"),
    ("浙江省杭州市西湖区人民法院", "浙0106", "浙A"), ("浙江省宁波市鄞州区人民法院", "浙0212", "浙B"),
    ("浙江省温州市鹿城区人民法院", "浙0302", "浙C"), ("浙江省嘉兴市南湖区人民法院", "浙0402", "浙F"),
]  # fmt: skip
INSURERS = [
    "中国人民财产保险股份有限公司{city}分公司", "中国平安财产保险股份有限公司{city}中心支公司",
    "中国太平洋财产保险股份有限公司{city}分公司", "中华联合财产保险股份有限公司{city}中心支公司",
    "阳光财产保险股份有限公司{city}中心支公司",
]  # fmt: skip
CITIES = ["绍兴市", "杭州市", "宁波市", "温州市", "嘉兴市"]
FIRMS = [
    "浙江越光律师事务所",
    "浙江君安世纪律师事务所",
    "浙江六和律师事务所",
    "绍兴市越城区城南法律服务所",
]
SHOPS = [
    "绍兴市越城区顺达汽修厂",
    "杭州宏达汽车维修有限公司",
    "宁波市鄞州安骅汽车服务有限公司",
    "嘉兴市通途汽车修理厂",
]
ASSESSORS = ["浙江中衡保险公估有限公司", "绍兴市诚信价格评估有限公司", "浙江天恒司法鉴定所"]


def _name(rng: random.Random, masked: bool = False) -> str:
    s = rng.choice(SURNAMES)
    if masked:
        return s + rng.choice(["某", "某某", "某1"])
    return s + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_text(rng: random.Random, i: int) -> str:
    """One synthetic judgment (traffic accident or insurance contract, with variations)."""
    court, code, plate_prefix = rng.choice(COUNTIES)
    year = rng.randint(2015, 2023)
    insurer = rng.choice(INSURERS).format(city=rng.choice(CITIES))
    plaintiff, driver = _name(rng, rng.random() < 0.3), _name(rng, rng.random() < 0.3)
    plate = f"{plate_prefix}{rng.randint(10000, 99999)}"
    firm = rng.choice(FIRMS)
    lawyer = _name(rng)
    shop, assessor = rng.choice(SHOPS), rng.choice(ASSESSORS)
    loss = rng.randint(3000, 90000) + rng.choice((0, 0.5, 0.6))
    awarded = round(loss * rng.choice((1, 0.9, 0.8)), 2)
    sep = "\n" if rng.random() < 0.8 else ""
    insurance = rng.random() < 0.4
    cause = "财产保险合同纠纷" if insurance else "机动车交通事故责任纠纷"
    assigned = "原车主已将本次事故的理赔权转让给原告，并通知了被告。" if insurance else ""
    no_assess = "事故发生后车辆未经保险公司定损即送修。" if rng.random() < 0.2 else ""
    parts = [
        court, "民 事 判 决 书", f"（{year}）{code}民初{rng.randint(1, 9999)}号",
        f"原告：{plaintiff}，男，{rng.randint(1960, 2000)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日出生，汉族，住{court[:6]}。",
        f"委托诉讼代理人：{lawyer}，{firm}律师。",
        f"被告：{driver}，女，{rng.randint(1960, 2000)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日出生，汉族，住{court[:6]}。",
        f"被告：{insurer}，住所地{court[:6]}人民路{rng.randint(1, 300)}号。",
        f"负责人：{_name(rng)}，该公司经理。",
        f"委托诉讼代理人：{_name(rng)}，该公司员工。",
        f"原告{plaintiff}与被告{driver}、{insurer}{cause}一案，本院于{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日立案后，"
        "依法适用简易程序，公开开庭进行了审理。原告的委托诉讼代理人、被告到庭参加诉讼。本案现已审理终结。",
        f"原告{plaintiff}向本院提出诉讼请求：1、判令被告赔偿原告车辆维修费、施救费、评估费等各项损失共计{loss:,.2f}元；"
        "2、本案诉讼费由被告承担。事实与理由：" + f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{driver}驾驶{plate}号小型轿车"
        f"与原告驾驶的{plate_prefix}·{rng.randint(10000, 99999)}号车辆发生碰撞，造成两车受损。经交警部门认定，{driver}负事故全部责任。"
        f"{plate}号车辆在被告{insurer}投保了交强险和商业三者险。{assigned}{no_assess}",
        f"被告{insurer}辩称，对事故经过无异议，但原告主张的损失过高，应以保险公司核定为准。",
        f"经审理查明，事故车辆经{shop}修理，修理费{awarded - 800:.2f}元；{assessor}出具评估报告，评估费800元。",
        f"本院认为，原告的合理损失为{awarded:.2f}元，由被告{insurer}在保险责任限额内赔偿。依照《中华人民共和国民法典》"
        "第一千二百零八条、《中华人民共和国民事诉讼法》第六十七条之规定，判决如下：",
        f"一、被告{insurer}于本判决生效之日起十日内赔偿原告{plaintiff}各项损失共计{awarded:.2f}元；",
        f"二、驳回原告{plaintiff}的其他诉讼请求。",
        "如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十条之规定，加倍支付迟延履行期间的债务利息。",
        f"案件受理费{rng.randint(50, 900)}元，减半收取，由被告{driver}负担。",
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，上诉于浙江省绍兴市中级人民法院。",
        f"审判员　　{_name(rng)}", f"二〇{['一五', '一六', '一七', '一八', '一九', '二〇', '二一', '二二', '二三'][year - 2015]}年三月十二日",
        f"书记员　　{_name(rng)}",
    ]  # fmt: skip
    return sep.join(parts)


def build(con: object, n: int, seed: int) -> None:
    rng = random.Random(seed)
    chunk = 50_000
    con.execute(  # type: ignore[attr-defined]
        "CREATE TABLE judgments (doc_id VARCHAR, case_no VARCHAR, court VARCHAR, region VARCHAR, "
        "cause VARCHAR, doc_type VARCHAR, trial_level VARCHAR, judgment_date DATE, text VARCHAR)"
    )
    for start in range(0, n, chunk):
        ids = [f"J{i:08d}" for i in range(start, min(n, start + chunk))]
        texts = [make_text(rng, i) for i in range(len(ids))]
        table = pa.table({
            "doc_id": ids, "region": [rng.choice(["330602", "330603"]) for _ in ids], "text": texts,
        })  # fmt: skip
        con.register("incoming", table)  # type: ignore[attr-defined]
        con.execute(  # type: ignore[attr-defined]
            "INSERT INTO judgments (doc_id, region, text) SELECT doc_id, region, text FROM incoming"
        )
        con.unregister("incoming")  # type: ignore[attr-defined]


def build_from_synth(con: object, n: int, scale: str) -> None:
    """The judgments of ``huiyan.synth.generate`` at ``scale``, repeated up to ``n`` rows."""
    import huiyan
    from huiyan import synth

    with tempfile.TemporaryDirectory() as home:
        src = huiyan.workspace(home)
        synth.generate(src, scale=scale)
        rows = src.con.con.execute("SELECT doc_id, region, text FROM judgments").fetchall()
        src.close()
    con.execute(  # type: ignore[attr-defined]
        "CREATE TABLE judgments (doc_id VARCHAR, case_no VARCHAR, court VARCHAR, region VARCHAR, "
        "cause VARCHAR, doc_type VARCHAR, trial_level VARCHAR, judgment_date DATE, text VARCHAR)"
    )
    n = n or len(rows)
    ids = [f"{rows[i % len(rows)][0]}-{i // len(rows)}" for i in range(n)]
    table = pa.table({
        "doc_id": ids,
        "region": [rows[i % len(rows)][1] for i in range(n)],
        "text": [rows[i % len(rows)][2] for i in range(n)],
    })  # fmt: skip
    con.register("incoming", table)  # type: ignore[attr-defined]
    con.execute(  # type: ignore[attr-defined]
        "INSERT INTO judgments (doc_id, region, text) SELECT doc_id, region, text FROM incoming"
    )
    con.unregister("incoming")  # type: ignore[attr-defined]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the parsing workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--synth", metavar="SCALE", default=None, help="texts from huiyan.synth")
    args = ap.parse_args()

    import huiyan
    from huiyan.judgments import parse_workspace

    with tempfile.TemporaryDirectory() as home:
        ws = huiyan.workspace(home)
        t0 = time.perf_counter()
        if args.synth:
            build_from_synth(ws.con.con, args.n, args.synth)
        else:
            build(ws.con.con, args.n, args.seed)
        n, size = ws.con.con.execute(
            "SELECT count(*), avg(octet_length(encode(text))) FROM judgments"
        ).fetchone()
        print(f"built {n:,} texts (avg {size:,.0f} bytes) in {time.perf_counter() - t0:.1f} s")
        cpu0 = _cpu()
        cold = parse_workspace(ws, progress=True, workers=args.workers)
        cpu = _cpu() - cpu0
        rate = cold.parsed / cold.seconds
        cpu_rate = cold.parsed / cpu
        print(f"cold: {cold.parsed:,} docs in {cold.seconds:.1f} s = {rate:,.0f} docs/s (wall); "
              f"600,000 docs extrapolated: {600_000 / rate:.0f} s")  # fmt: skip
        print(
            f"cpu: {cpu:.1f} s in all = {cpu_rate:,.0f} docs per cpu-second; on 2 free cores "
            f"600,000 docs need about {600_000 / cpu_rate / 2:.0f} s"
        )
        warm = parse_workspace(ws, workers=args.workers)
        print(
            f"incremental (nothing new): {warm.parsed} parsed, {warm.unchanged:,} unchanged in {warm.seconds:.1f} s"
        )
        ws.close()


if __name__ == "__main__":
    main()
