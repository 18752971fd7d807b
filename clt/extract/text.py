"""Plain text -> records: the foundation's decoder and line records.

A form feed is a page break (``pdftotext`` writes one per page); every line
is kept, blank ones too.  See :func:`clt.records.text_line_records`.
"""

from clt.records import text_line_records
from clt.textio import decode_bytes


def extract_text(data, name, encoding=None):
    """Records of one plain-text document given as bytes."""
    text, enc = decode_bytes(data, encoding, source=name)
    yield from text_line_records(text, name, "text", encoding=enc)
