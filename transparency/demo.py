"""Demo transparency content: the 上墙制度 taken from the seed documents, two notices, the statistics and map pages.

The rule texts follow 《政务服务工作准则》(first-question responsibility, time limits, one-time
notification, service pledge, public display, complaints) and the 三都镇 进驻实施方案 (AB posts,
好差评); they are adapted to a township centre and to the portal's own working-day deadlines.
"""

import datetime
import random
from html import escape

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from content.models import HallPage, HomePage, ServicePage
from content.structure import ensure_site_structure

from .models import (
    HallMapPage,
    NoticeIndexPage,
    NoticePage,
    RuleIndexPage,
    RulePage,
    SampleComplaint,
    SampleRating,
    StatisticsPage,
)


def paragraphs(*lines):
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


ISSUER = "政务服务中心"

RULES = [
    (
        "yi-ci-xing-gao-zhi",
        "一次性告知制",
        "办事材料、依据、时限和程序一次讲清，不让群众来回跑。",
        paragraphs(
            "一、为转变作风、规范行政行为、提高办事效率，方便企业和群众办事，形成“行为规范、运转协调、公正透明、廉洁高效”的工作运行机制，实行一次性告知制。",
            "二、一次性告知制是指服务对象到中心办事、咨询时，在职责范围内，窗口人员必须一次性告知其所要办理事项的依据、时限、程序、所需的全部材料或者不予办理的理由。",
            "三、对服务对象要求办理的事项，窗口人员应当场审核有关手续和材料；能即时办理的即时办理；手续、材料不齐全或不符合法定形式的，应一次性口头或书面告知需补充的手续和材料；申请人按告知要求补齐后，应及时办理。对不符合规定、无法办理的事项，应告知法律法规或政策要求，并做好解释工作。",
            "四、所办事项涉及多个单位，或手续、材料、规定不明确的，窗口人员应尽可能帮助咨询了解或请示报告，并将结果告知当事人。",
            "五、告知时使用文明用语，严禁使用服务忌语和推托性语言，不得态度蛮横、语言粗鲁、故意刁难。",
            "六、企业和群众对答复、办事结果不满意时，窗口人员应认真听取意见，及时采取补救措施。",
            "七、应受理的事项未按规定和时限办理，或服务态度生硬、蛮横，受到群众投诉的，按中心责任追究规定处理。",
        ),
    ),
    (
        "shou-wen-ze-ren-zhi",
        "首问责任制",
        "第一位被询问的工作人员负责到底：接待、受理或指引，不推诿。",
        paragraphs(
            "一、群众和企业到中心咨询、申请办理行政许可、公共服务等事项时，首位接待的工作人员为首问责任人，必须热情接待、认真办理、负责到底。",
            "二、首问责任人实行挂牌服务，做到热情接待、文明礼貌、周到服务。",
            "三、对符合条件的申请应当当场受理；可以当场办理的应当当场办结；不能当场办理的，应向申请人说明理由。",
            "四、受理的事项，首问责任人应在受理后一个工作日内分送具体承办机构，办好交接手续，并负责跟踪督办；办结后将办理结果通知申请人。",
            "五、咨询或办理的事项不属于本部门职责的，首问责任人应说明理由，并告知具体承办部门和联系方式。",
            "六、对把握不准或者特别重大、紧急的事项，首问责任人应及时向中心负责人汇报。",
            "七、依法由两个以上部门办理的事项，由首先受理的部门牵头，实行同步审批，明确办理时限。",
        ),
    ),
    (
        "xian-shi-ban-jie-zhi",
        "限时办结制",
        "即办件当场办结，承诺件在承诺时限内办结，时限按工作日计算。",
        paragraphs(
            "一、法律、法规、规章或有关制度对办理时限有明确规定的，各窗口和工作人员必须严格执行。",
            "二、即办件在申请人手续完备、材料齐全、符合规定的情况下即时办理，不得以任何借口拖延和刁难。",
            "三、承诺件由窗口受理并出具受理回执，写明所收材料名称、页数、办结取件时间及经办人姓名，在承诺时限内办结，并及时将办理结果通知申请人。",
            "四、办理时限以工作日计算，自受理的次日起算，遇法定节假日顺延，国务院公布的调休上班日计入工作日。",
            "五、无正当理由不得延时办理。确需延时的，须经窗口负责人批准，并告知申请人延时理由和新的办结时间。",
            "六、超时未办结的，对经办人和相关负责人进行批评教育；造成不良后果的，按照有关规定追究责任。",
        ),
    ),
    (
        "fu-wu-cheng-nuo-zhi",
        "服务承诺制",
        "依法办事、准时在岗、不推诿不扯皮、廉洁自律、接受监督。",
        paragraphs(
            "一、依法行政，不徇私情，切实履行政务服务职能。",
            "二、严格遵守上班时间，不迟到、不早退、不擅离职守。",
            "三、认真执行首问责任制、限时办结制、一次性告知制等制度；窗口工作人员精通本窗口业务，做到务实高效、不扣件、不压件、不超时限。",
            "四、身份职责公示，公开工作职责、规章制度、办事流程、办事时限和办事结果。",
            "五、忠于职守，优质服务。遇事不推诿、不扯皮，不与办事群众发生争吵；主动热情，使用文明用语，耐心解答问题。",
            "六、严格自律，秉公办事。不接受办事单位和群众的馈赠和宴请，不以权谋私。",
            "七、接受监督，有错必纠。发现问题，请拨打政务服务便民热线 12345，或通过本网站“投诉举报”反映。",
        ),
    ),
    (
        "ab-gang-gong-zuo-zhi",
        "AB岗工作制",
        "每个窗口设 A 岗（主岗）和 B 岗（替岗），人员不在岗时业务不断档。",
        paragraphs(
            "一、政务服务大厅各窗口实行 AB 岗工作制。A 岗为主岗，负责本窗口日常受理和办理；B 岗为替岗，熟悉 A 岗业务。",
            "二、A 岗因公外出、请假、轮休时，由 B 岗接替办理，做到事项不断档、服务不停顿、群众不白跑。",
            "三、A 岗离岗前应与 B 岗做好交接，说明在办件的进度和注意事项；返岗后及时接回。",
            "四、通过 AB 岗位替代及轮休，逐步推行工作日中午不间断办事服务和节假日轮值服务。",
            "五、AB 岗人员的照片、姓名、派驻部门、职务、办理业务和工作电话在阳光台公示。",
        ),
    ),
    (
        "zheng-wu-gong-shi-zhi",
        "政务公示制",
        "窗口人员身份、机构职能、办事程序和收费标准一律公开。",
        paragraphs(
            "一、政务公示制是向办事群众和社会公开履行职能的标准、要求、程序等的制度。",
            "二、中心依据办事方便、公开透明、接受监督的原则实行政务公示，进驻窗口的工作人员应遵守本制度。",
            "三、公示内容：各窗口工作人员的照片、姓名、派驻部门；机构设置、行政职能；办事程序、标准，有收费项目的公开收费依据和标准。",
            "四、公示采用阳光台、佩戴工作牌、桌面摆放、办事指南、网站等形式。",
        ),
    ),
]

COMPLAINT_RULE_V1 = paragraphs(
    "一、中心负责受理服务对象反映窗口单位及其工作人员违规违纪、服务态度、服务质量等方面问题的投诉。",
    "二、投诉可采用口头、电话、书面或网上形式；涉及重大事项的投诉应采用书面形式。",
    "三、接待投诉要礼貌、热情、诚恳，认真做好记录，区别不同情况认真处理。对投诉人及投诉事项予以保密。",
    "四、一般投诉即时处理，现场答复；不能现场答复的，在当日或次日答复。比较复杂或涉及两个以上单位需要协调的投诉，在一周之内作出答复。",
    "五、确因客观原因不能在规定时间内答复的，应及时向投诉人说明情况，并负责跟踪处理，直至处理完毕。",
)

COMPLAINT_RULE_V2 = paragraphs(
    "一、中心负责受理服务对象反映窗口单位及其工作人员违规违纪、服务态度、办事效率、违规收费、推诿扯皮等方面问题的投诉。",
    "二、投诉可采用口头、电话、书面或网上形式。网上投诉提交后即得到查询码，凭查询码（留了电话的还需电话后四位）查看办理进度和答复。",
    "三、接待投诉要礼貌、热情、诚恳，认真做好记录，区别不同情况认真处理。投诉人的姓名、电话只有投诉处理人员可见，对被投诉人和其他人员严格保密。",
    "四、一般投诉在受理的次一个工作日内答复；比较复杂或涉及两个以上单位需要协调的投诉，在 5 个工作日内答复。期限遇法定节假日顺延。",
    "五、确因客观原因不能按期答复的，应及时向投诉人说明情况，并负责跟踪处理，直至处理完毕。超过期限未答复的投诉在处理队列中优先列出并督办。",
    "六、投诉经调查核实后，按中心制度对相关问题和责任人作出处理，处理意见反馈投诉人。",
)

NOTICES = [
    (
        "2026-guo-qing-zuo-xi",
        "关于2026年国庆节、中秋节期间办公时间调整的通知",
        datetime.date(2026, 9, 15),
        paragraphs(
            "根据国务院办公厅关于2026年部分节假日安排的通知，现将我中心节假日期间办公时间安排如下：",
            "一、中秋节：9月25日至27日放假调休，共3天。",
            "二、国庆节：10月1日至7日放假调休，共7天。9月20日（星期日）、10月10日（星期六）上班。",
            "三、放假期间，承诺件、投诉答复的办理时限顺延；调休上班日照常办理各项业务。",
            "四、节假日期间确有急事的，可拨打政务服务便民热线 12345。",
        ),
    ),
    (
        "hao-cha-ping-wang-shang-kai-tong",
        "关于开通网上“好差评”和投诉举报的公告",
        datetime.date(2026, 11, 2),
        paragraphs(
            "为进一步接受群众监督，本门户已开通网上“好差评”和投诉举报。",
            "一、每个办事指南和大厅页面下方都可以评价：非常满意、满意、基本满意、不满意、非常不满意。对每一条不满意的评价，中心都将整改、回访并记录。",
            "二、投诉举报可以匿名提交，提交后得到查询码。一般投诉在次一个工作日内答复，复杂投诉在 5 个工作日内答复。",
            "三、投诉人的姓名和电话只有投诉处理人员可见，严格保密。",
        ),
    ),
]


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish(page, change_note=None):
    if change_note is not None:
        page.change_note = change_note
    page.save_revision().publish()


@transaction.atomic
def load_transparency_demo():
    """Create whatever of the demo transparency pages is missing; pages that exist are left as editors made them.

    Returns the number of pages created.
    """
    home = HomePage.objects.first() or ensure_site_structure()[0]
    created = 0

    rules = _child(home, RuleIndexPage, "rules")
    if rules is None:
        rules = home.add_child(
            instance=RuleIndexPage(
                title="规章制度",
                slug="rules",
                intro="<p>政务服务大厅上墙公示的规章制度。每项制度的修订历史都可以公开查看。</p>",
            )
        )
        created += 1
    for slug, title, summary, body in RULES:
        if _child(rules, RulePage, slug) is None:
            page = rules.add_child(
                instance=RulePage(title=title, slug=slug, summary=summary, body=body, issued_by=ISSUER, live=False)
            )
            _publish(page, "首次公布。")
            created += 1
    if _child(rules, RulePage, "tou-su-zhi-du") is None:
        page = rules.add_child(
            instance=RulePage(
                title="投诉处理制度",
                slug="tou-su-zhi-du",
                summary="投诉人信息保密；一般投诉次一个工作日内答复，复杂投诉 5 个工作日内答复。",
                body=COMPLAINT_RULE_V1,
                issued_by=ISSUER,
                live=False,
            )
        )
        _publish(page, "首次公布。")
        page = RulePage.objects.get(pk=page.pk)
        page.body = COMPLAINT_RULE_V2
        _publish(
            page,
            "开通网上投诉；答复时限改按工作日计算（一般投诉次一个工作日、复杂投诉 5 个工作日），明确投诉人信息保密范围。",
        )
        created += 1

    notices = _child(home, NoticeIndexPage, "notices")
    if notices is None:
        notices = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
        created += 1
    for slug, title, date, body in NOTICES:
        if _child(notices, NoticePage, slug) is None:
            page = notices.add_child(
                instance=NoticePage(title=title, slug=slug, date=date, body=body, issued_by=ISSUER, live=False)
            )
            _publish(page)
            created += 1

    if StatisticsPage.objects.first() is None:
        home.add_child(
            instance=StatisticsPage(
                title="统计公开",
                slug="statistics",
                intro="<p>各大厅在办事项、投诉受理与按时答复、群众满意率，按大厅和按月公开。</p>",
            )
        )
        created += 1
    if HallMapPage.objects.first() is None:
        home.add_child(
            instance=HallMapPage(
                title="服务地图",
                slug="hall-map",
                intro="<p>县、乡、村三级政务服务网络的全部大厅：地址、办公时间、咨询电话和可办事项。</p>",
            )
        )
        created += 1
    return created


@transaction.atomic
def load_sample_activity(months=6, seed=2026, today=None):
    """Sample ratings and complaints over the last `months` months so the statistics have something to show.

    Marked as sample data in every text and recorded as SampleRating / SampleComplaint, so the public
    statistics page says its figures include 演示数据; returns (ratings, complaints) created, (0, 0)
    when the sample is there already. Run it only on a demo portal: the complaints appear in the
    handlers' queue.
    """
    from cases import codes
    from complaints.models import Category, Complaint, Complexity, Status
    from content.workdays import add_working_days
    from ratings.models import FollowUp, Rating

    if Rating.objects.filter(view_nonce__startswith=f"sample-{seed}-").exists():
        return 0, 0
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    today = today or timezone.localdate()
    halls = list(HallPage.objects.live().order_by("path"))
    services = list(ServicePage.objects.live().prefetch_related("service_halls__hall")[:40])
    if not halls or not services:
        return 0, 0
    ratings = complaints = 0
    start = today - datetime.timedelta(days=30 * months)
    for day_offset in range((today - start).days + 1):
        day = start + datetime.timedelta(days=day_offset)
        for _n in range(rng.randint(0, 4)):
            service = rng.choice(services)
            link = service.service_halls.all()[0] if service.service_halls.all() else None
            hall = link.hall if link else rng.choice(halls)
            score = rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 8, 5, 2])[0]
            when = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 7), rng.randint(0, 59)))
            )
            rating = Rating.objects.create(
                page=service,
                page_title=service.title,
                hall=hall,
                score=score,
                comment="（演示数据）" if score >= 3 else "（演示数据）窗口排队时间较长。",
                view_nonce=f"sample-{seed}-{day.isoformat()}-{ratings}",
                created_at=when,
            )
            SampleRating.objects.create(rating=rating)
            if rating.is_bad:
                FollowUp.objects.create(rating=rating, opened_at=when)
            ratings += 1
        if rng.random() < 0.12:
            hall = rng.choice(halls)
            complexity = Complexity.COMPLEX if rng.random() < 0.3 else Complexity.ORDINARY
            received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, rng.randint(0, 59))))
            due = add_working_days(day, settings.COMPLAINTS_WORKING_DAYS[complexity])
            replied = None
            if due < today or rng.random() < 0.5:
                late = rng.random() < 0.1
                reply_day = (
                    due + datetime.timedelta(days=2) if late else day + datetime.timedelta(days=rng.randint(0, 1))
                )
                if reply_day <= today:
                    replied = timezone.make_aware(datetime.datetime.combine(reply_day, datetime.time(16, 0)))
            complaint = Complaint.objects.create(
                tracking_code=codes.new_code("TS", day.year),
                hall=hall,
                category=rng.choice(Category.values),
                description="（演示数据）办理业务时等候时间过长，希望改进。",
                consented_at=received,
                received_at=received,
                complexity=complexity,
                due_on=due,
                status=Status.CLOSED if replied and due < today else (Status.REPLIED if replied else Status.RECEIVED),
                reply="（演示数据）经核实，已对窗口人员进行提醒，并增设了取号引导。" if replied else "",
                replied_at=replied,
                closed_at=replied if replied and due < today else None,
            )
            SampleComplaint.objects.create(complaint=complaint)
            complaints += 1
    return ratings, complaints
