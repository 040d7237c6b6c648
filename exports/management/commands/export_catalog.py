from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports.catalog.exporter import MissingFile, write_catalog


class Command(BaseCommand):
    help = (
        "把已发布的事项目录导出为 yimen-catalog/2 格式的 JSON 文件，窗口人员照片写到同目录的 photos/ 下，"
        "材料的空白表格和填写样表写到 forms/ 下；import_catalog 原样读回。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出的 JSON 文件路径")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在：{path.parent}")
        try:
            document = write_catalog(path)
        except MissingFile as error:
            raise CommandError(f"导出失败：{error}") from error
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(document['items'])} 个事项到 {path}"))
