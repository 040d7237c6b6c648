import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.models import StaffMember
from exports.catalog.exporter import export_catalog


class Command(BaseCommand):
    help = "把已发布的事项目录导出为 yimen-catalog/1 格式的 JSON 文件，照片写到同目录的 photos/ 下。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出的 JSON 文件路径")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在：{path.parent}")
        document = export_catalog()
        photos = {p.staff_id: p.photo for p in StaffMember.objects.on_board().select_related("photo") if p.photo_id}
        for person in document["staff"]:
            if person["photo"]:
                target = path.parent / person["photo"]
                target.parent.mkdir(exist_ok=True)
                with photos[person["id"]].open_file() as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, indent=1)
        tmp.replace(path)
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(document['items'])} 个事项到 {path}"))
