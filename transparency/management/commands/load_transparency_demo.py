from django.core.management.base import BaseCommand

from transparency.demo import load_sample_activity, load_transparency_demo


class Command(BaseCommand):
    help = "创建演示用的规章制度、通知公告、统计公开和服务地图页面；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample-activity",
            action="store_true",
            help="另外生成近 6 个月的演示评价和投诉（文字标明“演示数据”），让统计页面有数字可看。只用于演示门户。",
        )

    def handle(self, *args, **options):
        created = load_transparency_demo()
        self.stdout.write(self.style.SUCCESS(f"政务公开演示页面：新建 {created} 个。"))
        if options["sample_activity"]:
            ratings, complaints = load_sample_activity()
            self.stdout.write(self.style.SUCCESS(f"演示评价 {ratings} 条、演示投诉 {complaints} 件。"))
