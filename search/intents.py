"""What a sentence asks for when no single word says it: 开个饭店 is a business to register and a food
licence to get, 开个理发店 a business to register.

The table names the kinds of service such a sentence needs, in the words official guides use
(个体工商户设立登记, 食品经营许可), not any county's item codes, so it reads the same over any catalog.
"""

import re

# 开 (or 办、经营…) + an optional measure word + what is opened + the kind of place.
_OPEN = re.compile(
    r"(?:开|办|经营|干|做|搞|盘|开办|开设)(?:了)?(?:个|一个|家|一家|间|一间|座|爿)?(?:小)?"
    r"(?P<what>[\u4e00-\u9fff]{0,5}?)(?P<place>小卖部|ktv|网吧|歌厅|酒吧|茶馆|宾馆|旅馆|民宿|店|馆|铺|铺子|摊|摊子|摊位|档口|作坊|厂|超市|诊所|门面|门店|公司|生意|买卖)"
)
# What opening any shop, stall or workshop needs first; a company is registered as an enterprise.
BUSINESS = ("个体工商户设立登记", "营业执照")
COMPANY = ("企业设立登记", "公司设立登记", "营业执照")
# The licence a kind of business needs, by words (space-separated) that describe what it sells or does.
LICENCES = (
    (
        "饭 餐 菜 面 粉 小吃 早点 烧烤 火锅 奶茶 饮品 茶饮 蛋糕 面包 烘焙 饺子 包子 馒头 卤 熟食 超市 便利 小卖 副食 零食"
        " 水果 生鲜 食品 酒 饮料 肉 豆腐 茶馆",
        ("食品经营许可",),
    ),
    ("作坊 加工 豆腐坊 油坊 酒坊", ("食品生产加工小作坊登记",)),
    ("药", ("药品经营许可",)),
    ("理发 美发 美容 发廊 洗浴 足浴 旅馆 宾馆 酒店 民宿", ("公共场所卫生许可",)),
    ("游戏厅 歌厅 ktv 卡拉 舞厅 酒吧", ("娱乐场所经营许可",)),
    ("网吧 网咖", ("互联网上网服务营业场所经营许可",)),
    ("诊所", ("医疗机构执业登记",)),
)


def read(normalized):
    """[(phrase, [what it asks for])] for each 开个X店 in the normalised query."""
    found = []
    for match in _OPEN.finditer(normalized):
        phrase, what, place = match.group(0), match.group("what"), match.group("place")
        wanted = list(COMPANY if place == "公司" else BUSINESS)
        described = what + place
        for keys, licences in LICENCES:
            if any(key in described for key in keys.split()):
                wanted.extend(licences)
        found.append((phrase, wanted))
    return found
