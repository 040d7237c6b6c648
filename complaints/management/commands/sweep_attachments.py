from django.core.management.base import BaseCommand, CommandError

from complaints.handling import sweep_orphan_attachments


class Command(BaseCommand):
    help = (
        "删除投诉附件目录中没有对应附件记录的文件（提交失败或进程中断留下的，含投诉人的个人信息），"
        "只删除早于宽限期的文件，以免误删正在提交的投诉的附件；提交后未及改名的附件会补上改名。"
        "建议每小时由 cron 或 systemd 定时运行一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes", type=int, default=60,
            help="只处理修改时间早于这么多分钟的文件（默认 60）；正在提交的投诉的附件总比这新",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="只列出将删除的文件，不删除")

    def handle(self, *args, grace_minutes, dry_run, **options):
        if grace_minutes < 1:
            raise CommandError("宽限期至少 1 分钟：更短会删掉正在提交的投诉的附件。")
        result = sweep_orphan_attachments(grace_minutes * 60, dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        for name in result.removed:
            self.stdout.write(f"{verb}：{name}")
        for name in result.finished:
            self.stdout.write(f"{'将补上' if dry_run else '已补上'}改名：{name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(result.removed)} 个没有记录的附件文件，补上改名 {len(result.finished)} 个，"
                f"{result.kept_young} 个未满 {grace_minutes} 分钟的文件暂不处理。"
            )
        )
