# ---
# jupyter:
#   huiyan:
#     name: bankruptcy_labor_claims
#     title_zh: 破产程序虚假职工债权
#     version: 1.0.0
#     business_line: 民事
#     supervision_point: 破产程序中虚构劳动关系、虚增工资、关联人员和董监高超标准申报职工债权（虚假诉讼、虚假破产债权线索）
#     legal_basis:
#     - 《企业破产法》第四十八条：职工债权不必申报，由管理人调查后列出清单并予以公示
#     - 《企业破产法》第一百一十三条第三款：破产企业的董事、监事和高级管理人员的工资按照该企业职工的平均工资计算
#     - 《企业破产法》第三十一条至第三十三条：受理前一年内、六个月内的可撤销行为，为逃避债务虚构债务的行为无效
#     - 《刑法》第三百零七条之一（虚假诉讼罪）；两高《关于办理虚假诉讼刑事案件适用法律若干问题的解释》（2018）第一条：在破产案件中申报虚构的债权属于"以捏造的事实提起民事诉讼"
#     datasets:
#     - bankruptcy_claims
#     - social_security
#     - enterprise_people
#     - households
#     parameters:
#       late_hire_months: {type: int, default: 6, zh: 入职距法院受理破产不足该月数的，提示突击入职}
#       wage_ratio: {type: float, default: 3.0, zh: 月工资超过本企业其他职工月工资中位数的倍数}
#       large_claim: {type: float, default: 300000.0, zh: 单笔职工债权超过该金额（元）的，提示大额申报}
#       officer_roles: {type: str, default: "董事,监事,经理,财务负责人,法定代表人", zh: 按企业破产法第一百一十三条限额的职务，逗号分隔}
#     county_local: true
#     rules:
#     - BLC-NO-CONTRIBUTIONS
#     - BLC-INSIDER
#     - BLC-LATE-HIRE
#     - BLC-WAGE-OUTLIER
#     - BLC-EMPLOYED-ELSEWHERE
#     - BLC-MULTI-DEBTOR
#     - BLC-LARGE-CLAIM
#     - BLC-OFFICER-CAP
#     author_unit: 慧眼示范模型组（参照苏州市人民检察院破产领域虚假劳动债权监督模型）
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
# # 破产程序虚假职工债权 False labour claims in bankruptcy
#
# 职工债权在破产财产分配中优先受偿（企业破产法第一百一十三条），因此成为虚构劳动关系、虚增工资、
# 转移破产财产的通道。本模型把管理人编制的职工债权清单与社保参保、企业主要人员、户籍家庭关系碰撞，
# 找出可能虚假的职工债权。只审查"职工债权"；欠薪月份指法院受理破产当月之前的 months_owed 个自然月。
#
# Labour claims rank first in a bankruptcy, which makes them a route for fabricated jobs and inflated
# wages. The claim list is collided with social security, company officers and households.
# Clues are leads to verify, not findings.

# %% tags=["parameters"]
region = ""  # 县区代码，"" 为全部 county code, "" for the whole workspace
late_hire_months = 6  # 入职距受理破产不足该月数（恰好6个月不是线索）
wage_ratio = 3.0  # 月工资 / 其他职工月工资中位数 上限（恰好3倍不是线索）
large_claim = 300000.0  # 单笔职工债权金额上限（元，恰好30万不是线索）
officer_roles = "董事,监事,经理,财务负责人,法定代表人"  # 适用第一百一十三条工资限额的职务

# %% [markdown]
# ## 1 载入 Load
# 破产债权（按县区筛选），社保参保记录、企业主要人员和户籍家庭关系用于碰撞（不按县区筛选：
# 申报人可能在外地参保）。Claims for the county; the registries in full.

# %%
import huiyan as hy
from huiyan.models import bankruptcy_labor_claims as m

ws = hy.workspace()
# 每个登记库只读一次，供全部规则共用 each register read once for every rule
claims, social_security, officers, households = m.inputs(ws, region=region)
claims.count().execute()

# %% [markdown]
# ## 2 校验 Validate
# 身份证号、信用代码、日期错一位就会让真实职工"没有社保"或让虚假债权漏网：质量期望未通过即停止。
# A wrong ID or date turns a genuine worker into a false clue: a failed expectation stops the run.

# %%
hy.quality.require(ws, m.DATASETS)

# %% [markdown]
# ## 3 规则 Rules
#
# ### BLC-NO-CONTRIBUTIONS 所称工作期间无社保
# 真实职工通常在用人单位参保。"所称工作期间"从入职月份（无入职日期的，从第一个欠薪月份）到法院
# 受理破产的月份；该期间与债务人的任何一条参保记录有重叠即不是线索。
# 依据：企业破产法第四十八条；刑法第三百零七条之一。No contribution with the debtor during the
# claimed employment (hire month, or first month owed, to the acceptance month).

# %%
no_contrib = m.no_contributions(claims, social_security)

# %% [markdown]
# ### BLC-INSIDER 关联人员申报
# 申报人是债务人的股东、法定代表人、董监高，或与其同户，职工债权可能是转移财产的手段。
# 依据：企业破产法第四十八条、第一百一十三条；刑法第三百零七条之一。An officer or shareholder of
# the debtor, or a member of one's household.

# %%
insider = m.insider(claims, officers, households)

# %% [markdown]
# ### BLC-LATE-HIRE 临近破产突击入职
# 入职日期加 late_hire_months 个月（日历月，月末对齐）仍晚于法院受理日的，为突击入职；恰好6个月不是
# 线索。依据：企业破产法第三十一条至第三十三条（受理前六个月、一年内的可疑行为）、第四十八条。
# Hired less than N calendar months before acceptance; exactly N months is no clue.

# %%
late = m.late_hire(claims, late_hire_months=late_hire_months)

# %% [markdown]
# ### BLC-WAGE-OUTLIER 工资畸高
# 申报月工资超过同一债务人其他职工债权月工资中位数的 wage_ratio 倍（按分比较，恰好3倍不是线索）。
# 依据：企业破产法第四十八条、第一百一十三条。Above 3x the median of the debtor's other claims.

# %%
outlier = m.wage_outlier(claims, wage_ratio=wage_ratio)

# %% [markdown]
# ### BLC-EMPLOYED-ELSEWHERE 欠薪期间在他处工作
# 某一条社保记录显示申报人在全部欠薪月份都在另一单位参保，所称劳动关系可能虚假。
# 依据：刑法第三百零七条之一。One social-security row elsewhere covers every month owed.

# %%
elsewhere = m.employed_elsewhere(claims, social_security)

# %% [markdown]
# ### BLC-MULTI-DEBTOR 同一人向多个债务人申报
# 同一身份证号对两个以上债务人申报职工债权且欠薪月份重叠，一人不可能同时全职受雇并被欠薪。
# 线索以人为对象，证据为所有相关债权。依据：刑法第三百零七条之一。Overlapping months owed at two
# or more debtors; one clue per person with every claim involved.

# %%
multi = m.multi_debtor(claims)

# %% [markdown]
# ### BLC-LARGE-CLAIM 单笔大额职工债权
# 单笔职工债权超过 large_claim（30万元，恰好30万不是线索），苏州模型的核心预警指标之一。
# 依据：企业破产法第四十八条、第一百一十三条。A single labour claim above 300,000 yuan.

# %%
large = m.large_claim(claims, large_claim=large_claim)

# %% [markdown]
# ### BLC-OFFICER-CAP 董监高工资超过职工平均工资
# 依据：企业破产法第一百一十三条第三款——董事、监事和高级管理人员的工资按该企业职工平均工资计算。
# 高级管理人员含经理、财务负责人（公司法）；法定代表人依法由董事或经理担任，一并适用；仅为股东的
# 不适用。平均工资取该债务人其他职工债权的月工资平均数，按分比较，恰好相等不是线索。
# Art. 113(3): officers' wages count only up to the average of the other employees.

# %%
cap = m.officer_cap(claims, officers, officer_roles=officer_roles)

# %% [markdown]
# ## 4 线索 Clues
# 线索是需要人工核查的疑点，不是结论。A clue is a lead to verify by hand, not a finding.

# %%
found = hy.clues.collect(
    no_contrib, insider, late, outlier, elsewhere, multi, large, cap, model=m.MODEL
)
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
