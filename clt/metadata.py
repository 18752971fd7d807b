"""The metadata block a law database prints around a law.

The national database (国家法律法规数据库), 北大法宝 and the like print the law's
fields before its title or under it: ``发文单位：…``, ``发文字号：…``, ``【效力级别】法律``,
``发布日期：2023-06-28  实施日期：2024-01-01``; a web page prints its article line
(``发布时间：2021-06-01 09:30　来源：市人大常委会　浏览次数：1234``).  They are the database's
(the site's), not the
law's: normalize keeps each on a paragraph of its own, split keeps them as the
document's ``metadata`` (and a ``metadata`` block), never as title or article text.
"""


from clt.labels import SPACES
from clt import recache


#: the fields a law database prints around a law (国家法律法规数据库, 北大法宝, 威科先行…):
#: 发文单位：…  发文字号：…  【效力级别】…
METADATA_FIELDS = ("发文单位|发文机关|制定机关|发布机关|发布部门|颁布机关|颁布单位|公布机关|批准机关|发文字号|发布文号|文号|"
                   "发布日期|公布日期|颁布日期|发文日期|批准日期|实施日期|施行日期|生效日期|失效日期|效力级别|效力位阶|"
                   "法律效力位阶|法律性质|时效性|时效状态|法规类别|法规分类|专题分类|唯一标志|"
                   # a web page's article line (人大 and government sites): 发布时间：…  来源：…  浏览次数：…
                   "发布时间|发表时间|更新时间|录入时间|信息来源|文章来源|来源|浏览次数|点击次数|点击数|阅读次数|"
                   "访问次数|责任编辑|编辑|作者")
METADATA_FIELD_RE = recache.compile(rf"(?:【(?P<b>{METADATA_FIELDS})】|(?P<f>{METADATA_FIELDS})"
                               r"[ \u3000]*[:：])[ \u3000]*")


def metadata_fields(text):
    """``{field: value}`` when *text* is a line of a law database's metadata block
    (``发布日期：2023-06-28  实施日期：2024-01-01``, ``【效力级别】法律``), else None."""
    s = text.strip(SPACES)
    if METADATA_FIELD_RE.match(s) is None:  # the first field opens the line (most lines: no field)
        return None
    ms = list(METADATA_FIELD_RE.finditer(s))
    if not ms or ms[0].start() != 0:
        return None
    out = {}
    for m, nxt in zip(ms, ms[1:] + [None]):
        value = s[m.end():nxt.start() if nxt else len(s)].strip(SPACES)
        if len(value) > 60 or (value and value[-1] in "。；"):
            return None   # a sentence, not a field's value
        out[m.group("b") or m.group("f")] = value
    return out
