from django.core.management.base import BaseCommand, CommandError

from notifications import schedule


class Command(BaseCommand):
    help = "排上定时任务的第一个节拍（已有等待中的节拍时什么也不做）。每次启动工作进程前运行。"

    def handle(self, *args, **options):
        try:
            queued = schedule.start()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write("已排上定时任务节拍。" if queued else "定时任务节拍已在队列中，无需再排。")
