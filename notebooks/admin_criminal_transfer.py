# ---
# jupyter:
#   huiyan:
#     name: admin_criminal_transfer
#     title_zh: 行政执法与刑事司法衔接（应移未移）
#     version: 1.0.0
#     business_line: 刑事
#     supervision_point: 行政处罚案件的涉案数额、数量已达刑事追诉标准，但行政机关未移送、公安机关也未立案（以罚代刑、有案不移），检察机关开展立案监督
#     legal_basis:
#     - 《中华人民共和国刑法》第三百四十三条（非法采矿罪）
#     - 《最高人民法院、最高人民检察院关于办理非法采矿、破坏性采矿刑事案件适用法律若干问题的解释》（法释〔2016〕25号）第二条至第四条：矿产品价值10万元至30万元以上为“情节严重”，在禁采区、禁采期内为5万元至15万元以上；二年内曾因非法采矿受过两次以上行政处罚又实施非法采矿的
#     - 《中华人民共和国刑法》第一百四十条（生产、销售伪劣产品罪）；《最高人民法院、最高人民检察院关于办理生产、销售伪劣商品刑事案件具体应用法律若干问题的解释》（法释〔2001〕10号）第二条：销售金额5万元以上，或尚未销售的货值金额达到15万元以上
#     - 《中华人民共和国刑法》第一百三十三条之一（危险驾驶罪）：醉酒驾驶机动车，血液酒精含量达到80毫克/100毫升以上
#     - 《中华人民共和国刑法》第三百三十八条（污染环境罪）；《最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释》（法释〔2023〕7号）第一条：非法排放、倾倒、处置危险废物三吨以上
#     - 国务院《行政执法机关移送涉嫌犯罪案件的规定》第三条、第五条、第十一条：涉嫌构成犯罪的必须移送，不得以行政处罚代替移送
#     datasets:
#     - admin_penalties
#     - criminal_cases
#     parameters:
#       mining_value: {type: float, default: 100000.0, zh: 非法采矿矿产品价值达到“情节严重”的数额（元）}
#       mining_value_restricted: {type: float, default: 50000.0, zh: 在禁采区、禁采期内非法采矿的矿产品价值数额（元）}
#       mining_repeat_count: {type: int, default: 2, zh: 此前受过非法采矿行政处罚的次数（达到即构成“情节严重”）}
#       mining_repeat_years: {type: int, default: 2, zh: 回溯此前行政处罚的年数}
#       shoddy_sales: {type: float, default: 50000.0, zh: 生产、销售伪劣产品的销售金额（元）}
#       shoddy_goods_value: {type: float, default: 150000.0, zh: 伪劣产品尚未销售的货值金额（元，销售金额标准的三倍）}
#       blood_alcohol: {type: float, default: 80.0, zh: 醉酒驾驶的血液酒精含量（毫克/100毫升）}
#       hazardous_waste_tonnes: {type: float, default: 3.0, zh: 非法排放、倾倒、处置危险废物的数量（吨）}
#       match_window_days: {type: int, default: 365, zh: 同一当事人同类罪名刑事立案视为已衔接的期间（天，处罚决定前后）}
#     county_local: true
#     rules:
#     - ACT-MINING-VALUE
#     - ACT-MINING-REPEAT
#     - ACT-SHODDY-GOODS
#     - ACT-DRUNK-DRIVING
#     - ACT-POLLUTION-WASTE
#     author_unit: 慧眼示范模型组（参照湖北省人民检察院“政务数据云”行刑衔接监督模型）
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
# # 行政执法与刑事司法衔接（应移未移） Administrative penalties that should have gone to the police
#
# 把行政处罚案件的涉案价值、销售金额、血液酒精含量、危险废物数量与刑事追诉标准逐条比对：已达标准、
# 却未移送司法机关，且公安机关没有对同一当事人（按身份证号或统一社会信用代码）就同类罪名立案的，
# 就是“以罚代刑、有案不移”的线索，检察机关据此开展立案监督。数额常常只写在“违法事实”里
# （如“非法采砂约3200吨，价值约9.6万元”），模型在数据库中直接从文字读出。
# 追诉标准（阈值）来自 `datasets/thresholds.yaml`，各省可在法定幅度内调整，无须改代码；
# “达到”“以上”均含本数。
#
# Penalties whose figures meet a criminal threshold, never transferred and answered by no criminal
# case for the same party and offence, are leads for case-filing supervision (立案监督).

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for the whole workspace
mining_value = 100000.0  # 非法采矿矿产品价值（元）
mining_value_restricted = 50000.0  # 禁采区、禁采期内的矿产品价值（元）
mining_repeat_count = 2  # 此前非法采矿行政处罚次数
mining_repeat_years = 2  # 回溯年数
shoddy_sales = 50000.0  # 伪劣产品销售金额（元）
shoddy_goods_value = 150000.0  # 伪劣产品尚未销售的货值金额（元）
blood_alcohol = 80.0  # 血液酒精含量（mg/100ml）
hazardous_waste_tonnes = 3.0  # 危险废物数量（吨）
match_window_days = 365  # 刑事立案与处罚决定相隔天数之内视为已衔接

# %% [markdown]
# ## 1 载入 Load
# 本县区的行政处罚；公安刑事立案和此前的行政处罚取全部县区（当事人可能在外地被立案或受过处罚）。
# Penalties of the county; criminal cases and earlier penalties from every county.

# %%
import huiyan as hy
from huiyan.models import admin_criminal_transfer as m

ws = hy.workspace()
# 处罚文书只读一次，供全部规则共用 the penalties' text read once for every rule
penalties, history, cases = m.inputs(ws, region=region)
penalties.count().execute()

# %% [markdown]
# ## 2 校验 Validate
# 证件号码、日期、金额填错会让线索错配或漏掉：任何一项质量期望未通过，运行就在这里停止。
# Wrong IDs, dates or amounts mismatch or hide clues: a failed expectation stops the run here.

# %%
hy.quality.require(ws, m.DATASETS)

# %% [markdown]
# ## 3 规则 Rules
#
# 共同条件 Shared conditions：`transferred`（是否移送）为否；没有刑事案件以该处罚决定书文号为
# 移送来源；也没有同一当事人、同类罪名（非法采矿罪、生产、销售伪劣产品罪、危险驾驶罪、污染环境罪）
# 在处罚决定前后 `match_window_days` 天内的立案。依据：国务院《行政执法机关移送涉嫌犯罪案件的规定》
# 第三条（涉嫌犯罪的必须移送）、第十一条（不得以行政处罚代替移送）。
# Not transferred, not the source of a criminal case, no case for the same party and offence nearby.

# %% [markdown]
# ### ACT-MINING-VALUE 非法采矿价值达标准
# 矿产品价值（结构化“涉案货值”，或事实中的“价值/货值…万元”；违法所得作为价值下限）达到10万元，
# 在禁采区、禁采期内达到5万元的，属“情节严重”。依据：刑法第三百四十三条；法释〔2016〕25号第三条、
# 第四条（未取得河道采砂许可证采砂即属非法采矿）。Mineral value >= 100,000 (50,000 in a no-mining zone).

# %%
value = m.mining_value(
    penalties, cases, mining_value=mining_value,
    mining_value_restricted=mining_value_restricted, match_window_days=match_window_days,
)

# %% [markdown]
# ### ACT-MINING-REPEAT 二年内第三次因非法采矿受罚
# 二年内曾因非法采矿受过两次以上行政处罚，又实施非法采矿的，不论价值多少均属“情节严重”（湖北首例
# 非法采砂入刑案即此情形）。依据：法释〔2016〕25号第三条第一款第（三）项。前两次处罚作为佐证记录。
# A third mining penalty with two earlier ones in the two preceding years; the earlier ones are context.

# %%
repeat = m.mining_repeat(
    penalties, cases, history=history, mining_repeat_count=mining_repeat_count,
    mining_repeat_years=mining_repeat_years, match_window_days=match_window_days,
)

# %% [markdown]
# ### ACT-SHODDY-GOODS 伪劣产品销售金额达标准
# 销售金额5万元以上（事实中的“销售金额/销售额”；违法所得不超过销售金额，可作下限），或尚未销售的
# 货值金额15万元以上（未遂）。依据：刑法第一百四十条；法释〔2001〕10号第二条。
# Sales >= 50,000 yuan, or unsold goods worth >= 150,000 yuan.

# %%
shoddy = m.shoddy_goods(
    penalties, cases, shoddy_sales=shoddy_sales, shoddy_goods_value=shoddy_goods_value,
    match_window_days=match_window_days,
)

# %% [markdown]
# ### ACT-DRUNK-DRIVING 醉酒驾驶仅予行政处罚
# 血液酒精含量达到80mg/100ml即为醉酒驾驶，构成危险驾驶罪；按“饮酒后驾驶”处罚了事的，是典型的以罚代刑。
# 以血液检验为准：呼气检测只是筛查，血液检验低于80的不是线索，不论呼气数值多高；只有呼气数值、
# 未见血液检验的，作为较弱的线索并注明需调取血液检验结论。依据：刑法第一百三十三条之一；两高一部
# 《关于办理醉酒危险驾驶刑事案件的意见》（2023）。Blood alcohol >= 80 mg/100ml decides; a breath
# figure alone is a weaker clue with a note; a blood test below 80 is no clue whatever the breath.

# %%
drunk = m.drunk_driving(
    penalties, cases, blood_alcohol=blood_alcohol, match_window_days=match_window_days
)

# %% [markdown]
# ### ACT-POLLUTION-WASTE 危险废物三吨以上
# 非法排放、倾倒、处置危险废物三吨以上的，属“严重污染环境”；交由无经营许可证的单位或个人处置的也属处置。
# 仅贮存、标识、台账不规范的不是处置，不论数量多少；以事实所述行为为准，不看违法行为类型怎么写。
# 数量取结构化“涉案数量”（吨、千克），或事实中的吨数。依据：刑法第三百三十八条；法释〔2023〕7号第一条。
# Hazardous waste discharged, dumped or disposed of (handed to an unlicensed party included)
# >= 3 tonnes; storage, labelling and record-keeping are no disposal, whatever the tonnage.

# %%
waste = m.pollution_waste(
    penalties, cases, hazardous_waste_tonnes=hazardous_waste_tonnes,
    match_window_days=match_window_days,
)

# %% [markdown]
# ## 4 线索 Clues
# 线索是需要人工核查的疑点，不是结论：核查是否已另案移送、数额是否经鉴定、当事人身份是否一致。
# A clue is a lead to verify by hand, not a finding.

# %%
found = hy.clues.collect(value, repeat, shoddy, drunk, waste, model=m.MODEL)
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

# %% [markdown]
# 未能读出的记录：各规则的候选处罚中，读不出决定性数额（价值、销售金额、血液酒精含量、吨数）
# 或行为性质（处置还是贮存）的件数。这些处罚不会成为线索，需人工查看；补充词表
# （`datasets/vocabulary-local.yaml`）后重新运行，`huiyan unread admin_criminal_transfer`
# 列出最常见的未读句子。Blind spots: penalties whose deciding figure or conduct could not be read.

# %%
unread = m.unread(penalties)
hy.runs.save(found, unread=unread)
