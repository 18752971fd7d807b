"""The registry of normalize rules.

Every change ``normalize`` makes to the text belongs to a named rule; every
rule can be switched off (``disable=("cjk-space",)``, ``--disable cjk-space``)
and is listed by ``clt normalize --list-rules``.  The name of the rule is what
appears as ``rule`` in a ``para``'s ``edits`` and in ``removed`` records.
"""

from collections import OrderedDict

from clt.errors import UsageError

#: name -> (family, description); in the order they apply
RULES = OrderedDict([
    # furniture (removed records)
    ("page-number", ("furniture", "Remove page numbers (— 3 —, - 3 -, －3－, ·3·, 第 3 页, 第3页 共9页, "
                                  "bare 3) found at a page's top or bottom edge.")),
    ("running-header", ("furniture", "Remove running headers/footers: lines at a page's edge (or in its "
                                     "margin band) that repeat on other pages, digits ignored.")),
    ("print-furniture", ("furniture", "Remove what a browser or e-book reader prints on every page, at the "
                                      "page's edge: the print date and time (2024/5/6 10:21), the URL or "
                                      "file:// path, a page count (1/40, 页码，1/40, 第2页,共6页) — alone or "
                                      "beside the page's or book's title.")),
    ("page-noise", ("furniture", "Remove scraps of one to three characters (no punctuation, no label) "
                                 "below a page's last text line, and lines of marks only (vv-一 -一 \\一): a scan's stamps "
                                 "and misread page numbers.")),
    ("dup-line", ("furniture", "Remove a line that repeats the line before it, or the end of the "
                               "paragraph before it, word for word (a line printed twice).")),
    ("item-bullet", ("furniture", "Remove the bullet (• · ● ▪) a reader edition prints before every 项 "
                                  "or article label; the label and its text are kept.")),
    # paragraphs (edits)
    ("dup-fragment", ("paragraphs", "Remove the start of a line that repeats the end of the line before "
                                    "it across a page or broken-line join (实现数据线 / 线上线下).")),
    ("line-join", ("paragraphs", "Join a paragraph's printed lines: no space between CJK characters, "
                                 "one space between Latin words (recorded only when a space is inserted).")),
    ("reading-order", ("paragraphs", "Plain text only: put back what pdftotext printed out of order around "
                                     "a label's wide gap — a chapter title after the next article's label "
                                     "(第二章 / 第三条 / 总则), an article label above its headings.")),
    # OCR repairs (edits; lines marked ocr: true only, see clt.normalize.ocr)
    ("ocr-zero", ("ocr", "OCR'd lines only: O, o, 0 or ○ in a year of Chinese numerals "
                         "(二O一四年, 二○一四年) to 〇.")),
    ("ocr-digit-space", ("ocr", "OCR'd lines only: close up the spaces OCR puts inside a number "
                                "next to Chinese text (2 024年 → 2024年).")),
    ("ocr-end-mark", ("ocr", "OCR'd lines only: write the mark (。；，) that extract found in the image just "
                             "after a line's last character, outside the box the OCR engine read "
                             "(the line's end_mark: read again, high confidence).")),
    ("ocr-lead-noise", ("ocr", "OCR'd lines only: remove one to three marks (. ， · _) before an "
                               "article or heading label at a line's start (a speck read as text).")),
    ("ocr-item-paren", ("ocr", "OCR'd lines only: put back the （ OCR lost before a 项 label at a line's "
                               "start (二） after （一）), when the numbering proves the label.")),
    # character repairs (edits)
    ("radicals", ("chars", "Kangxi radicals (U+2F00–U+2FD5) and CJK Radicals Supplement (U+2E80–U+2EF3) "
                           "to the unified ideographs they stand for.")),
    ("compat-ideographs", ("chars", "CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) to their "
                                    "canonical unified forms.")),
    ("private-use", ("chars", "Report private-use characters (a font's own glyphs) with a warning; "
                              "the character is kept.")),
    ("fullwidth-alnum", ("chars", "Full-width digits and Latin letters (０-９Ａ-Ｚａ-ｚ) to half-width.")),
    ("punct-width", ("chars", "Half-width , ; : ( ) ! ? to full-width in Chinese context only "
                              "(never between digits, inside Latin text or in 1. item labels).")),
    ("cjk-space", ("chars", "Remove spaces between CJK characters, CJK punctuation and digits "
                            "(letter-spaced 总　　则, LibreOffice's 2022 年); spaces between Latin words kept.")),
    ("ocr-paren", ("labels", "A closing ） with no opening one, after an unclosed 《 〈 “ that OCR "
                             "read for （: the opener becomes （.")),
    ("ocr-stray", ("labels", "Remove OCR's stray mark after an article label (第一条 ” → 第一条　; "
                             "on OCR'd paragraphs a glued : or ; too).")),
    ("label-noise", ("labels", "Close up OCR noise inside an article label (第二  -条) when the "
                               "numbering sequence proves the label.")),
    ("missing-di", ("labels", "Restore 第 lost before an article/chapter label (十二条 → 第十二条) when "
                              "the numbering sequence proves it.")),
    ("label-space", ("labels", "Separate an article or heading label from its text by exactly one "
                               "ideographic space (第一条　…, 第一章　总则); a colon a typed text "
                               "puts after the label (第一条：…) is kept, with no space.")),
    ("convert", ("script", "OpenCC script conversion (only with convert=/--convert).")),
])


def list_rules():
    """[(name, family, description)] of every rule, in the order they apply."""
    return [(name, fam, desc) for name, (fam, desc) in RULES.items()]


def check_disabled(disable):
    """The set of rule names in *disable* (names may be comma-separated); UsageError on unknown ones."""
    names = set()
    for item in disable or ():
        for name in str(item).split(","):
            name = name.strip()
            if not name:
                continue
            if name not in RULES:
                raise UsageError(f"unknown rule {name!r}", hint="see clt normalize --list-rules")
            names.add(name)
    return names
