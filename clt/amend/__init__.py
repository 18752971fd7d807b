"""Applying amending instruments (修改决定, 修正案) to a law: see :mod:`clt.amend.apply`."""

from clt.amend.apply import AmendFailure, amend
from clt.amend.instrument import parse_instrument

__all__ = ["amend", "parse_instrument", "AmendFailure"]
