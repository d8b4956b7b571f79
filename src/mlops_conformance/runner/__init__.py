"""Run orchestration below the plugin: the client, samples, walks, lifecycles, verdicts, summaries.

The pytest-facing pieces are ``verdicts`` (a test's outcome from its verdict) and ``reporting``
(rows from reports, ``summary.json``); the rest knows nothing of pytest. Kept import-free, because
the plugin module imports it in every pytest session of the environment.
"""

CASE = "conformance_case"  # the parametrised argument of every suite test
