"""`manage.py catalog_schema`: write exports/catalog/schema.json, whose item part comes from the guide's
declared description (content.guide), so the published schema never drifts from what the portal reads."""

from django.core.management.base import BaseCommand, CommandError

from exports.catalog.validation import SCHEMA_PATH, schema_text


class Command(BaseCommand):
    help = "按办事指南要素说明（content.guide）重写 exports/catalog/schema.json；--check 只检查是否一致。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="文件与要素说明不一致时报错，不写文件")

    def handle(self, *args, check=False, **options):
        wanted = schema_text()
        current = SCHEMA_PATH.read_text(encoding="utf-8")
        if current == wanted:
            self.stdout.write("schema.json 与办事指南要素说明一致。")
            return
        if check:
            raise CommandError("schema.json 与办事指南要素说明不一致：运行 manage.py catalog_schema 重新生成")
        SCHEMA_PATH.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"已重写 {SCHEMA_PATH}")
