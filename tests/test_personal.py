"""The personal-data guard: ID, mobile and bank card numbers in public content fail check."""

from __future__ import annotations

import pytest

from generator.content.personal import find
from tests.test_load import OK_FRONT, event, only

ID = "11010519491231002X"  # the standard's own example, valid check digit


def kinds(text: str) -> list[str]:
    return [f.kind for f in find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"身份证 {ID}", ["身份证号"]),
        (f"身份证 {ID.lower()}", ["身份证号"]),
        ("身份证 110105194912310021", []),  # wrong check digit
        ("旧身份证 110105491231002", ["身份证号（15位）"]),
        ("电话 13812345678", ["手机号"]),
        ("电话 +86 138-1234-5678", ["手机号"]),
        ("电话 １３８１２３４５６７８", ["手机号"]),  # full-width digits
        ("办公电话 0731-84512345", []),
        ("卡号 6222 0212 3456 7890 128", ["银行卡号/账号"]),
        ("4111111111111111", ["银行卡号"]),  # Luhn-valid, 16 digits
        ("4111111111111112", []),  # not Luhn-valid
        ("2023年共有4078名，3574名", []),
        ("12348 法律援助热线", []),
    ],
)
def test_finds(text, expected):
    assert kinds(text) == expected


def test_public_record_fails_with_masked_value(check):
    run = check(
        {
            "events/x.md": event(
                OK_FRONT + "summary: 联系 13812345678\n", "正文\n身份证 " + ID + "\n"
            )
        }
    )
    lines = only(run, "content/events/x.md")
    assert run.code == 1
    assert lines[0].startswith("content/events/x.md:5: 公开内容里有手机号 138******78：")
    assert lines[1].startswith("content/events/x.md:8: 公开内容里有身份证号 110*************2X：")


def test_internal_fields_and_sections_may_hold_numbers(check):
    front = OK_FRONT + "internal:\n  contacts:\n    - name: 某科\n      phone: 13812345678\n"
    run = check({"events/x.md": event(front, "公开\n\n::: internal\n" + ID + "\n:::\n")})
    assert run.code == 0, run.output


def test_internal_records_may_hold_numbers(check):
    run = check(
        {
            "events/x.md": event(
                "title: 内\nvisibility: internal\ndate: 2024-01-05\n", "电话 13812345678\n"
            )
        }
    )
    assert run.code == 0, run.output


def test_one_deliberate_number_can_be_allowed(check):
    front = OK_FRONT + 'public_numbers: ["138 1234 5678"]\n'
    run = check({"events/x.md": event(front, "热线 13812345678，另一个 13912345678\n")})
    lines = only(run, "content/events/x.md")
    assert len(lines) == 1 and "139******78" in lines[0]
