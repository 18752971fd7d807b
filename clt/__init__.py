"""clt — a toolkit for Chinese legislative text.

The library is organised by pipeline stage; every stage is a function over an
iterator of plain ``dict`` records (see ``clt.records`` and ``man/clt-records.5``):

    extract   -> ``line`` records (with ``source``/``page`` framing)
    normalize -> ``para`` records (plus ``removed`` audit records)
    split     -> ``document``/``heading``/``article``/... records
    diff      -> ``change`` records and a ``summary``
    convert   -> text in other formats

None of the stage modules import click; the command line lives in ``clt.cli``.
"""

__version__ = "0.1.0"
SCHEMA_VERSION = 1
