from django.core.management.base import BaseCommand, CommandError

from backups import database
from backups.snapshot import BackupFailed, take


class Command(BaseCommand):
    help = (
        "把数据库、媒体文件（图片、文档）、投诉附件和已生成的汇编备份到一个新目录，并写入带校验和的清单 manifest.json。"
        "网站可以照常运行：数据库是一次性的一致快照。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录：不存在或为空；完成后才出现")
        parser.add_argument(
            "--django-dump",
            action="store_true",
            help="用 Django 的 dumpdata 导出数据库，而不是 SQLite 备份接口或 pg_dump（只在没有 pg_dump 时才需要）",
        )

    def handle(self, *args, directory, django_dump, **options):
        try:
            document = take(directory, method="django" if django_dump else "auto", log=self.stderr.write)
        except (BackupFailed, database.DatabaseError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        trees = "，".join(f"{name} {info['files']} 个文件" for name, info in document["trees"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{directory}\n  数据库：{document['database']['vendor']}（{document['database']['method']}）\n"
                f"  文件：{trees}\n  搜索索引不在备份中，恢复时按数据库重建。"
            )
        )
