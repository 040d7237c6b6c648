"""Which Chinese fonts the printed documents use, and a clear refusal when the machine has none.

WeasyPrint finds fonts through fontconfig. Without a CJK font every Chinese character would print as
an empty box, so rendering stops with a message naming the Debian package to install instead.
"""

import functools
import shutil
import subprocess

DEBIAN_PACKAGE = "fonts-noto-cjk"

# Preferred families, best first: body text in a serif (宋体-like), headings and tables in a sans (黑体-like).
SERIF_FAMILIES = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC", "AR PL UMing CN")
SANS_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")


class CJKFontMissing(RuntimeError):
    """No font on this machine can draw Chinese characters."""

    def __init__(self, detail=""):
        message = (
            "没有找到可以显示中文的字体（`fc-list :lang=zh` 没有结果），无法生成 PDF。"
            f"请安装 Debian 软件包 {DEBIAN_PACKAGE}：sudo apt-get install {DEBIAN_PACKAGE}"
            "（./yimen start 会自动安装）。"
        )
        super().__init__(f"{message} {detail}".strip())


@functools.cache
def chinese_families():
    """Every font family fontconfig reports as covering Chinese, in fc-list order."""
    if shutil.which("fc-list") is None:
        raise CJKFontMissing("本机没有 fontconfig（fc-list 命令），请安装 fontconfig。")
    result = subprocess.run(  # noqa: S603 — fixed arguments, no shell
        ["fc-list", ":lang=zh", "family"],  # noqa: S607 - fc-list from PATH, checked above
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    families = []
    for line in result.stdout.splitlines():
        for name in line.split(","):
            name = name.strip()
            if name and name not in families:
                families.append(name)
    return tuple(families)


@functools.cache
def font_stacks():
    """CSS font-family values for serif and sans text; raises CJKFontMissing when nothing can draw Chinese."""
    installed = chinese_families()
    if not installed:
        raise CJKFontMissing()
    serif = [f for f in SERIF_FAMILIES if f in installed]
    sans = [f for f in SANS_FAMILIES if f in installed]
    # Any Chinese font is better than none: the first one fontconfig knows closes both stacks.
    fallback = installed[0]
    serif = [*serif, *sans, fallback]
    sans = [*sans, *serif, fallback]
    return {
        "serif": ", ".join(f'"{f}"' for f in dict.fromkeys(serif)) + ", serif",
        "sans": ", ".join(f'"{f}"' for f in dict.fromkeys(sans)) + ", sans-serif",
    }
