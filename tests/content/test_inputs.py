"""content.inputs: the one parser for whole numbers from the outside, and model choices read with it."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import SimpleTestCase, TestCase

from content.inputs import BIGGEST, IdChoiceField, id_range, parse_id, parse_int
from content.models import Department, HallPage
from tests.factories import DepartmentFactory, HallFactory


class ParseIntTests(SimpleTestCase):
    def test_ascii_digits_in_range(self):
        self.assertEqual(parse_int("0"), 0)
        self.assertEqual(parse_int("0042"), 42)
        self.assertEqual(parse_int(str(BIGGEST)), BIGGEST)
        self.assertEqual(parse_int("7", minimum=1, maximum=7), 7)
        self.assertEqual(parse_int(12), 12)

    def test_anything_else_is_none(self):
        # Each of these int() reads as a number (or fails with ValueError, or makes the database overflow).
        for value in (
            "٣",
            "३",
            "３",
            "²",
            "1٢",
            " 3",
            "3 ",
            "+3",
            "-3",
            "1_000",
            "3.0",
            "",
            "\x003",
            "3\x00",
            None,
            True,
            1.0,
            b"3",
        ):
            self.assertIsNone(parse_int(value), repr(value))
        self.assertIsNone(parse_int(str(BIGGEST + 1)))
        self.assertIsNone(parse_int("9" * 5000))  # int() itself refuses more than 4300 digits
        self.assertIsNone(parse_int("0", minimum=1))
        self.assertIsNone(parse_int("101", maximum=100))


class IdTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory()
        cls.department = DepartmentFactory()

    def test_range_is_the_key_column_on_this_database(self):
        # A hall's key is a link to wagtailcore_page.id, an AutoField: 32 bits on PostgreSQL, 64 on SQLite.
        expected = connection.ops.integer_field_range("AutoField")[1] or BIGGEST
        self.assertEqual(id_range(HallPage), (0, min(expected, BIGGEST)))
        self.assertEqual(parse_id(str(self.hall.pk), HallPage), self.hall.pk)
        self.assertIsNone(parse_id(str(id_range(HallPage)[1] + 1), HallPage))

    def test_choice_field_refuses_other_digits_and_huge_ids(self):
        field = IdChoiceField(queryset=Department.objects.all())
        self.assertEqual(field.clean(str(self.department.pk)), self.department)
        self.assertEqual(field.clean(self.department), self.department)
        other_digits = str(self.department.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        for value in (other_digits, "9" * 25, str(2**63), "-1", f" {self.department.pk}"):
            with self.assertRaises(ValidationError) as caught:
                field.clean(value)
            self.assertEqual(caught.exception.code, "invalid_choice", repr(value))
            self.assertIn("选择一个有效的选项", caught.exception.messages[0])
