# ---
# jupyter:
#   huiyan:
#     name: forest_subsidy
#     title_zh: 公益林补偿资金发放监督
#     version: 1.0.0
#     business_line: 公益诉讼
#     supervision_point: 公益林生态补偿资金向死亡人员、无林权或非公益林、超面积、重复、非权利人发放，以及村干部截留、侵吞补偿资金（国有财产保护公益诉讼，兼顾诈骗、贪污犯罪线索）
#     legal_basis:
#     - 《森林法》（2019）第七条：国家建立森林生态效益补偿制度
#     - 《森林法》（2019）第二十九条：中央和地方财政分别安排资金，用于公益林权利人的损失补偿，专款专用
#     - 《浙江省公益林和森林公园条例》第十六条：补偿资金支付给公益林的所有者或者经营者
#     - 《浙江省公益林和森林公园条例》第十七条：任何单位和个人不得截留、挤占、挪用补偿资金
#     - 《浙江省公益林和森林公园条例》第十八条：公益林补偿收益权可以依法转让
#     - 《刑法》第二百六十六条（诈骗罪）、第三百八十二条（贪污罪）；全国人大常委会关于《刑法》第九十三条第二款的解释（村干部协助管理补偿款属于从事公务）
#     datasets:
#     - forest_subsidies
#     - forest_rights
#     - deaths
#     - households
#     - village_officials
#     parameters:
#       area_tolerance: {type: float, default: 0.01, zh: 补偿面积超过登记面积的比例上限（0.01 即 1%）}
#       amount_tolerance: {type: float, default: 1.0, zh: 发放金额与面积×标准之差允许的元数}
#     county_local: true
#     rules:
#     - FOR-DECEASED
#     - FOR-NO-RIGHT
#     - FOR-AREA-EXCESS
#     - FOR-DUPLICATE
#     - FOR-HOLDER-MISMATCH
#     - FOR-AMOUNT-MISMATCH
#     - FOR-OFFICIAL-LINK
#     author_unit: 慧眼示范模型组（参照湖州市安吉县公益林补偿资金监督思路）
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
# # 公益林补偿资金发放监督 Public-welfare forest compensation
#
# 公益林生态补偿资金按林权证面积和补偿标准逐年发放到户，专款专用。本模型把发放花名册与林权登记、
# 死亡人口、户籍家庭关系和村干部名册碰撞，找出冒领、多领、错发和村干部截留的线索。
# 合法情形不是线索：继承人（与已故权利人同户）领取、年度内死亡者领取当年补偿、面积恰好多1%、金额
# 恰好差1元。
#
# The payout roll is collided with the forest-right register, deaths, households and the village
# official roster. Clues are leads to verify, not findings.

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for the whole workspace
area_tolerance = 0.01  # 补偿面积可超出登记面积的比例（恰好1%不是线索）
amount_tolerance = 1.0  # 金额与面积×标准之差允许的元数（恰好1元不是线索）

# %% [markdown]
# ## 1 载入 Load
# 发放记录按县区筛选；林权登记、死亡、户籍和村干部名册全量读取。Payments for the county; registries in full.

# %%
import huiyan as hy
from huiyan.models import forest_subsidy as m

ws = hy.workspace()
# 每个登记库只读一次，供全部规则共用 each register read once for every rule
payments, rights, deaths, households, officials = m.inputs(ws, region=region)
payments.count().execute()

# %% [markdown]
# ## 2 校验 Validate
# 身份证号、林权证号、面积和金额不可靠时，碰撞结果没有意义：质量期望未通过即停止。
# Unreliable IDs, certificate numbers or areas make every collision meaningless.

# %%
hy.quality.require(ws, m.DATASETS)

# %% [markdown]
# ## 3 规则 Rules
#
# ### FOR-DECEASED 领取人已死亡
# 领取人死亡日期早于补偿年度1月1日（年度内死亡的，领取当年补偿不是线索）。
# 依据：森林法第二十九条；条例第十六条、第十七条；刑法第二百六十六条、第三百八十二条。
# Recipient died before 1 January of the subsidy year.

# %%
deceased = m.deceased(payments, deaths)

# %% [markdown]
# ### FOR-NO-RIGHT 无林权或非公益林
# 林权证号不在林权登记中，或登记林种为商品林：无补偿依据。依据：森林法第七条、第二十九条；条例第十六条。
# The certificate is not registered, or not registered as 公益林.

# %%
no_right = m.no_right(payments, rights)

# %% [markdown]
# ### FOR-AREA-EXCESS 超面积发放
# 同一林权证同一年度补偿面积合计超过登记面积的1%以上（恰好1%不是线索），证据为该证该年全部发放记录。
# 依据：条例第九条（登记面积）、第十六条。Area paid in a year above the registered area by more than 1%.

# %%
area = m.area_excess(payments, rights, area_tolerance=area_tolerance)

# %% [markdown]
# ### FOR-DUPLICATE 一证一年重复发放
# 同一林权证同一年度发放两次以上（含分次发放），证据为该证该年全部发放记录。
# 依据：条例第十六条、第十七条。One certificate paid more than once in one year.

# %%
duplicate = m.duplicate(payments)

# %% [markdown]
# ### FOR-HOLDER-MISMATCH 领取人非权利人
# 领取人既不是登记权利人，也不在权利人户内（同户继承人、配偶领取合法）。补偿收益权依条例第十八条
# 可以转让，转让的须核实有无书面协议。依据：条例第十六条、第十八条。Neither the holder nor in the
# holder's household (an heir in the household is lawful).

# %%
mismatch = m.holder_mismatch(payments, rights, households)

# %% [markdown]
# ### FOR-AMOUNT-MISMATCH 金额与面积×标准不符
# 发放金额与补偿面积×补偿标准相差超过1元（恰好1元不是线索）。依据：森林法第二十九条（专款专用）；
# 条例第十七条。Amount differs from area x rate by more than 1 yuan.

# %%
amount = m.amount_mismatch(payments, amount_tolerance=amount_tolerance)

# %% [markdown]
# ### FOR-OFFICIAL-LINK 问题款项流向村干部
# 已触发上述任一规则的款项，领取人是本村在任村干部或其同户成员，或收款账号是该村干部本人领取补偿
# 使用过的账号：村干部可能利用职务便利侵吞、截留补偿资金。村干部本人合法领取自家补偿不是线索。
# 依据：刑法第三百八十二条、第九十三条第二款立法解释；条例第十七条。A flagged payment that reaches
# a village official of that village, their household, or their account.

# %%
# 上述六条规则的结果在各自单元格里已算出并保留，这里直接复用 the six rules' hits, computed above
flagged = [deceased, no_right, area, duplicate, mismatch, amount]
official = m.official_link(payments, households, officials, flagged)

# %% [markdown]
# ## 4 线索 Clues
# 线索是需要人工核查的疑点，不是结论。A clue is a lead to verify by hand, not a finding.

# %%
found = hy.clues.collect(*flagged, official, model=m.MODEL)
found.by_rule()

# %%
found.preview()

# %% [markdown]
# ## 5 评估 Evaluation
# 在合成数据上与埋设的真值比对（真实数据没有真值表）。Precision and recall against planted truth.

# %%
evaluation = hy.evaluation.score(found, ws)
evaluation.table() if evaluation is not None else "无真值表 No truth table"

# %% [markdown]
# ## 6 报告 Report
# 各规则、各县区线索数（坐标轴用规则编号和区划代码）。Clues by rule and county.

# %%
hy.report.charts(found)

# %%
hy.runs.save(found)
