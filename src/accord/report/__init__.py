"""Presenting analyses: stable JSON summaries (and, later, HTML reports and figures)."""

from accord.report.describe import Describer
from accord.report.summary import SCHEMA, analysis_to_dict

__all__ = ["SCHEMA", "Describer", "analysis_to_dict"]
