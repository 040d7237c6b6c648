import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search import relevance
from search.backends import get_backend

HALF_NAMES = {"tuning": "调优集", "test": "检验集"}


class Command(BaseCommand):
    help = (
        "用相关性测试集（群众说法 → 应找到的事项）给当前索引中的目录打分：分调优集与检验集输出 MRR、recall@5 和各类查询的 MRR；"
        "--add 把新写的查询按散列值归入两半。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--half", choices=["tuning", "test", "all"], default="all", help="打分的一半（默认两半分别打分）。"
        )
        parser.add_argument(
            "--catalog", choices=sorted(relevance.CATALOGS), default="demo", help="当前索引中的目录（默认 demo）。"
        )
        parser.add_argument("--min-mrr", type=float, default=None, help="任一半的 MRR 低于该值时以错误退出。")
        parser.add_argument(
            "--verbose-misses", action="store_true", help="列出调优集中未排在第一位的查询（检验集不列）。"
        )
        parser.add_argument("--add", metavar="FILE", help='把 FILE 中的新查询（{"queries": [...]}）归入两半并写入。')

    def handle(self, *args, **options):
        if options["add"]:
            entries = json.loads(Path(options["add"]).read_text(encoding="utf-8"))["queries"]
            try:
                added = relevance.add(entries)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"调优集新增 {added['tuning']} 个，检验集新增 {added['test']} 个，重复而跳过 {added['duplicate']} 个。"
            )
            return
        halves = ["tuning", "test"] if options["half"] == "all" else [options["half"]]
        if options["verbose_misses"] and "test" in halves:
            raise CommandError("检验集只用于打分，不列出未命中的查询（否则就成了调优集）；请用 --half tuning。")
        failed = []
        for half in halves:
            queries = relevance.load(half, catalog=options["catalog"])
            mrr, recall, judgements = relevance.evaluate(queries)
            figures = relevance.figures_of(judgements)
            if options["verbose_misses"]:
                for j in judgements:
                    if j.rank != 1:
                        self.stdout.write(
                            f"  [{j.kind}] {j.query}：期望 {'、'.join(j.expected)}，名次 {j.rank or '10 名外'}，"
                            f"实际 {'、'.join(j.found[:5])}"
                        )
            kinds = "，".join(f"{kind} {value:.2f}（{count}）" for kind, (count, value) in figures.by_kind.items())
            self.stdout.write(
                f"{HALF_NAMES[half]}（{options['catalog']}，后端 {get_backend().name}，{len(judgements)} 个查询）："
                f"MRR = {mrr:.3f}，recall@5 = {recall:.3f}，首位命中 {sum(1 for j in judgements if j.rank == 1)} 个；"
                f"分类 MRR：{kinds}"
            )
            if options["min_mrr"] is not None and mrr < options["min_mrr"]:
                failed.append(f"{HALF_NAMES[half]} MRR {mrr:.3f} 低于要求的 {options['min_mrr']:.3f}")
        if failed:
            raise CommandError("；".join(failed) + "。")
