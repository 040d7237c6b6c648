import sys

from django.core.management.base import BaseCommand, CommandError

from exports.catalog.importer import import_file
from exports.catalog.validation import CatalogError


class Command(BaseCommand):
    help = "导入 yimen-catalog/1 格式的事项目录文件（全部成功或全部不变）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="目录 JSON 文件；照片路径相对于该文件")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, no_progress, **options):
        try:
            result = import_file(file, show_progress=not no_progress and sys.stderr.isatty())
        except CatalogError as exc:
            lines = exc.problems[:50]
            more = len(exc.problems) - len(lines)
            raise CommandError(
                "导入失败，数据库未作任何改动：\n"
                + "\n".join(f"  {p}" for p in lines)
                + (f"\n  ……另有 {more} 处问题" if more > 0 else "")
            ) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"警告：{warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：事项新增 {result.created}、更新 {result.updated}、未变 {result.unchanged}；"
                f"大厅新增 {result.halls_created}、更新 {result.halls_updated}；窗口人员 {result.staff} 人。"
            )
        )
        timings = result.timings
        self.stdout.write(
            f"用时 {sum(timings.values()):.1f} 秒：检查 {timings['checks']:.1f}、写入 {timings['writing']:.1f}、"
            f"提交及随后的处理（如搜索索引）{timings['commit']:.1f}。"
        )
