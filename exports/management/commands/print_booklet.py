"""Print a booklet (办事指南汇编) to a PDF file from the command line, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from content.models import Department, HallPage, HallWindow, Topic
from exports.printing.booklets import (
    STAGE_ASSEMBLE,
    STAGE_LAYOUT,
    STAGE_PREPARE,
    BookletScope,
    EmptyBooklet,
    render_booklet,
)
from exports.printing.fonts import CJKFontMissing

STAGE_LABELS = {STAGE_PREPARE: "准备事项", STAGE_LAYOUT: "排版", STAGE_ASSEMBLE: "目录和页码"}


class Command(BaseCommand):
    help = "生成打印手册 PDF：按大厅（全部窗口）、窗口、部门或主题选取已发布的办事指南，可组合使用。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="输出的 PDF 文件路径")
        parser.add_argument("--hall", help="大厅编码，例如 LY-SD")
        parser.add_argument("--window", help="窗口号（须同时给出 --hall），例如 1")
        parser.add_argument("--department", help="部门编码或名称")
        parser.add_argument("--topic", help="主题名称，例如 社会救助")
        parser.add_argument("--processes", type=int, help="排版进程数（默认：最多 2 个，不超过 CPU 核数）")

    def handle(self, *args, output, hall, window, department, topic, processes, **options):
        scope = self._scope(hall, window, department, topic)
        bars = {}

        def progress(stage, done, total):
            bar = bars.get(stage)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[stage] = tqdm(
                    total=total,
                    desc=STAGE_LABELS[stage],
                    unit="项" if stage != STAGE_ASSEMBLE else "步",
                    file=self.stderr._out,
                    leave=True,
                    disable=options["verbosity"] == 0,
                )
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = render_booklet(scope, output, progress=progress, processes=processes)
        except (EmptyBooklet, CJKFontMissing) as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {output}：{scope.title}，{result.guide_count} 个事项，共 {result.page_count} 页。"
            )
        )

    def _scope(self, hall_code, window_number, department_key, topic_name):
        if not any((hall_code, department_key, topic_name)):
            raise CommandError("请至少给出 --hall、--department 或 --topic 之一。")
        hall = window = department = topic = None
        if hall_code:
            hall = HallPage.objects.live().filter(code__iexact=hall_code).first()
            if hall is None:
                known = "、".join(HallPage.objects.live().order_by("code").values_list("code", flat=True))
                raise CommandError(f"没有编码为 {hall_code} 的已发布大厅。现有大厅：{known or '无'}。")
        if window_number:
            if hall is None:
                raise CommandError("--window 须与 --hall 一起使用。")
            window = HallWindow.objects.filter(hall=hall, number=window_number).first()
            if window is None:
                known = "、".join(hall.windows.values_list("number", flat=True))
                raise CommandError(f"{hall.title} 没有 {window_number} 号窗口。现有窗口：{known or '无'}。")
        if department_key:
            department = (
                Department.objects.filter(code__iexact=department_key).first()
                or Department.objects.filter(name=department_key).first()
            )
            if department is None:
                raise CommandError(f"没有编码或名称为 {department_key} 的部门。")
        if topic_name:
            topic = Topic.objects.filter(name=topic_name).first()
            if topic is None:
                known = "、".join(Topic.objects.values_list("name", flat=True))
                raise CommandError(f"没有名为 {topic_name} 的主题。现有主题：{known or '无'}。")
        return BookletScope(hall=hall, window=window, department=department, topic=topic)
