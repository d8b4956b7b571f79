"""``python -m mlops_conformance`` is the same as the ``mlops-conformance`` command."""

from .cli import main

main()
