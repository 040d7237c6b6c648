"""Write a valid `yimen-catalog/1` file with N service items derived from the demo catalog.

Halls, departments and staff are the demo's own; every item is a demo item under a new unique code
(LY-SD-Gnnnnn), with a name and keywords varied by village and variant so search and filters see
many distinct guides. The staff photos and forms are copied next to the output file. Same N, same file.

    .venv/bin/python bench/generate_catalog.py 10000 /tmp/bench/catalog-10000.json
"""

import argparse
import copy
import json
import random
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demo" / "sample-catalog.json"

VILLAGES = (
    "新民", "泉江", "花园", "团结", "光明", "联合", "石湾", "长坪", "谷丰", "大塘", "金星", "红旗", "龙井", "上堡",
    "下洲", "竹山", "杉木", "桐子", "洋田", "罗渡", "青山", "黄家", "李家", "曹家", "东风", "西湖", "南阳", "北港",
    "白沙", "黄泥", "高岭", "水口", "枫树", "梅塘", "荷叶", "松柏", "樟木", "柿竹", "新华", "和平",
)  # fmt: skip
VARIANTS = ("", "（个人申请）", "（家庭申请）", "（补办）", "（变更）", "（延续）", "（代办）", "（网上申请）")


def generate(count, seed=20250912):
    """The catalog as a dict; item n is demo item n % 60 renamed for a village and a variant."""
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    base_items = demo["items"]
    items = []
    for n in range(count):
        item = copy.deepcopy(base_items[n % len(base_items)])
        round_ = n // len(base_items)
        village = VILLAGES[round_ % len(VILLAGES)]
        variant = VARIANTS[(round_ // len(VILLAGES)) % len(VARIANTS)]
        cycle = round_ // (len(VILLAGES) * len(VARIANTS))
        item["code"] = f"LY-SD-G{n + 1:05d}"
        item["catalog_code"] = None
        item["name"] = f"{village}村{item['name']}{variant}" + (f"（{cycle + 1}）" if cycle else "")
        keywords = list(item.get("keywords") or [])
        rng.shuffle(keywords)
        item["keywords"] = [f"{village}{keywords[0]}" if keywords else village, *keywords[: rng.randint(2, 6)]]
        item["visits"] = rng.choice((0, 1, 1, 1, 2))
        items.append(item)
    return {**demo, "items": items}


def write(count, out):
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for folder in ("photos", "forms"):  # the staff photos and the materials' forms the items name
        shutil.copytree(DEMO.parent / folder, out.parent / folder, dirs_exist_ok=True)
    out.write_text(json.dumps(generate(count), ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many service items")
    parser.add_argument("out", help="output JSON path; photos/ and forms/ are written beside it")
    args = parser.parse_args()
    path = write(args.count, args.out)
    print(f"{args.count} items written to {path}")


if __name__ == "__main__":
    main()
