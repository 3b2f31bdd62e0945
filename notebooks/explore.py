# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 上手：从一张表到一条线索 Getting started: from a table to a clue
#
# 这个笔记本带您走一遍建模的全过程：载入数据、看一看、画个图、用 ibis 筛选，
# 再把筛选条件写成一条规则，变成可以核查的线索。它在合成数据上运行
# （`huiyan synth --scale tiny`），不会改动任何数据。
#
# This notebook walks through building a model: load a dataset, look at it, chart it,
# filter it with ibis, then turn the filter into a rule whose hits become clues.

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for all
ratio = 0.7  # 起拍价 / 评估价 的下限 lowest lawful start price / appraisal value

# %% [markdown]
# ## 1 载入 Load
# `hy.workspace()` 打开工作区（`$HUIYAN_HOME`）；`ws.table(...)` 给出一张 ibis 表：
# 它是一个“查询”，在需要结果时才由数据库计算，所以百万行的数据也不会撑爆内存。
#
# `ws.table(...)` is a lazy ibis table: the database computes only what you ask for.

# %%
import ibis

import huiyan as hy

ws = hy.workspace()
auctions = ws.table("judicial_auctions", region=region)
auctions.count().execute()

# %% [markdown]
# ## 2 看一看 Look
# `.head()` 取前几行；`.execute()` 把结果变成表格（只对小结果这样做）。

# %%
auctions.select("auction_id", "region", "round", "appraisal_value", "start_price", "deposit").head(
    5
).execute()

# %% [markdown]
# 每个县区、每个拍卖轮次各有多少场？ How many auctions per county and round?

# %%
per_round = auctions.group_by(["region", "round"]).aggregate(auctions=auctions.count())
per_round.order_by(["region", "round"]).execute()

# %% [markdown]
# ## 3 画图 Chart
# 图上的标签用英文和代码（服务器上可能没有中文字体）。Labels use codes: there may be no CJK font.

# %%
counts = auctions.group_by("region").aggregate(n=auctions.count()).order_by("region").execute()
ax = counts.plot.bar(x="region", y="n", legend=False, title="Auctions by county")
ax.set_xlabel("county")
_ = ax.set_ylabel("auctions")

# %% [markdown]
# ## 4 筛选 Filter
# 《最高人民法院关于人民法院网络司法拍卖若干问题的规定》（法释〔2016〕18号）第十条：
# 一拍起拍价不得低于评估价的百分之七十。用 ibis 写出这个条件：
#
# A first-round start price below 70% of the appraisal value breaks art. 10.

# %%
first = auctions.filter(auctions["round"] == "一拍")
low = first.filter(first.start_price < ratio * first.appraisal_value)
low.select("auction_id", "region", "appraisal_value", "start_price").execute()

# %% [markdown]
# ## 5 变成线索 Turn the filter into clues
# 把筛选写成一条规则：规则编号、一句可以读给人听的中文说明、法律依据、线索摘要模板。
# `hy.rules.ref` 生成“可疑记录”引用（数据集:主键），核查时据此调取原始记录。
#
# A rule is the filter plus its code, a plain Chinese sentence, the legal basis and a
# summary template; `hy.rules.ref` names the suspect record (`dataset:key`).


# %%
@hy.rules.rule(
    "EXPLORE-START-LOW", model="explore", zh="一拍起拍价低于评估价的百分之七十",
    basis="法释〔2016〕18号 第十条", subject_type="auction", replace=True,
    summary="拍卖{subject_id}一拍起拍价{amount:,.0f}元，低于评估价{appraisal:,.0f}元的{ratio:.0%}。",
)
def start_low(t: ibis.Table, *, ratio: float) -> ibis.Table:
    hit = t.filter((t["round"] == "一拍") & (t.start_price < ratio * t.appraisal_value))
    return hit.select(
        subject_id=hit.auction_id, region=hit.region, amount=hit.start_price,
        appraisal=hit.appraisal_value, ratio=ibis.literal(ratio),
        evidence=ibis.array([hy.rules.ref("judicial_auctions", hit.auction_id)]),
    )


# %%
found = hy.clues.collect(start_low(auctions, ratio=ratio))
found.preview()

# %% [markdown]
# ## 6 保存 Save
# 在 JupyterLab 里保存的是“草稿”（`runs/explore/interactive-...`）；正式运行请把规则写进模型
# （`huiyan new MODEL`），再用 `huiyan run MODEL`，结果会有清单、报告和线索表。
#
# Saving here makes a draft; a run of record comes from `huiyan run MODEL`.

# %%
hy.runs.save(found)
