"""Chinese numerals as legislation writes them.

Article and heading labels count in Chinese numerals: 第一条, 第十条 (not
一十), 第一百零一条, 第一千二百六十条; older texts and scans also show 〇, 两
and the financial forms; 规范性文件 use Arabic or full-width digits (第1条).
"""


from clt import recache

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10000, "萬": 10000}

#: characters that may make up a Chinese numeral (for use inside a regex class)
CN_NUM_CHARS = "零〇○一二三四五六七八九十百千万萬两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"
#: a regex fragment matching one numeral: Chinese, Arabic or full-width digits
NUM_RE = f"(?:[{CN_NUM_CHARS}]+|[0-9０-９]+)"

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ARABIC = recache.compile(r"^[0-9０-９]+$")


def cn2int(s):
    """The integer a Chinese (or Arabic / full-width) numeral stands for.

    >>> cn2int("一千二百六十"), cn2int("一百零一"), cn2int("十二"), cn2int("二〇二〇")
    (1260, 101, 12, 2020)

    Raises ValueError for anything that is not a numeral.
    """
    if not s:
        raise ValueError("empty numeral")
    if _ARABIC.match(s):
        return int(s.translate(_FULLWIDTH))
    if all(ch in DIGITS for ch in s) and len(s) > 1:
        # digit by digit, as years are written: 二〇二〇
        return int("".join(str(DIGITS[ch]) for ch in s))
    total = 0     # completed 万 groups
    section = 0   # value below 万
    digit = None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            total += (section or 1) * BIG_UNITS[ch]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


_CN = "零一二三四五六七八九"


def int2cn(n):
    """The Chinese numeral legislation uses for *n* (1 → 一, 10 → 十, 101 → 一百零一)."""
    if n < 0:
        raise ValueError("negative numeral")
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        if not low:
            rest = ""
        elif low < 1000:
            rest = "零" + _under_10000(low)
        else:
            rest = _under_10000(low)
        return int2cn(high) + "万" + rest
    out = _under_10000(n)
    if out.startswith("一十"):
        out = out[1:]
    return out


def _under_10000(n):
    parts = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(_CN[d] + name)
        elif parts:
            zero = True
    return "".join(parts)


#: numerals read so far -> their value (or None); labels repeat the same few hundred
_TO_INT = {}
_TO_INT_MAX = 4096


def to_int(s):
    """:func:`cn2int` of *s*, or None when *s* is not a numeral."""
    cache = type(s) is str and len(s) <= 16
    if cache:
        v = _TO_INT.get(s, _TO_INT)
        if v is not _TO_INT:
            return v
    try:
        v = cn2int(s)
    except ValueError:
        v = None
    if cache:
        if len(_TO_INT) >= _TO_INT_MAX:
            _TO_INT.clear()
        _TO_INT[s] = v
    return v


def is_numeral(s):
    """True when *s* reads as a numeral by :func:`cn2int`."""
    return to_int(s) is not None
