"""Wagtail hooks of `exports`, one module per part (Wagtail imports only this one)."""

from .catalog import wagtail_hooks as catalog_hooks  # noqa: F401 - registers 导入事项目录
from .printing import wagtail_hooks as printing_hooks  # noqa: F401 - registers 打印手册
