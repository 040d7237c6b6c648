"""The starting list of popular names (群众说法) and the official words they stand for; editors extend it."""

from django.db import migrations

STARTING_SYNONYMS = [
    ("低保", "最低生活保障", "最常见的俗称"),
    ("吃低保", "最低生活保障", ""),
    ("五保", "特困人员认定\n特困人员救助供养", "农村五保供养已并入特困人员救助供养"),
    ("残补", "残疾人两项补贴\n困难残疾人生活补贴\n重度残疾人护理补贴", ""),
    ("两项补贴", "困难残疾人生活补贴\n重度残疾人护理补贴", ""),
    ("残疾证", "残疾人证", ""),
    ("上户口", "出生登记", "新生儿落户"),
    ("报户口", "出生登记", ""),
    ("落户口", "出生登记\n户口迁移", ""),
    ("迁户口", "户口迁移", ""),
    ("准生证", "生育登记", "现行叫法为生育登记"),
    ("小卖部", "个体工商户设立登记\n食品经营许可", "开小卖部一般要办个体户营业执照，卖预包装食品还要食品经营许可或备案"),
    ("开店", "个体工商户设立登记\n营业执照", ""),
    ("开饭店", "食品经营许可\n个体工商户设立登记", ""),
    ("营业执照", "个体工商户设立登记\n企业设立登记", ""),
    ("执照", "营业执照", ""),
    ("新农合", "城乡居民基本医疗保险", ""),
    ("医保", "基本医疗保险", ""),
    ("农保", "城乡居民基本养老保险", ""),
    ("社保", "养老保险\n医疗保险", ""),
    ("养老金", "城乡居民基本养老保险待遇", ""),
    ("老人补贴", "高龄津贴", ""),
    ("高龄补贴", "高龄津贴", ""),
    ("暂住证", "居住证", "2016 年起暂住证改为居住证"),
    ("身份证丢了", "居民身份证补领", ""),
    ("身份证掉了", "居民身份证补领", ""),
    ("身份证过期", "居民身份证换领", ""),
    ("结婚证", "结婚登记", ""),
    ("领证", "结婚登记", ""),
    ("扯证", "结婚登记", "方言说法"),
    ("离婚", "离婚登记", ""),
    ("建房", "宅基地审批\n乡村建设规划许可", ""),
    ("盖房", "宅基地审批\n乡村建设规划许可", ""),
    ("起房子", "宅基地审批\n乡村建设规划许可", "方言说法"),
    ("砍树", "林木采伐许可", ""),
    ("改名", "姓名变更", ""),
    ("退伍", "退役军人", ""),
    ("当兵", "义务兵", ""),
    ("请律师", "法律援助", ""),
    ("讨薪", "法律援助\n劳动报酬", ""),
    ("装宽带", "宽带报装", ""),
    ("装电表", "用电报装", ""),
    ("装水表", "用水报装", ""),
    ("种田补贴", "耕地地力保护补贴\n种粮补贴", ""),
]


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, expansions, note in STARTING_SYNONYMS:
        Synonym.objects.get_or_create(term=term, defaults={"expansions": expansions, "note": note})


def remove_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(term__in=[term for term, _, _ in STARTING_SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
