"""mlops-conformance: contract tests for MLOps platform REST APIs.

The public surface is small on purpose: load a contract, and the error types.
"""

from .contract import Contract, Operation, load_contracts
from .errors import (
    ConformanceError,
    ContractError,
    ExtractionError,
    ReportError,
    TargetError,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "ConformanceError",
    "Contract",
    "ContractError",
    "ExtractionError",
    "Operation",
    "ReportError",
    "TargetError",
    "UsageError",
    "__version__",
    "load_contracts",
]
