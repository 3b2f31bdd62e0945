"""Zhejiang's real counties (GB/T 2260 codes), their cities, courts and plate prefixes."""

from __future__ import annotations

from dataclasses import dataclass

# city code -> (city name, plate letter)
CITIES: dict[str, tuple[str, str]] = {
    "3301": ("杭州市", "A"),
    "3302": ("宁波市", "B"),
    "3303": ("温州市", "C"),
    "3304": ("嘉兴市", "F"),
    "3305": ("湖州市", "E"),
    "3306": ("绍兴市", "D"),
    "3307": ("金华市", "G"),
    "3308": ("衢州市", "H"),
    "3309": ("舟山市", "L"),
    "3310": ("台州市", "J"),
    "3311": ("丽水市", "K"),
}

_COUNTIES = """
330102 上城区 330105 拱墅区 330106 西湖区 330108 滨江区 330109 萧山区 330110 余杭区
330111 富阳区 330112 临安区 330113 临平区 330114 钱塘区 330122 桐庐县 330127 淳安县 330182 建德市
330203 海曙区 330205 江北区 330206 北仑区 330211 镇海区 330212 鄞州区 330213 奉化区 330225 象山县
330226 宁海县 330281 余姚市 330282 慈溪市
330302 鹿城区 330303 龙湾区 330304 瓯海区 330305 洞头区 330324 永嘉县 330326 平阳县 330327 苍南县
330328 文成县 330329 泰顺县 330381 瑞安市 330382 乐清市 330383 龙港市
330402 南湖区 330411 秀洲区 330421 嘉善县 330424 海盐县 330481 海宁市 330482 平湖市 330483 桐乡市
330502 吴兴区 330503 南浔区 330521 德清县 330522 长兴县 330523 安吉县
330602 越城区 330603 柯桥区 330604 上虞区 330624 新昌县 330681 诸暨市 330683 嵊州市
330702 婺城区 330703 金东区 330723 武义县 330726 浦江县 330727 磐安县 330781 兰溪市 330782 义乌市
330783 东阳市 330784 永康市
330802 柯城区 330803 衢江区 330822 常山县 330824 开化县 330825 龙游县 330881 江山市
330902 定海区 330903 普陀区 330921 岱山县 330922 嵊泗县
331002 椒江区 331003 黄岩区 331004 路桥区 331022 三门县 331023 天台县 331024 仙居县 331081 温岭市
331082 临海市 331083 玉环市
331102 莲都区 331121 青田县 331122 缙云县 331123 遂昌县 331124 松阳县 331125 云和县 331126 庆元县
331127 景宁畲族自治县 331181 龙泉市
"""


@dataclass(frozen=True)
class County:
    """One county-level division: code, names, its basic court and plate prefix."""

    code: str
    name: str
    city: str

    @property
    def court(self) -> str:
        """The basic people's court, e.g. 绍兴市越城区人民法院."""
        return f"{self.city}{self.name}人民法院"

    @property
    def court_code(self) -> str:
        """The court part of a case number: 浙 + the last four digits, e.g. 浙0602."""
        return f"浙{self.code[2:]}"

    @property
    def plate_prefix(self) -> str:
        """浙 plus the city's letter, e.g. 浙D for Shaoxing."""
        return "浙" + CITIES[self.code[:4]][1]


def _parse() -> tuple[County, ...]:
    words = _COUNTIES.split()
    return tuple(
        County(code=words[i], name=words[i + 1], city=CITIES[words[i][:4]][0])
        for i in range(0, len(words), 2)
    )


COUNTIES: tuple[County, ...] = _parse()
BY_CODE: dict[str, County] = {c.code: c for c in COUNTIES}


def for_scale(scale: str) -> tuple[County, ...]:
    """The counties a synthetic workspace covers: 2 for tiny, 1 for county, all 90 for province."""
    if scale == "tiny":
        return (BY_CODE["330602"], BY_CODE["331124"])  # 越城区 (Shaoxing), 松阳县 (Songyang)
    if scale == "county":
        return (BY_CODE["330602"],)
    return COUNTIES
