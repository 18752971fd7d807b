import pytest

from clt.numerals import cn2int, int2cn, is_numeral


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零一", 101), ("一百一十", 110),
    ("一千二百六十", 1260), ("一千零一", 1001), ("两百", 200), ("二〇二〇", 2020), ("一九九五", 1995),
    ("12", 12), ("１２", 12), ("一万零一", 10001), ("壹佰", 100),
])
def test_cn2int(text, value):
    assert cn2int(text) == value


@pytest.mark.parametrize("value,text", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (101, "一百零一"), (110, "一百一十"),
    (1260, "一千二百六十"), (1010, "一千零一十"), (287, "二百八十七"),
])
def test_int2cn_uses_the_forms_legislation_prints(value, text):
    assert int2cn(value) == text


def test_round_trip_up_to_two_thousand():
    for n in range(1, 2001):
        assert cn2int(int2cn(n)) == n


def test_not_a_numeral():
    assert not is_numeral("条例")
    with pytest.raises(ValueError):
        cn2int("")
