# ---
# jupyter:
#   huiyan:
#     name: province_dashboard
#     title_zh: 全省监督线索成效看板
#     version: 1.0.0
#     business_line: 综合
#     supervision_point: 各模型、各规则、各县区监督线索的核查成效（移送、立案、检察建议、不成立）及其月度趋势
#     legal_basis:
#     - 《人民检察院检察建议工作规定》
#     - 国务院《行政执法机关移送涉嫌犯罪案件的规定》
#     datasets: []
#     parameters:
#       since: {type: str, default: "", zh: 起始日期（首次发现日期，YYYY-MM-DD），空为不限}
#       until: {type: str, default: "", zh: 截止日期（首次发现日期，YYYY-MM-DD），空为不限}
#       city: {type: str, default: "", zh: 设区市代码前四位（如 3306 绍兴市），空为全省}
#     rules: []
#     author_unit: 慧眼示范模型组
#     vetting:
#       status: 未审核
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
# # 全省监督线索成效看板 Province dashboard of clue outcomes
#
# 模型的价值看线索最终成为什么，而不是线索有多少：湖北的行刑衔接模型移送 4,823 件、立案 3,968 件。
# 本看板汇总线索台账中每条线索的核查结果，按模型、规则、县区和月份比较成效。
# A model is judged by what its clues become: transfers, cases filed, recommendations, rejections.

# %% tags=["parameters"]
since = ""  # 起始日期 YYYY-MM-DD（按首次发现），"" 为不限
until = ""  # 截止日期 YYYY-MM-DD，"" 为不限
city = ""  # 设区市代码前四位，如 "3306"（绍兴市）；"" 为全省

# %% [markdown]
# ## 1 载入 Load
# 线索台账记录每次成功运行发现的线索及其核查状态（待核查、核查中、已移送、已立案、已发检察建议、不成立）。

# %%
import huiyan as hy
import matplotlib.pyplot as plt

ws = hy.workspace()
scope = {"since": since or None, "until": until or None, "city": city or None}
has_ledger = hy.ledger.exists(ws)
print("台账已建立 ledger present" if has_ledger else "台账为空：请先运行模型 The ledger is empty.")

# %% [markdown]
# ## 2 成效 Effectiveness
# 立案率 = 已立案 / 已移送；不成立率 = 不成立 / 已核查。不成立率高的规则需要复查阈值或数据质量。
# filed_rate = filed / transferred; rejected_rate = rejected / reviewed.

# %%
def table(by: tuple[str, ...]):
    return hy.ledger.effectiveness(ws, by=by, **scope) if has_ledger else None


by_model = table(("model",))
by_model

# %%
by_rule = table(("model", "rule"))
by_rule

# %%
by_county = table(("region",))
by_county

# %% [markdown]
# ## 3 图表 Charts
# 各县区线索数与核查结果；各月新发现线索与结果趋势。（坐标轴使用县区代码和月份。）

# %%
if has_ledger and len(by_county):
    counts = by_county.set_index("region")[["clues", "transferred", "filed", "rejected"]]
    counts.plot.bar(figsize=(10, 4), title="Clues and outcomes by county")
    plt.tight_layout()
    plt.show()

# %%
if has_ledger and len(by_model):
    by_model.set_index("model")[["clues", "reviewed", "transferred", "filed", "rejected"]].plot.barh(
        figsize=(10, 4), title="Outcomes by model"
    )
    plt.tight_layout()
    plt.show()

# %%
trend = table(("month",))
if trend is not None and len(trend):
    trend.set_index("month")[["clues", "transferred", "filed"]].plot(
        marker="o", figsize=(10, 4), title="Clues and outcomes by month first seen"
    )
    plt.tight_layout()
    plt.show()
trend

# %% [markdown]
# ## 4 保存 Save
# 看板本身不产生新线索；运行目录保存本报告（report.html）和清单，线索文件为空表。
# The dashboard makes no clues; its run folder keeps the report and manifest.

# %%
hy.runs.save(hy.clues.collect(model="province_dashboard"))
