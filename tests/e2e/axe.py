"""axe-core in the page: run the WCAG 2.1 A/AA rules and describe serious or critical violations readably.

axe-core comes from the npm registry, pinned in package.json / package-lock.json and installed into
node_modules/ by `./yimen` (npm ci). Its source is evaluated through the DevTools protocol, which a
page's Content-Security-Policy does not block (an injected <script> would be).
"""

from functools import cache
from pathlib import Path

from django.conf import settings

import pytest

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@cache
def _source():
    if not AXE.is_file():
        pytest.fail(
            f"找不到 {AXE}：axe-core 由 ./yimen 用 npm ci 安装（package-lock.json），请先运行 ./yimen test。",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


def violations(page):
    """Serious and critical axe violations of the page as it is now (a list of axe result dicts)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(name, url, found):
    """Readable report: page, rule, impact, help link, then each offending element with axe's explanation."""
    lines = [f"■ {name}（{url}）：{len(found)} 项严重问题"]
    for violation in found:
        lines.append(f"  - [{violation['impact']}] {violation['id']}: {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            lines.append(
                f"      选择器 {' '.join(node['target']) if all(isinstance(t, str) for t in node['target']) else node['target']}"
            )
            lines.append(f"      元素   {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      原因   {summary[:400]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      ……另有 {len(violation['nodes']) - 8} 个元素")
    return "\n".join(lines)
