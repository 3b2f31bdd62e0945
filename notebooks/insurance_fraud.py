# ---
# jupyter:
#   huiyan:
#     name: insurance_fraud
#     title_zh: 车险理赔虚假诉讼与保险诈骗
#     version: 1.0.0
#     business_line: 民事
#     supervision_point: 从车险理赔类民事裁判文书中发现职业原告、理赔权转让、未经保险公司定损、修理厂与评估机构集中、原告系修理厂员工、频繁报案及其团伙，移送保险诈骗、虚假诉讼犯罪线索并对生效裁判进行监督
#     legal_basis:
#     - 《中华人民共和国刑法》第一百九十八条：保险诈骗罪；立案追诉标准为数额5万元以上（最高检、公安部立案追诉标准（二）（2022）第五十一条）
#     - 《中华人民共和国刑法》第三百零七条之一：虚假诉讼罪
#     - 《最高人民法院、最高人民检察院关于办理虚假诉讼刑事案件适用法律若干问题的解释》（2018）
#     - 《中华人民共和国保险法》第六十条：保险人代位求偿（保险公司起诉不属于理赔权转让线索）
#     - 《中华人民共和国民法典》第五百四十五条：债权转让
#     - 《中华人民共和国保险法》第二十三条：保险人核定赔偿的期限
#     datasets:
#     - judgments
#     - vehicles
#     - insurance_claims
#     - social_security
#     - enterprises
#     - enterprise_people
#     parameters:
#       min_suits: {type: int, default: 3, zh: 同一原告保险诉讼次数下限（件）}
#       window_months: {type: int, default: 24, zh: 频繁起诉统计窗口（月）}
#       min_shop_cases: {type: int, default: 5, zh: 同一修理厂涉诉保险案件数下限（件）}
#       min_reports: {type: int, default: 4, zh: 同一报案人12个月内报案次数下限（次）}
#       report_window_months: {type: int, default: 12, zh: 频繁报案统计窗口（月）}
#       employment_lookback_months: {type: int, default: 36, zh: 原告在修理厂参保的回溯期（月，自裁判日期起）}
#       min_ring_rules: {type: int, default: 2, zh: 团伙至少涉及的不同规则数}
#     county_local: true
#     rules:
#     - INS-ASSIGNED
#     - INS-NO-ASSESSMENT
#     - INS-FREQUENT-PLAINTIFF
#     - INS-SHOP-CONCENTRATION
#     - INS-PLAINTIFF-EMPLOYEE
#     - INS-FREQUENT-REPORTER
#     - INS-RING
#     author_unit: 慧眼示范模型组（参照绍兴市人民检察院民事裁判智慧监督系统车险理赔监督模型）
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
# # 车险理赔虚假诉讼与保险诈骗 Car-insurance claim fraud and false litigation
#
# 单看一份判决一切正常；把几百份车险理赔判决放在一起，才看得出同一批原告反复起诉、原告并非车主
# （理赔权已转让）、保险公司从未定损、修理厂和评估机构高度集中，原告竟是修理厂的员工——这是绍兴
# 检察机关发现的"修理厂+评估机构+代理人"团伙手法：拖走事故车、让车主转让理赔权、阻挠保险公司定损、
# 扩大维修项目、自行委托评估后以员工名义起诉。本模型把这些特征逐条变成规则，再把相互关联的原告、
# 报案人、代理人、修理厂、评估机构连成团伙。
#
# Across hundreds of insurance judgments the same plaintiffs sue again and again, they are not the
# car owners, the insurer never assessed the loss, the same shops and assessors recur and the
# plaintiffs work at the shop. Clues are leads to verify by hand, never findings.

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for the whole workspace
min_suits = 3  # 同一原告保险诉讼次数下限
window_months = 24  # 频繁起诉统计窗口（月）
min_shop_cases = 5  # 同一修理厂涉诉保险案件数下限
min_reports = 4  # 同一报案人报案次数下限
report_window_months = 12  # 频繁报案统计窗口（月）
employment_lookback_months = 36  # 原告在修理厂参保的回溯期（月）
min_ring_rules = 2  # 团伙至少涉及的不同规则数

# %% [markdown]
# ## 1 载入 Load
# 裁判文书已在运行前解析为结构化要素（案号、当事人及代理人、车牌、修理厂、评估机构、金额、是否
# 债权转让、是否定损）。只统计车险判决：案由为机动车交通事故责任纠纷或财产保险合同纠纷、且有保险
# 公司当事人。当事人、修理厂、评估机构与登记信息的关联方式见每条线索的"关联方式"。
# Judgments were parsed before the run; only insurance judgments with an insurer party count.

# %%
import huiyan as hy
import matplotlib.pyplot as plt
from huiyan.models import insurance_fraud as m
from IPython.display import display

ws = hy.workspace()
f = m.facts(ws, region=region)
f.documents.count().execute()

# %% [markdown]
# ## 2 校验 Validate
# 身份证号、车牌、信用代码、日期填错会让关联失败（漏线索）或错连（假线索）：任何一项质量期望
# 未通过，运行就在这里停止。Bad IDs, plates or dates break the links: a failed expectation stops here.

# %%
hy.quality.require(ws, m.DATASETS)

# %% [markdown]
# ## 3 规则 Rules
#
# 关联 Linking：文书中的原告多为姓名（公开文书还会隐名为"张某"），身份证号只偶尔出现。关联顺序：
# 身份证号一致 (1.0) > 姓名+车牌一致（登记车主/被保险人，0.9）> 姓名+修理厂一致（该厂参保职工或
# 高管，0.8）> 姓名+县区一致（本县登记信息中唯一同名者，0.6）；同一强度下对应两人的不关联；隐名
# 只凭身份证号或"姓氏+车牌"关联，绝不凭姓名。修理厂、评估机构去掉地名、组织形式和行业词后按字号
# 与企业登记匹配（越城鑫达汽修厂 = 绍兴市越城区鑫达汽车修理厂）。置信度乘入线索的可疑程度。

# %%
f.plaintiffs.group_by("link").aggregate(n=f.plaintiffs.count()).execute()

# %% [markdown]
# ### INS-ASSIGNED 理赔权转让
# 原告既非受损车辆登记车主也非被保险人，理赔权（债权）已转让给原告（文书载明债权转让，或原告为
# 修理企业）。依据《民法典》第五百四十五条，债权转让本身合法，一次性的合法转让只是本规则线索，
# 不进入团伙；保险公司代位求偿起诉（《保险法》第六十条）不在此列。
# The claim was assigned to a plaintiff who neither owns nor insured any car in the case.

# %%
assigned = m.assigned(f.documents, f.plaintiffs, f.plates, f.owners)

# %% [markdown]
# ### INS-NO-ASSESSMENT 未经保险公司定损
# 保险公司未定损（未经定损、拒绝定损），损失金额依据原告单方委托的评估。阻挠定损、自行委托
# "友好"评估机构是虚增损失的关键环节（《刑法》第一百九十八条，数额5万元以上应立案追诉；
# 《保险法》第二十三条）。法院依法委托的鉴定不是线索。
# The insurer never assessed the loss and the amount rests on the plaintiff's own assessment.

# %%
no_assessment = m.no_assessment(f.documents, f.assessors)

# %% [markdown]
# ### INS-FREQUENT-PLAINTIFF 职业原告
# 同一原告在 `window_months` 个月内提起至少 `min_suits` 件车险理赔诉讼（窗口从每次裁判日期起算）。
# 按文书所载姓名统计（企业按信用代码），隐名不计；线索注明同名者是否关联到同一人。自有车辆的
# 租车公司也可能频繁起诉，属于本规则线索，但不会被认定为转让或团伙。依据：虚假诉讼司法解释（2018）。

# %%
frequent = m.frequent_plaintiff(
    f.plaintiffs, f.documents, min_suits=min_suits, window_months=window_months
)

# %% [markdown]
# ### INS-SHOP-CONCENTRATION 修理厂与评估机构集中
# 同一修理厂出现在至少 `min_shop_cases` 件车险判决中，且其中超过半数由同一评估机构评估（恰好一半
# 不是线索）。证据为该修理厂的全部车险判决。One shop in many judgments, one assessor in more than half.

# %%
concentration = m.shop_concentration(
    f.shops, f.assessors, f.documents, min_shop_cases=min_shop_cases
)

# %% [markdown]
# ### INS-PLAINTIFF-EMPLOYEE 原告系修理厂员工
# 绍兴案中，13名原告大多在同一修理厂参保。原告在裁判前 `employment_lookback_months` 个月内的社保
# 参保单位就是本案修理厂，或原告是该厂的法定代表人、股东、董监高。线索列明关联方式与社保记录。

# %%
employee = m.plaintiff_employee(
    f.plaintiffs, f.shops, f.documents, f.social_security, f.enterprise_people,
    employment_lookback_months=employment_lookback_months,
)  # fmt: skip

# %% [markdown]
# ### INS-FREQUENT-REPORTER 频繁报案人
# 同一人在 `report_window_months` 个月内为非本人所有的车辆报案至少 `min_reports` 次，且在报案时
# 受雇于（社保）或任职于承修修理厂。报案记录来自保险公司赔案数据（半月谈报道的"报案人频次"）。

# %%
reporter = m.frequent_reporter(
    f.claims, f.vehicles, f.social_security, f.enterprise_people,
    min_reports=min_reports, report_window_months=report_window_months,
)  # fmt: skip

# %% [markdown]
# ### INS-RING 团伙
# 把上述规则命中的判决、赔案与其原告、报案人、原告代理人、修理厂、评估机构连成关系图，取连通的
# 一组：组内记录合计触发至少 `min_ring_rules` 条不同规则、且涉及至少两名原告/报案人的，认定为一个
# 疑似团伙；团伙成员在团伙修理厂报案、起诉的其他赔案和判决一并列为证据。按可疑程度排序。
# A connected group of actors whose records carry at least two rules is one ring clue.

# %%
hits = [assigned, no_assessment, frequent, concentration, employee, reporter]
graph = m.ring_graph(hits, f, min_ring_rules=min_ring_rules)
ring = m.ring(graph)

# %% [markdown]
# ## 4 线索 Clues
# 线索是需要人工核查的疑点，不是结论。A clue is a lead to verify by hand, not a finding.

# %%
found = hy.clues.collect(*hits, ring, model=m.MODEL)
found.by_rule()

# %%
found.preview()

# %% [markdown]
# ## 5 评估 Evaluation
# 在合成数据上与埋设的真值比对（真实数据没有真值表，此处显示为空）。
# On synthetic data, precision and recall per rule and for rings against the planted truth.

# %%
evaluation = hy.evaluation.score(found, ws)
evaluation.table() if evaluation is not None else "无真值表 No truth table"

# %% [markdown]
# ## 6 报告 Report
# 各规则线索数，以及最可疑的团伙关系图（图中用 P 原告/报案人、S 修理厂、A 评估机构、L 代理人、
# J 判决、C 赔案 的编号，名称见图下表）。Clue counts and the strongest rings as networks.

# %%
hy.report.charts(found)

# %%
for ring_id in graph.rings.subject_id.head(3):
    fig, legend = m.draw(graph, ring_id)
    plt.show()
    display(legend)

# %% [markdown]
# 未能读出的记录：文书中出现了关键词（转让、定损、维修），但读不出是否转让、保险公司是否定损、
# 由哪家修理厂维修的判决书数。补充词表（`datasets/vocabulary-local.yaml`）后重新运行，数字应下降；
# `huiyan unread insurance_fraud` 列出最常见的未读句子。
# Blind spots: judgments whose deciding fact the reader could not read; they go into the manifest
# and the report.

# %%
unread = m.unread(ws, region=region)
hy.runs.save(found, unread=unread)
