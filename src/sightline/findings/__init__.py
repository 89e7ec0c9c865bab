"""Findings: coded responses in; figures, headline sentences, the per-authority table and the
published bundle out. Plain Python, no web framework."""

from sightline.findings.coded import CodedInputError, CodedResponse, parse_coded_csv, read_coded_csv
from sightline.findings.engine import Findings, FindingsError, compute_findings, percent_of
from sightline.findings.spec import FindingsSpec, SpecError, default_spec, load_spec

__all__ = [
    "CodedInputError",
    "CodedResponse",
    "Findings",
    "FindingsError",
    "FindingsSpec",
    "SpecError",
    "compute_findings",
    "default_spec",
    "load_spec",
    "parse_coded_csv",
    "percent_of",
    "read_coded_csv",
]
