from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.manifest import BackupRefused
from backups.restoring import RestoreFailed, check, restore


class Command(BaseCommand):
    help = (
        "从 backup 命令生成的目录恢复整个站点：先校验备份完整、与当前程序兼容，再一次性替换数据库和文件；"
        "任何一步失败，站点保持原样。恢复后重建搜索索引。请先停止网站进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="backup 命令生成的备份目录")
        parser.add_argument("--check", action="store_true", dest="check_only", help="只校验备份能否恢复，不做任何改动")

    def handle(self, *args, directory, check_only, **options):
        folder = Path(directory)
        try:
            if check_only:
                document = check(folder)
                self.stdout.write(self.style.SUCCESS(f"备份完好，可以恢复：{folder}（{document['created_at']} 创建）"))
                return
            summary = restore(folder, log=self.stderr.write)
        except BackupRefused as exc:
            raise CommandError("不能恢复，站点没有任何改动：\n" + "\n".join(f"  {p}" for p in exc.problems)) from exc
        except RestoreFailed as exc:
            raise CommandError(str(exc)) from exc
        lines = [f"恢复完成：{folder}"]
        if summary["migrated"]:
            lines.append(f"  已应用备份之后的 {len(summary['migrated'])} 个迁移。")
        if summary["search_pages"] is not None:
            lines.append(f"  搜索索引已重建：{summary['search_pages']} 个页面。")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        if summary["search_error"]:
            self.stderr.write(self.style.WARNING(summary["search_error"]))
