"""Editing window staff (窗口人员) for the hall's photo board (阳光台).

Every hall numbers its windows from 1, so two halls both have a “1号窗口 综合代办窗口”: the editor must see
which hall a window belongs to, may only seat a person at a window of their own hall, and is warned before
a save leaves a window with nobody on duty (the board then stops showing that window).
"""

import html
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase

from content.models import HallLevel, StaffMember
from tests.factories import DepartmentFactory, HallFactory, StaffMemberFactory, WindowFactory

ADD_URL = "/admin/snippets/content/staffmember/add/"


def edit_url(member):
    return f"/admin/snippets/content/staffmember/edit/{member.pk}/"


def window_options(response):
    """(value, label) of every option of the window select in the rendered form."""
    select = re.search(r'<select name="window"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    assert select, "the form has no window select"
    options = re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), re.S)
    return [(value, html.unescape(label.strip())) for value, label in options]


def form_data(member, **changes):
    data = {
        "staff_id": member.staff_id,
        "name": member.name,
        "hall": member.hall_id,
        "window": member.window_id or "",
        "department": member.department_id,
        "position": member.position,
        "post": member.post,
        "duties": member.duties,
        "phone": member.phone,
        "photo": "",
        "left_on": "",
    }
    if member.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class StaffEditingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        cls.county = HallFactory(title="县政务服务中心", level=HallLevel.COUNTY)
        cls.town = HallFactory(title="三都镇政务服务中心")
        cls.county_window = WindowFactory(hall=cls.county, number="1", name="综合代办窗口", sort_order=0)
        cls.town_window = WindowFactory(hall=cls.town, number="1", name="综合代办窗口", sort_order=0)
        cls.town_second = WindowFactory(hall=cls.town, number="2", name="社会事务窗口", sort_order=1)
        cls.department = DepartmentFactory(name="镇社会事务办")
        cls.only = StaffMemberFactory(
            name="刘建华", hall=cls.town, window=cls.town_window, department=cls.department, staff_id="S-1"
        )

    def setUp(self):
        self.client.force_login(self.admin)

    # 1. The window list names the hall and offers only the member's hall.

    def test_window_list_offers_only_the_members_hall_labelled_with_the_hall(self):
        options = window_options(self.client.get(edit_url(self.only)))
        self.assertEqual(
            options[1:],
            [
                (str(self.town_window.pk), "三都镇政务服务中心 · 1号窗口 综合代办窗口"),
                (str(self.town_second.pk), "三都镇政务服务中心 · 2号窗口 社会事务窗口"),
            ],
        )

    def test_new_member_sees_every_window_labelled_with_its_hall(self):
        labels = [label for _value, label in window_options(self.client.get(ADD_URL))[1:]]
        self.assertIn("县政务服务中心 · 1号窗口 综合代办窗口", labels)
        self.assertIn("三都镇政务服务中心 · 1号窗口 综合代办窗口", labels)
        self.assertEqual(len(labels), len(set(labels)))

    # 2. A window of another hall is refused, with a message that says why.

    def test_window_of_another_hall_is_refused_in_chinese(self):
        response = self.client.post(edit_url(self.only), form_data(self.only, window=self.county_window.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("“县政务服务中心 · 1号窗口 综合代办窗口”不是三都镇政务服务中心的窗口", response.content.decode())
        self.only.refresh_from_db()
        self.assertEqual(self.only.window, self.town_window)

    def test_the_model_refuses_a_window_of_another_hall_too(self):
        member = StaffMember(
            staff_id="S-9",
            name="王芳",
            hall=self.town,
            window=self.county_window,
            department=self.department,
            position="窗口工作人员",
        )
        with self.assertRaises(ValidationError) as raised:
            member.full_clean()
        self.assertIn("window", raised.exception.message_dict)

    # 3. Leaving a window with nobody on duty asks first, and says what the board will show.

    def test_marking_the_last_person_as_left_warns_before_saving(self):
        response = self.client.post(edit_url(self.only), form_data(self.only, is_active=None, left_on="2026-11-30"))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("保存后，“1号窗口 综合代办窗口”将没有在岗人员", page)
        self.assertIn("阳光台上将不再显示这个窗口", page)
        self.assertIn('<input type="checkbox" name="confirm_empty_window"', page)
        self.only.refresh_from_db()
        self.assertTrue(self.only.is_active)

        confirmed = form_data(self.only, is_active=None, left_on="2026-11-30", confirm_empty_window="on")
        response = self.client.post(edit_url(self.only), confirmed)
        self.assertEqual(response.status_code, 302)
        self.only.refresh_from_db()
        self.assertFalse(self.only.is_active)

    def test_moving_the_last_person_to_another_window_warns(self):
        response = self.client.post(edit_url(self.only), form_data(self.only, window=self.town_second.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("将没有在岗人员", response.content.decode())
        self.only.refresh_from_db()
        self.assertEqual(self.only.window, self.town_window)

    def test_no_warning_while_someone_else_stays_at_the_window(self):
        StaffMemberFactory(name="资丽芳", hall=self.town, window=self.town_window, post="B")
        response = self.client.post(edit_url(self.only), form_data(self.only, is_active=None))
        self.assertEqual(response.status_code, 302)
        self.only.refresh_from_db()
        self.assertFalse(self.only.is_active)

    def test_an_ordinary_edit_saves_without_a_question(self):
        page = self.client.get(edit_url(self.only)).content.decode()
        self.assertNotIn("仍然保存", page)
        response = self.client.post(edit_url(self.only), form_data(self.only, phone="0734-1234567"))
        self.assertEqual(response.status_code, 302)
        self.only.refresh_from_db()
        self.assertEqual(self.only.phone, "0734-1234567")
