# ---
# jupyter:
#   huiyan:
#     name: judicial_auction
#     title_zh: 网络司法拍卖程序监督
#     version: 1.0.0
#     business_line: 民事
#     supervision_point: 网络司法拍卖公告期、再次拍卖期限、起拍价、降价幅度、保证金是否合法，买受人是否与被执行人关联低价买受（民事执行活动监督，兼顾拒执犯罪线索）
#     legal_basis:
#     - 《最高人民法院关于人民法院网络司法拍卖若干问题的规定》（法释〔2016〕18号）第十条：起拍价不得低于评估价或者市场价的百分之七十
#     - 法释〔2016〕18号第十二条：拍卖动产应当在拍卖十五日前公告，拍卖不动产或者其他财产权应当在拍卖三十日前公告
#     - 法释〔2016〕18号第十七条：保证金数额由人民法院在起拍价的百分之五至百分之二十范围内确定
#     - 法释〔2016〕18号第二十六条：流拍后应当在三十日内再次拍卖，动产七日前、不动产或其他财产权十五日前公告，降价幅度不得超过前次起拍价的百分之二十
#     - 《最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释》（2024）第三条：以虚假转让等方式转移、隐匿财产
#     datasets:
#     - judicial_auctions
#     - households
#     - enterprise_people
#     parameters:
#       notice_days_movable: {type: int, default: 15, zh: 动产、机动车一拍公告期下限（日）}
#       notice_days_property: {type: int, default: 30, zh: 不动产、股权及其他财产权一拍公告期下限（日）}
#       renotice_days_movable: {type: int, default: 7, zh: 动产、机动车再次拍卖公告期下限（日）}
#       renotice_days_property: {type: int, default: 15, zh: 不动产、股权及其他财产权再次拍卖公告期下限（日）}
#       relaunch_days: {type: int, default: 30, zh: 流拍后再次拍卖的期限（日）}
#       flag_unrelaunched: {type: bool, default: true, zh: 流拍后超过期限仍未再次拍卖是否列为线索}
#       min_start_ratio: {type: float, default: 0.7, zh: 一拍起拍价不得低于评估价的比例}
#       max_cut: {type: float, default: 0.2, zh: 再次拍卖起拍价降价幅度上限}
#       deposit_min: {type: float, default: 0.05, zh: 保证金不得低于起拍价的比例}
#       deposit_max: {type: float, default: 0.2, zh: 保证金不得高于起拍价的比例}
#     county_local: true
#     rules:
#     - AUC-NOTICE-SHORT
#     - AUC-RENOTICE-SHORT
#     - AUC-RELAUNCH-LATE
#     - AUC-START-LOW
#     - AUC-CUT-DEEP
#     - AUC-DEPOSIT-RANGE
#     - AUC-BUYER-LINKED
#     author_unit: 慧眼示范模型组（参照丽水市松阳县人民检察院网络司法拍卖监督模型）
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

# %% [markdown]
# # 网络司法拍卖程序监督 Online judicial auction supervision
#
# 把拍卖平台上每一次司法拍卖的公告、起拍价、保证金、轮次和买受人，与《最高人民法院关于人民法院
# 网络司法拍卖若干问题的规定》（法释〔2016〕18号）逐条比对，找出程序违法的拍卖，以及买受人与
# 被执行人关联、低于评估价买受的可疑交易（可能是以拍卖形式虚假转让财产、逃避执行）。
# 法定界限本身合法：公告恰好15/30/7日、起拍价恰好70%、降价恰好20%、保证金恰好5%或20%都不是线索。
#
# Each auction page is checked against the SPC Provisions on Online Judicial Auctions; boundaries
# are the law's own (exactly on the line is lawful). Clues are leads to verify, not findings.

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for the whole workspace
notice_days_movable = 15  # 动产、机动车一拍公告期（日）
notice_days_property = 30  # 不动产、股权及其他财产权一拍公告期（日）
renotice_days_movable = 7  # 动产、机动车再次拍卖公告期（日）
renotice_days_property = 15  # 不动产、股权及其他财产权再次拍卖公告期（日）
relaunch_days = 30  # 流拍后再次拍卖期限（日）
flag_unrelaunched = True  # 流拍后逾期仍未再次拍卖是否列为线索
min_start_ratio = 0.7  # 一拍起拍价 / 评估价 下限
max_cut = 0.2  # 再次拍卖降价幅度上限
deposit_min = 0.05  # 保证金 / 起拍价 下限
deposit_max = 0.2  # 保证金 / 起拍价 上限

# %% [markdown]
# ## 1 载入 Load
# 拍卖数据（法院区划筛选到县区），户籍家庭关系和企业主要人员用于识别关联买受人。
# Auctions (filtered to the county), households and company officers for the buyer check.

# %%
import huiyan as hy
from huiyan.models import judicial_auction as m

ws = hy.workspace()
auctions = ws.table("judicial_auctions", region=region)
households = ws.table("households")
officers = ws.table("enterprise_people")
auctions.count().execute()

# %% [markdown]
# ## 2 校验 Validate
# 日期、金额、轮次填错会直接变成假线索或漏掉真线索：任何一项质量期望未通过，运行就在这里停止。
# Wrong dates or prices become false clues or missed ones: a failed expectation stops the run here.

# %%
hy.quality.require(ws, m.DATASETS)

# %% [markdown]
# ## 3 规则 Rules
#
# 轮次关联 Linking rounds：二拍、变卖的"前次拍卖"取 `previous_auction_id`；导出数据常缺该字段，
# 缺失时取同一法院、同一案号、同一标的名称中开拍日期在前的最近一次拍卖。
# A re-auction's previous round is `previous_auction_id`, else the latest earlier auction of the
# same court, case number and item.

# %%
m.rounds(auctions).filter(lambda t: t.prev_id.notnull()).count().execute()

# %% [markdown]
# ### AUC-NOTICE-SHORT 一拍公告期不足
# 公告期保障竞买人了解标的、筹措资金；公告期过短压缩竞买人数，可能导致低价成交。
# 依据：法释〔2016〕18号第十二条——动产（含机动车）拍卖十五日前公告，不动产或其他财产权（含股权）
# 三十日前公告。公告期 = 开拍日期 − 公告日期；恰好15日/30日合法。
# Art. 12: 15 days for movables, 30 for real estate and other property rights (equity included).

# %%
notice = m.notice_short(
    auctions, notice_days_movable=notice_days_movable, notice_days_property=notice_days_property
)

# %% [markdown]
# ### AUC-RENOTICE-SHORT 再次拍卖公告期不足
# 依据：法释〔2016〕18号第二十六条——再次拍卖的，动产七日前公告，不动产或其他财产权十五日前公告。
# 二拍和变卖都按再次拍卖审查。Art. 26: re-auctions (二拍, 变卖) need 7 / 15 days' notice.

# %%
renotice = m.renotice_short(
    auctions,
    renotice_days_movable=renotice_days_movable,
    renotice_days_property=renotice_days_property,
)

# %% [markdown]
# ### AUC-RELAUNCH-LATE 流拍后未在30日内再次拍卖
# 依据：法释〔2016〕18号第二十六条——流拍后应当在三十日内在同一平台再次拍卖。期限从一拍结束日
# 算到再次拍卖开拍日（"再次拍卖"以开拍为准），恰好30日合法。一拍流拍后始终未见再次拍卖、且距数据
# 最新公告日已超过30日的，也列为线索（可疑程度较低，须核实是否以物抵债、和解或终结）。二拍流拍后的
# 变卖不适用30日期限。Measured from the failed 一拍's end to the re-auction's start.

# %%
relaunch = m.relaunch_late(
    auctions, relaunch_days=relaunch_days, flag_unrelaunched=flag_unrelaunched
)

# %% [markdown]
# ### AUC-START-LOW 一拍起拍价低于评估价70%
# 起拍价过低损害被执行人和申请执行人利益，是利益输送的常见手法。依据：法释〔2016〕18号第十条——
# 起拍价不得低于评估价或者市场价的百分之七十。按分比较，恰好70%合法。Art. 10: at least 70%.

# %%
start = m.start_low(auctions, min_start_ratio=min_start_ratio)

# %% [markdown]
# ### AUC-CUT-DEEP 再次拍卖降价超过20%
# 依据：法释〔2016〕18号第二十六条——再次拍卖的起拍价降价幅度不得超过前次起拍价的百分之二十。
# 恰好降价20%合法。Art. 26: a re-auction may start at most 20% below the previous round.

# %%
cut = m.cut_deep(auctions, max_cut=max_cut)

# %% [markdown]
# ### AUC-DEPOSIT-RANGE 保证金超出起拍价5%-20%
# 保证金过高排斥竞买人，过低则难以约束悔拍。依据：法释〔2016〕18号第十七条——保证金在起拍价的
# 百分之五至百分之二十范围内确定，恰好5%或20%合法。Art. 17: 5%-20% of the start price.

# %%
deposit = m.deposit_range(auctions, deposit_min=deposit_min, deposit_max=deposit_max)

# %% [markdown]
# ### AUC-BUYER-LINKED 关联人低价买受
# 被执行人本人可以合法竞买（不是线索）；但买受人与被执行人同户，或是被执行企业的法定代表人、股东、
# 董监高，且成交价低于评估价的，可能是以拍卖形式虚假转让、隐匿财产，逃避执行（拒执线索）。
# 依据：2024年两高拒执解释第三条；法释〔2016〕18号第三十一条（恶意串通）。
# A buyer in the debtor's household, or an insider of the debtor company, buying below appraisal.

# %%
linked = m.buyer_linked(auctions, households, officers)

# %% [markdown]
# ## 4 线索 Clues
# 线索是需要人工核查的疑点，不是结论。A clue is a lead to verify by hand, not a finding.

# %%
found = hy.clues.collect(notice, renotice, relaunch, start, cut, deposit, linked, model=m.MODEL)
found.by_rule()

# %%
found.preview()

# %% [markdown]
# ## 5 评估 Evaluation
# 在合成数据上与埋设的真值比对（真实数据没有真值表，此处显示为空）。
# On synthetic data, precision and recall per rule against the planted truth.

# %%
evaluation = hy.evaluation.score(found, ws)
evaluation.table() if evaluation is not None else "无真值表 No truth table"

# %% [markdown]
# ## 6 报告 Report
# 各县区、各规则线索数（坐标轴用规则编号和区划代码）。Clues by county and rule.

# %%
hy.report.charts(found)

# %%
hy.runs.save(found)
