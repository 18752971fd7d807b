"""clt's pdfminer device makes each glyph's Char without pdfminer's LTChar (issue 14).

_Device.render_char repeats the geometry of PDFLayoutAnalyzer.render_char and
LTChar.__init__ (the advance, the box from the font's descent or vertical
displacement, the matrix, the size) for the pdfminer.six release it was
written against; these tests hold it to the LTChar path on horizontal and
vertical fonts, rotated, mirrored and sheared matrices, and undefined glyphs,
and the whole extract to the same records.
"""

import itertools
import json

import pytest
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager

from clt.extract import pdf_miner
from conftest import FIXTURES

pytestmark = pytest.mark.skipif(not pdf_miner._DIRECT_CHARS,
                                reason="another pdfminer.six release: LTChar is used as it is")


class Font:
    def __init__(self, vertical, disp=(None, 880), descent=-0.12, width=1.0):
        self.vertical, self.disp, self.descent, self.width = vertical, disp, descent, width
        self.fontname = self.basefont = "ABCDEF+SimSun-Bold" if vertical else "FangSong"
        self.descriptor = {"FontWeight": 400, "Flags": 4}

    def is_vertical(self):
        return self.vertical

    def to_unichr(self, cid):
        if cid == 0:
            raise PDFUnicodeNotDefined(None, cid)
        return chr(0x4e00 + cid)

    def char_width(self, cid):
        return self.width * (0.5 if cid % 3 == 0 else 1.0)

    def char_disp(self, cid):
        return self.disp if self.vertical else 0

    def get_descent(self):
        return self.descent


class Page:
    mediabox = (0, 0, 595.28, 841.89)
    pageid = 1
    rotate = 0


def chars(direct, font, matrix, fontsize, scaling, rise, cid, render=0):
    pdf_miner._DIRECT_CHARS = direct
    dev = pdf_miner._Device(PDFResourceManager())
    dev.begin_page(Page(), (1, 0, 0, 1, 0, 0))
    dev._render = render
    adv = dev.render_char(matrix, font, fontsize, scaling, rise, cid, None, None)
    (c,) = dev.chars
    return adv, [getattr(c, k) for k in c.__slots__ if hasattr(c, k)]


MATRICES = [(1, 0, 0, 1, 72, 700), (10.5, 0, 0, 10.5, 100.25, 500.5), (0, 1, -1, 0, 300, 300),
            (-1, 0, 0, -1, 500, 100), (1, 0, 0.2, 1, 50, 50), (0.7071, 0.7071, -0.7071, 0.7071, 200, 400),
            (1, 0, 0, -1, 10, 10), (-2, 0, 0, 2, 300, 20)]
FONTS = [Font(False), Font(False, descent=0.0), Font(False, descent=-0.3, width=0.5), Font(True),
         Font(True, disp=(500, 880)), Font(True, disp=(None, 1000), width=0.5)]


@pytest.mark.parametrize("font,matrix", list(itertools.product(FONTS, MATRICES)))
def test_a_glyph_is_the_char_ltchar_gave(font, matrix, monkeypatch):
    monkeypatch.setattr(pdf_miner, "_DIRECT_CHARS", pdf_miner._DIRECT_CHARS)
    for fontsize, scaling, rise, cid, render in [(12, 1.0, 0, 5, 0), (1, 0.9, 2.5, 0, 2), (9.75, 1.2, -1, 3, 3)]:
        got = chars(True, font, matrix, fontsize, scaling, rise, cid, render)
        want = chars(False, font, matrix, fontsize, scaling, rise, cid, render)
        assert got == want


@pytest.mark.parametrize("name", ["bulletin.pdf", "twocol.pdf", "old-typeset.pdf", "partly-unmapped.pdf",
                                  "browser-print.pdf"])
def test_extract_gives_the_same_records_either_way(name, monkeypatch):
    from clt.extract import extract_one

    path = f"{FIXTURES}/extract/{name}"
    monkeypatch.setattr(pdf_miner, "_DIRECT_CHARS", True)
    direct = [json.dumps(r, ensure_ascii=False) for r in extract_one(path, ocr="never", max_page_seconds=0,
                                                                      max_page_mb=0)]
    monkeypatch.setattr(pdf_miner, "_DIRECT_CHARS", False)
    ltchar = [json.dumps(r, ensure_ascii=False) for r in extract_one(path, ocr="never", max_page_seconds=0,
                                                                      max_page_mb=0)]
    assert direct == ltchar and any('"type": "line"' in r for r in direct)


class MultiFont(Font):
    """A horizontal font whose strings decode two bytes a glyph (a CID font), or one."""

    def __init__(self, multibyte, **kw):
        super().__init__(False, **kw)
        self.multibyte = multibyte

    def is_multibyte(self):
        return self.multibyte

    def decode(self, data):
        if self.multibyte:
            return [data[i] * 256 + data[i + 1] for i in range(0, len(data) - 1, 2)]
        return list(data)


def strings(direct, font, seq, tm=(1, 0, 0, 1, 0, 0), ctm=(1, 0, 0, 1, 0, 0), **state):
    from pdfminer.pdfinterp import PDFTextState

    pdf_miner._DIRECT_CHARS = direct
    dev = pdf_miner._Device(PDFResourceManager())
    dev.begin_page(Page(), ctm)
    dev.ctm = ctm
    ts = PDFTextState()
    ts.font, ts.fontsize, ts.matrix, ts.linematrix = font, state.get("fontsize", 10.5), tm, (3.0, 7.5)
    ts.charspace, ts.wordspace, ts.scaling = state.get("charspace", 0), state.get("wordspace", 0), \
        state.get("scaling", 100)
    ts.rise, ts.render = state.get("rise", 0), state.get("render", 0)
    dev.render_string(ts, seq, None, None)
    return ts.linematrix, [[getattr(c, k) for k in c.__slots__ if hasattr(c, k)] for c in dev.chars]


SEQS = [[b"abc"], [b"ab", -250, b" c", 120.5, b"\x00\x20\x01"], [b"\x4e\x00\x00\x20\x4e\x8c"], [],
        [b"", 3, b"x"]]


@pytest.mark.parametrize("multibyte", [False, True])
@pytest.mark.parametrize("tm", [(1, 0, 0, 1, 0, 0), (12, 0, 0, 12, 100.5, 700.25), (0, 1, -1, 0, 300, 20),
                                (-1, 0, 0, -1, 400, 400), (1, 0, 0.3, 1, 5, 5)])
def test_a_string_gives_the_chars_and_position_pdfminers_loop_gave(multibyte, tm, monkeypatch):
    monkeypatch.setattr(pdf_miner, "_DIRECT_CHARS", pdf_miner._DIRECT_CHARS)
    font = MultiFont(multibyte, descent=-0.2)
    for seq in SEQS:
        for state in [{}, {"charspace": 1.5, "wordspace": 4, "scaling": 90, "rise": 2},
                      {"render": 3, "fontsize": 1}, {"render": 2, "wordspace": -1}]:
            for ctm in [(1, 0, 0, 1, 0, 0), (0.5, 0, 0, 0.5, 10, 10), (0, -1, 1, 0, 0, 841.89)]:
                got = strings(True, font, seq, tm, ctm, **state)
                want = strings(False, font, seq, tm, ctm, **state)
                assert got == want, (seq, state, ctm)


def test_an_object_that_is_no_string_nor_number_is_warned_about_alike(monkeypatch, caplog):
    monkeypatch.setattr(pdf_miner, "_DIRECT_CHARS", pdf_miner._DIRECT_CHARS)
    font = MultiFont(False)
    with caplog.at_level("WARNING", logger="pdfminer.pdfdevice"):
        got = strings(True, font, [b"a", None, b"b"])
        first = [r.getMessage() for r in caplog.records]
        caplog.clear()
        want = strings(False, font, [b"a", None, b"b"])
        second = [r.getMessage() for r in caplog.records]
    assert got == want and first == second and len(first) == 1
