"""`content` is layered and imports at the top; `search` draws facets without content's filter machinery.

Read from the source with `ast`, so a new import that closes a circle, or one tucked into a function to
get round a circle, fails here rather than in whichever process happens to import things in another order.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]

# Imports that stay inside a function, each for a reason other than a circle.
LAZY_IMPORTS = {
    # Django: models are importable only once the app registry is ready, and ready() is where apps connect.
    ("content/apps.py", "wagtail.models"),
    ("content/apps.py", "content"),
    ("search/apps.py", "search"),
    # A tenth of a second that only indexing and searching need, not every manage.py command.
    ("search/text.py", "jieba"),
    # One backend per deployment: only the configured one (and its library) is loaded.
    ("search/backends/__init__.py", "search.backends.whoosh"),
    ("search/backends/__init__.py", "search.backends.postgres"),
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(*apps):
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported(node, path):
    """The modules an Import/ImportFrom node names, absolute (`from content import facet_index` names content.facet_index)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module_name(path).split(".")
        if path.name != "__init__.py":
            package.pop()
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def imports(path, *, nested):
    """(line, module) of the imports at the top of `path` (nested=False) or inside its functions (nested=True)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        top = node in tree.body
        if top != nested:
            found.extend((node.lineno, name) for name in imported(node, path))
    return found


def graph(app):
    known = {module_name(p): p for p in sources(app)}
    return {
        name: sorted({m for _line, m in imports(path, nested=False) if m in known and m != name})
        for name, path in known.items()
    }


class LayeringTests(SimpleTestCase):
    def test_content_imports_form_no_circle(self):
        edges = graph("content")
        visiting, done = [], set()

        def visit(module):
            if module in done:
                return
            if module in visiting:
                cycle = [*visiting[visiting.index(module) :], module]
                self.fail("content imports in a circle: " + " → ".join(cycle))
            visiting.append(module)
            for target in edges[module]:
                visit(target)
            visiting.pop()
            done.add(module)

        for module in edges:
            visit(module)

    def test_models_below_the_browse_pages_never_reach_the_facet_index_or_filters(self):
        edges = graph("content")
        above = {"content.facet_index", "content.filters", "content.models.browse", "content.models.home"}
        for low in ("pages", "images", "taxonomy", "settings", "staff", "services", "halls"):
            seen, todo = set(), [f"content.models.{low}"]
            while todo:
                module = todo.pop()
                if module not in seen:
                    seen.add(module)
                    todo.extend(edges[module])
            self.assertFalse(seen & above, f"content.models.{low} reaches {sorted(seen & above)}")

    def test_content_never_imports_search_or_exports(self):
        for path in sources("content"):
            for line, module in imports(path, nested=False) + imports(path, nested=True):
                self.assertFalse(
                    module.split(".")[0] in {"search", "exports"}, f"{path.relative_to(ROOT)}:{line} imports {module}"
                )

    def test_search_draws_facets_from_the_neutral_module(self):
        for path in sources("search"):
            for line, module in imports(path, nested=False) + imports(path, nested=True):
                self.assertNotIn(module, {"content.filters", "content.facet_index"}, f"{path.relative_to(ROOT)}:{line}")

    def test_imports_are_at_the_top(self):
        for path in sources("content", "search"):
            relative = str(path.relative_to(ROOT))
            for line, module in imports(path, nested=True):
                allowed = {m for file, m in LAZY_IMPORTS if file == relative}
                if any(module == m or module.startswith(f"{m}.") for m in allowed):
                    continue
                self.fail(f"{relative}:{line} imports {module} inside a function")
