"""The search log's masking of personal numbers, in every way people write a phone number."""

from search.querylog import mask


def test_phone_numbers_are_masked_however_they_are_split():
    for written in ("13800001234", "138 0000 1234", "138-0000-1234", "138.0000.1234"):
        assert mask(f"电话 {written} 查询") == "电话 ＊ 查询", written


def test_short_numbers_and_decimals_stay():
    assert mask("12345 热线") == "12345 热线"
    assert mask("收费 1.5 元") == "收费 1.5 元"
