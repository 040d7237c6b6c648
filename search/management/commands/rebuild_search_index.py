from django.core.management.base import BaseCommand

from tqdm import tqdm

from search.backends import get_backend
from search.documents import all_indexable_page_ids
from search.indexing import rebuild


class Command(BaseCommand):
    help = "重建站内搜索索引：在新位置建好后一次切换，重建期间搜索照常可用。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条（用于日志）。")

    def handle(self, *args, **options):
        backend = get_backend()
        total = len(all_indexable_page_ids())
        seen = set()
        with tqdm(total=total, desc="重建搜索索引", unit="页", disable=options["no_progress"], file=self.stderr) as bar:

            def progress(document):
                if document.page_id not in seen:
                    seen.add(document.page_id)
                    bar.update(1)

            pages = rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"搜索索引已重建（{backend.name}）：{pages} 个页面，{backend.document_count()} 条索引记录。"
            )
        )
