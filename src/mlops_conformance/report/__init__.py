"""Reports on a run: the HTML matrix, run history, release comparison, contract diff, allure extras.

Everything reads the stable ``summary.json`` format (DESIGN.md, "Checks and verdicts") through
``load_summary``; the run command calls ``append_history``, ``write_html`` and
``allure_environment`` after every run.
"""

from .allure import allure_environment
from .compare import Comparison, compare
from .coverage import OperationCoverage, compute_coverage
from .diff_contract import diff_contracts, load_contract_file
from .diff_schema import Change
from .history import append_history
from .page import render_report, write_html
from .summary import FAMILIES, VERDICTS, Row, Summary, family_of, load_summary, parse_summary

__all__ = [
    "FAMILIES",
    "VERDICTS",
    "Change",
    "Comparison",
    "OperationCoverage",
    "Row",
    "Summary",
    "allure_environment",
    "append_history",
    "compare",
    "compute_coverage",
    "diff_contracts",
    "family_of",
    "load_contract_file",
    "load_summary",
    "parse_summary",
    "render_report",
    "write_html",
]
