"""Decoding text in the encodings Chinese legal text comes in.

Government sites and archives still publish GB2312/GBK/GB18030 and Big5 text
files, and Windows tools write UTF-16 with a BOM.  :func:`decode_bytes` turns
bytes into ``str`` using, in order: a forced encoding, a byte-order mark,
strict UTF-8, and the ``charset-normalizer`` detector restricted to the
encodings Chinese text is actually published in.
"""

import codecs

from clt.errors import DecodeError

#: encodings tried by the detector, most common first.  GB18030 is a superset
#: of GB2312 and GBK, so it stands for all three.
CHINESE_ENCODINGS = ("gb18030", "big5", "big5hkscs")
#: UTF-16 is found by its BOM or its NUL bytes (:func:`_utf16_without_bom`), never
#: guessed by the detector: a short GB18030 line such as 承办单位主要职责: was
#: taken for UTF-16 text.

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

HINT = "try --encoding gb18030, --encoding big5 or --encoding utf-16"


def sniff_bom(data):
    """The encoding named by a byte-order mark at the start of *data*, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _common_char(ch):
    """A character Chinese legal text is made of: ASCII, CJK ideographs, CJK
    and full-width punctuation, general punctuation."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\r\n\t\f" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0x3400 <= o <= 0x4DBF
            or 0xA0 <= o <= 0xFF)


def _utf16_without_bom(data):
    """UTF-16 text without a BOM (some Windows and Java tools write it).

    Chinese text in GB18030, Big5 or UTF-8 has no NUL byte; in UTF-16 every
    ASCII character (newline, digit) and some CJK ones (U+3000, 一 U+4E00)
    have one.  So: when the sample has NUL bytes, the byte order in which it
    decodes to the characters Chinese text is made of wins.
    """
    sample = data[:8192]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            try:
                text = sample[:-2].decode(enc)  # the sample may end inside a surrogate pair
            except UnicodeDecodeError:
                continue
        if text and sum(map(_common_char, text)) >= 0.9 * len(text):
            return enc
    return None


def detect_encoding(data):
    """Best guess at the encoding of *data* (bytes); None when nothing fits."""
    bom = sniff_bom(data)
    if bom:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    u16 = _utf16_without_bom(data)
    if u16:
        return u16
    if b"\x00" in data[:8192]:
        return None  # binary
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is not None:
        return best.encoding
    # too little text for the detector to be sure: strict GB18030, then Big5
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if all(ch.isprintable() or ch in "\r\n\t\f" for ch in text):
            return enc
    return None


def decode_bytes(data, encoding=None, source=None):
    """Decode *data*; return ``(text, encoding)``.

    Raises :class:`DecodeError` naming *source* and suggesting ``--encoding``
    when the bytes are not text in a supported encoding.
    """
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise DecodeError(f"unknown encoding {encoding!r}", source=source) from None
        if not getattr(info, "_is_text_encoding", True):
            # rot13, hex, base64, zlib...: codecs.lookup knows them, bytes.decode refuses them
            raise DecodeError(f"{encoding!r} is not a text encoding", source=source,
                              hint="give a character encoding such as gb18030, big5 or utf-16")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise DecodeError(
                f"not valid {encoding} (byte {e.start})", source=source, line=line, hint=HINT
            ) from None
        except (UnicodeError, LookupError, ValueError, TypeError) as e:
            raise DecodeError(f"cannot decode as {encoding}: {e}", source=source, hint=HINT) from None
        return _strip_bom(text), encoding
    enc = detect_encoding(data)
    if enc is None:
        raise DecodeError("cannot decode: not text in UTF-8, GB18030, Big5 or UTF-16",
                          source=source, hint=HINT)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:  # detector guessed wrong
        line = data[: e.start].count(b"\n") + 1
        raise DecodeError(f"cannot decode as {enc}", source=source, line=line, hint=HINT) from None
    return _strip_bom(text), enc


def _strip_bom(text):
    return text[1:] if text.startswith("\ufeff") else text
