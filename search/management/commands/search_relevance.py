from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.relevance import QUERIES, evaluate, load


class Command(BaseCommand):
    help = "用项目自己的相关性测试集（群众说法 → 应找到的事项）给搜索打分：输出 MRR 和 recall@5。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--queries", default=str(QUERIES), help="测试集 JSON 文件（默认 search/relevance/queries.json）。"
        )
        parser.add_argument("--min-mrr", type=float, default=None, help="MRR 低于该值时以错误退出（用于持续集成）。")
        parser.add_argument("--verbose-misses", action="store_true", help="列出未排在第一位的查询及实际结果。")

    def handle(self, *args, **options):
        queries = load(options["queries"])
        mrr, recall, judgements = evaluate(queries)
        if options["verbose_misses"]:
            for j in judgements:
                if j.rank != 1:
                    self.stdout.write(
                        f"  {j.query}：期望 {'、'.join(j.expected)}，名次 {j.rank or '10 名外'}，实际 {'、'.join(j.found[:5])}"
                    )
        self.stdout.write(
            f"后端 {get_backend().name}，{len(judgements)} 个查询：MRR = {mrr:.3f}，recall@5 = {recall:.3f}，"
            f"首位命中 {sum(1 for j in judgements if j.rank == 1)} 个"
        )
        if options["min_mrr"] is not None and mrr < options["min_mrr"]:
            raise CommandError(f"MRR {mrr:.3f} 低于要求的 {options['min_mrr']:.3f}。")
