"""What each of the portal's own groups may do, shown beside the group in the admin.

Django's Group has no description field. The portal's groups are made by its migrations (content 0007,
complaints 0002, questions 0002, assistance 0002, cases 0001) and its code already knows them by name (`complaints.kind.HANDLER_GROUP`), so their
descriptions live here, next to that knowledge, rather than in a table an editor could let drift from the
permissions. A group an administrator adds has no description; its permissions say what it may do.
"""

DESCRIPTIONS = {
    "编辑": "撰写和修改页面，上传图片和文档；修改后提交审核，由审核员发布。不能直接发布页面。",
    "审核员": "审核并发布编辑提交的页面，也可以自己修改、发布、锁定和解锁页面，管理图片和文档。",
    "投诉处理人员": "打开投诉处理队列并处理投诉、登记电话和来信投诉；只有这一组的成员能看到投诉人的姓名、电话和附件。",
    "咨询答复人员": "打开咨询队列，答复咨询、登记电话咨询，经提问人同意后把问答公开在办事指南上；只有这一组的成员能看到提问人的姓名和电话。",
    "帮办代办人员": "打开帮办代办队列，给代办申请分派本站代办员、更新进度（已受理、材料已收、已报送、已办结、已送达）、答复群众，登记电话和来访的代办申请；只有这一组的成员能看到申请人的姓名、电话和上门地址。",
    "中心负责人": "查看各类投诉、咨询和代办的队列，督办群众两次反馈未解决的事项。",
}


def description_of(group):
    return DESCRIPTIONS.get(group.name, "")
