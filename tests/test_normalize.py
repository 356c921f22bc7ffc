import pytest

from compare.normalize import normalize_width, parse_chinese_integer, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("十二", 12), ("十", 10), ("一百零五", 105), ("一千二百", 1200), ("两千", 2000),
        ("三万五千", 35000), ("一亿二千万", 120_000_000), ("二〇二一", 2021), ("五十万", 500_000),
        ("百", 100), ("九十八", 98),
    ],
)
def test_chinese_integers(text, value):
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("1,234", 1234), ("１２３", 123), ("48.74", 48.74), ("十二点五", 12.5), ("５２１．１９", 521.19)],
)
def test_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_not_a_numeral():
    with pytest.raises(ValueError):
        parse_number("百分")


def test_width_normalization_keeps_offsets():
    raw = "共受理１２３件（其中不予受理５件）％，　完"
    norm = normalize_width(raw)
    assert len(norm) == len(raw)
    assert norm.index("123") == raw.index("１２３")
    assert "%" in norm and "(" in norm
    assert "，" in norm  # the clause comma stays full-width: it is not a thousands separator
