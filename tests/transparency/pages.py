"""The four 政务公开 pages under the home page, built for tests (the demo loader is not used)."""

import datetime

from tests.factories import site_structure
from transparency.models import HallMapPage, NoticeIndexPage, NoticePage, RuleIndexPage, RulePage, StatisticsPage


def publish(page):
    page.save_revision().publish()
    return page


def transparency_pages():
    """{kind: page} for rules, notices, statistics and hall_map, each published, with one rule and one notice."""
    home = site_structure()[0]
    pages = {
        "rules": home.add_child(instance=RuleIndexPage(title="上墙制度", slug="rules")),
        "notices": home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices")),
        "statistics": home.add_child(instance=StatisticsPage(title="统计公开", slug="statistics")),
        "hall_map": home.add_child(instance=HallMapPage(title="服务地图", slug="hall-map")),
    }
    pages["rule"] = publish(
        pages["rules"].add_child(
            instance=RulePage(
                title="首问责任制",
                slug="shou-wen",
                summary="首位接待人员负责到底。",
                body="<p>首问责任人必须热情接待、负责到底。</p>",
            )
        )
    )
    pages["notice"] = publish(
        pages["notices"].add_child(
            instance=NoticePage(
                title="国庆节放假安排",
                slug="guoqing",
                date=datetime.date(2026, 9, 20),
                body="<p>10 月 1 日至 7 日放假，<b>8 日</b>正常上班。</p>",
            )
        )
    )
    return pages
