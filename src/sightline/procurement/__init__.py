"""Procurement: what authorities spent with the suppliers of surveillance equipment.

Readers for Open Contracting (OCDS) releases and councils' "spending over £500" files, supplier
matching against a knowledge base of vendor families, and the figures.
Plain Python, no web framework.
"""

from sightline.procurement.model import ReadProblem, ReadResult, SpendFileError, SpendRecord

__all__ = ["ReadProblem", "ReadResult", "SpendFileError", "SpendRecord"]
