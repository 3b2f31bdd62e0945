# ---
# jupyter:
#   huiyan:
#     name: sample_auction
#     title_zh: 示例：司法拍卖起拍价与保证金（测试用）
#     version: 1.0.0
#     business_line: 民事
#     supervision_point: 测试用模型：起拍价过低、保证金过高
#     legal_basis:
#     - 法释〔2016〕18号 第十条、第十七条
#     datasets:
#     - judicial_auctions
#     parameters:
#       ratio:
#         type: float
#         default: 0.7
#         zh: 起拍价与评估价之比的下限
#       max_deposit:
#         type: float
#         default: 0.2
#         zh: 保证金占起拍价比例的上限
#       since:
#         type: date
#         default: '2015-01-01'
#         zh: 起拍日期不早于
#       min_bidders:
#         type: int
#         default: 0
#         zh: 最少竞买人数
#       fail_on_purpose:
#         type: bool
#         default: false
#         zh: 测试用：故意在规则单元格出错
#     rules:
#     - SMP-START-LOW
#     - SMP-DEPOSIT-HIGH
#     author_unit: 测试
#     vetting:
#       status: 未审核
#     quality_bar:
#       precision: 0.9
#       recall: 0.95
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
region = ""
ratio = 0.7
max_deposit = 0.2
since = "2015-01-01"
min_bidders = 0
fail_on_purpose = False

# %% [markdown]
# ## 1 载入 Load

# %%
import ibis

import huiyan as hy

ws = hy.workspace()
auctions = ws.table("judicial_auctions", region=region)
auctions = auctions.filter(auctions.start_date >= ibis.date(since))

# %% [markdown]
# ## 3 规则 Rules


# %%
@hy.rules.rule(
    "SMP-START-LOW",
    model="sample_auction",
    zh="一拍起拍价低于评估价的七成",
    basis="法释〔2016〕18号 第十条",
    subject_type="auction",
    replace=True,
    summary="拍卖{subject_id}起拍价{amount:,.0f}元，低于评估价的{ratio:.0%}。",
)
def start_low(t, *, ratio: float):
    hit = t.filter((t["round"] == "一拍") & (t.start_price < ratio * t.appraisal_value))
    return hit.select(
        subject_id=hit.auction_id,
        region=hit.region,
        amount=hit.start_price,
        ratio=ibis.literal(ratio),
        evidence=ibis.array([hy.rules.ref("judicial_auctions", hit.auction_id)]),
    )


@hy.rules.rule(
    "SMP-DEPOSIT-HIGH",
    model="sample_auction",
    zh="保证金高于起拍价的两成",
    basis="法释〔2016〕18号 第十七条",
    subject_type="auction",
    replace=True,
    summary="拍卖{subject_id}保证金{amount:,.0f}元，超过起拍价的{limit:.0%}。",
)
def deposit_high(t, *, limit: float):
    hit = t.filter(t.deposit > limit * t.start_price)
    return hit.select(
        subject_id=hit.auction_id,
        region=hit.region,
        amount=hit.deposit,
        limit=ibis.literal(limit),
        evidence=ibis.array([hy.rules.ref("judicial_auctions", hit.auction_id)]),
    )


# %%
if fail_on_purpose:
    raise RuntimeError("故意出错 failing on purpose")
low = start_low(auctions, ratio=ratio)
deposit = deposit_high(auctions, limit=max_deposit)

# %% [markdown]
# ## 4 线索 Clues

# %%
found = hy.clues.collect(low, deposit)
found.by_rule()

# %% [markdown]
# ## 6 报告 Report

# %%
hy.report.bar_by_rule(found)
hy.runs.save(found)
