"""``clt split``: the structure and metadata of every law in a record stream.

:func:`split` turns ``para`` records (from ``clt normalize``), raw ``line``
records or plain text (one paragraph per line) and LawRefBook-style Markdown
into ``document`` / ``block`` / ``heading`` / ``article`` / ``warning`` /
``document_end`` records; see :mod:`clt.split.structure` and clt-records(5).
"""

from clt.split.caption import parse_caption, parse_notice
from clt.split.structure import LEVELS, Splitter, split

__all__ = ["split", "Splitter", "LEVELS", "parse_caption", "parse_notice"]
