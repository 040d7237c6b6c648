"""`exports` holds three parts that do not lean on each other: the catalog exchange (`exports.catalog`),
printing (`exports.printing`) and open data (`exports.opendata`). Open data may read the catalog exporter
(its JSON is the exchange format); nothing else crosses, and the demo lives in its own app.

Read from the source with `ast`, whatever imports a test process happens to have done.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("exports.catalog", "exports.printing", "exports.opendata")
ALLOWED = {("exports.opendata", "exports.catalog")}


def imported(path, package):
    """Absolute names of the modules `path` imports, relative imports resolved against `package`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module)
    return names


def part_of(name):
    return next((part for part in PARTS if name == part or name.startswith(part + ".")), None)


class ExportsPartsTests(SimpleTestCase):
    def test_no_part_imports_another(self):
        crossings = []
        for part in PARTS:
            folder = ROOT.joinpath(*part.split("."))
            for path in sorted(folder.rglob("*.py")):
                package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
                for name in imported(path, package):
                    other = part_of(name)
                    if other and other != part and (part, other) not in ALLOWED:
                        crossings.append(f"{path.relative_to(ROOT)} imports {name}")
        self.assertEqual(crossings, [])

    def test_the_demo_is_its_own_app(self):
        self.assertFalse((ROOT / "exports/management/commands/load_demo.py").exists())
        self.assertTrue((ROOT / "demo/management/commands/load_demo.py").exists())
