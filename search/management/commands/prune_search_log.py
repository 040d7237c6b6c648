from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.querylog import prune


class Command(BaseCommand):
    help = "清理搜索记录：删除长期无人再搜的搜索词，并把记录条数控制在上限以内（保留搜索次数最多的）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help=f"删除超过这么多天未再被搜索的词（默认 {settings.YIMEN_SEARCH_LOG_MAX_DAYS}）。"
        )
        parser.add_argument(
            "--max-rows", type=int, help=f"最多保留的搜索词条数（默认 {settings.YIMEN_SEARCH_LOG_MAX_ROWS}）。"
        )

    def handle(self, *args, days=None, max_rows=None, **options):
        if (days is not None and days < 1) or (max_rows is not None and max_rows < 0):
            raise CommandError("--days 至少为 1，--max-rows 不能为负数。")
        pruned = prune(max_days=days, max_rows=max_rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"搜索记录已清理：删除 {pruned.old} 条长期未再搜索的记录、{pruned.excess} 条超出上限的记录，保留 {pruned.kept} 条。"
            )
        )
