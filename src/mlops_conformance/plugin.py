"""pytest plugin (``pytest11`` entry point): options, fixtures and reports for the conformance suites.

The plugin is loaded in every pytest session of the environment, so it stays inert unless the
suites are being run: it activates only when a collected path lies in ``suites_dir()`` or the
configuration says ``conformance_suites = true`` (``suites/pytest.ini`` does). Inert, it only
registers its options; it never starts a mock, writes a report or touches other tests.

Active, it
* parametrises each suite module (marked ``conformance(<family>)``) with one case per vendor x
  operation x check, ids ``datarobot::GET /api/v2/useCases/::schema.response_body``;
* provides ``conformance_session`` (session scope: the embedded mock on a free port with a random
  token, or ``--target``; everything the run created is deleted when it ends) and ``conformance``
  (per test: produce the subject, judge it, record the row);
* routes pytest's junit XML (and, with ``--allure-results``, allure-pytest results) into
  ``--report-dir`` and writes
  ``summary.json`` there at the end (on the controller when running under pytest-xdist, whose
  ``--dist load`` it turns into ``loadgroup`` so that checks sharing one sample run on one worker);
* removes every secret of the run from reports before junit, allure or the terminal see them.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .errors import ConformanceError
from .runner import CASE

_STATE = pytest.StashKey[Any]()  # RunState, only while the suites run


def pytest_addoption(parser: pytest.Parser) -> None:
    from .runner.options import (
        DEFAULT_MAX_EXAMPLES,
        DEFAULT_MAX_RETRIES,
        DEFAULT_MAX_WAIT_S,
        DEFAULT_TIMEOUT_S,
    )

    group = parser.getgroup("mlops-conformance", "conformance suites (mlops-conformance)")
    group.addoption("--target", metavar="URL", help="server under test (default: the embedded mock)")
    group.addoption("--vendor", default="all", help="datarobot, domino, mlflow or all (default)")
    group.addoption(
        "--contract",
        action="append",
        default=[],
        metavar="[NAME=]FILE",
        help="check against this OpenAPI 3.0/3.1 document (JSON or YAML) instead of the bundled "
        "contracts; repeatable; without --target the embedded mock serves it",
    )
    group.addoption(
        "--token-env",
        metavar="NAME",
        help="environment variable holding the token (default: the vendor's own)",
    )
    group.addoption(
        "--allow-writes", action="store_true", help="allow writes against a --target (read-only otherwise)"
    )
    group.addoption(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        metavar="N",
        help="generated requests per operation",
    )
    group.addoption("--operations", metavar="REGEX", help="only operations whose id ('GET /path') matches")
    group.addoption("--tags", metavar="TAGS", help="only operations with one of these comma-separated tags")
    group.addoption(
        "--known-failures",
        metavar="FILE",
        help="YAML file of accepted failures (check, operation, reason, expires), or the name of a shipped one (mlflow)",
    )
    group.addoption(
        "--request-timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help="per-request timeout in seconds",
    )
    group.addoption(
        "--max-retries",
        type=int,
        default=DEFAULT_MAX_RETRIES,
        metavar="N",
        help="retries of a 429/503 answer, with backoff (0: never retry)",
    )
    group.addoption(
        "--max-wait",
        type=float,
        default=DEFAULT_MAX_WAIT_S,
        metavar="S",
        help="longest Retry-After waited for, in seconds (longer: give up at once)",
    )
    group.addoption(
        "--report-dir",
        default="reports",
        metavar="DIR",
        help="where junit.xml, allure-results/ and summary.json go",
    )
    group.addoption(
        "--ca-bundle", metavar="FILE", help="CA certificates (PEM) that sign the target's TLS certificate"
    )
    group.addoption(
        "--insecure",
        action="store_true",
        help="do not verify the target's TLS certificate (never in production)",
    )
    group.addoption("--cert", metavar="FILE", help="client certificate (PEM) for mutual TLS")
    group.addoption("--key", metavar="FILE", help="the client certificate's private key, if not in --cert")
    group.addoption(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra request header, repeatable (values are redacted like tokens)",
    )
    group.addoption("--rate-limit", metavar="N/s", help="send at most N requests per second")
    group.addoption(
        "--allure-results",
        action="store_true",
        help="also write Allure results to <report-dir>/allure-results/ (an explicit --alluredir is honoured too)",
    )
    group.addoption(
        "--shard",
        metavar="I/N",
        help="run only the I-th of N shards (1-based; split by operation, balanced by cost)",
    )
    group.addoption(
        "--conformance-seed",
        type=int,
        metavar="N",
        help="seed for generated requests (default: random, recorded)",
    )
    parser.addini(
        "conformance_suites",
        "this configuration runs the mlops-conformance suites",
        type="bool",
        default=False,
    )


def _active(config: pytest.Config) -> bool:
    from .resources import suites_dir

    if config.getini("conformance_suites"):
        return True
    try:
        suites = suites_dir().resolve()
    except ConformanceError:
        return False
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        path = (base / str(arg).split("::", 1)[0]).resolve()
        if path == suites or suites in path.parents:
            return True
    return False


def _options(config: pytest.Config) -> Any:
    """The run's options and its accepted failures."""
    options, known, _ = _configured(config)
    return options, known


def _configured(config: pytest.Config) -> Any:
    """The run's options, its accepted failures and its contracts (the bundled or ``--contract``)."""
    from .contract import load_contracts, load_user_contracts
    from .runner.known_failures import KnownFailures, load
    from .runner.options import (
        RunOptions,
        parse_contract,
        parse_operations,
        parse_tags,
        parse_target,
        parse_vendors,
    )
    from .runner.shard import parse_shard

    get = config.getoption
    if get("max_examples") < 1:
        raise pytest.UsageError("--max-examples must be at least 1")
    if get("request_timeout") <= 0:
        raise pytest.UsageError("--request-timeout must be a positive number of seconds")
    if get("max_retries") < 0:
        raise pytest.UsageError("--max-retries must be 0 or more")
    if not get("max_wait") >= 0:
        raise pytest.UsageError("--max-wait must be 0 or more seconds")
    known_path = Path(get("known_failures")) if get("known_failures") else None
    specs = tuple(parse_contract(value) for value in get("contract") or [])
    target = parse_target(get("target"))
    user = load_user_contracts(specs) if specs else {}
    vendors = parse_vendors(get("vendor"), tuple(user)) if user else parse_vendors(get("vendor"))
    options = RunOptions(
        target=target,
        vendors=vendors,
        token_env=get("token_env"),
        allow_writes=bool(get("allow_writes")),
        max_examples=get("max_examples"),
        operations=parse_operations(get("operations")),
        tags=parse_tags(get("tags")),
        known_failures=known_path,
        request_timeout=get("request_timeout"),
        max_retries=get("max_retries"),
        max_wait=get("max_wait"),
        report_dir=Path(get("report_dir")),
        strict=bool(config.getini("strict")),
        seed=get("conformance_seed"),
        allure_results=bool(get("allure_results")),
        network=_network(get),
        shard=parse_shard(get("shard")),
        contracts=specs,
    )
    known = load(known_path) if known_path else KnownFailures()
    contracts = {v: user[v] for v in vendors} if user else load_contracts(vendors)
    return options, known, contracts


def _network(get: Any) -> Any:
    from .runner.network import Network, parse_header, parse_rate, readable_file

    return Network(
        ca_bundle=readable_file("--ca-bundle", get("ca_bundle")),
        insecure=bool(get("insecure")),
        cert=readable_file("--cert", get("cert")),
        key=readable_file("--key", get("key")),
        headers=dict(parse_header(h) for h in get("header") or []),
        rate_limit=parse_rate(get("rate_limit")),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance(family): a conformance suite module of one check family")
    if not _active(config):
        return
    worker = hasattr(config, "workerinput")
    try:
        options, known, contracts = _configured(config)
        # one line, not every test
        tokens = {} if options.embedded else options.tokens_from_environment(contracts)
        if not options.embedded and not worker and not config.option.collectonly:
            from .runner.preflight import preflight

            preflight(options, options.target, tokens, contracts)  # unreachable: one line, in seconds
    except ConformanceError as exc:
        raise pytest.UsageError(exc.one_line()) from None
    if options.seed is None and not worker:
        # One seed for the whole run, recorded in the summary; xdist hands options to its workers.
        import dataclasses
        import random

        config.option.conformance_seed = random.SystemRandom().randrange(2**31)
        options = dataclasses.replace(options, seed=config.option.conformance_seed)
    xdist = config.pluginmanager.hasplugin("xdist")
    if xdist and getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadgroup"
    if not worker:
        _route_reports(config, options.report_dir, allure=options.allure_results)
    from .runner.reporting import Reporter, RunState, XdistCollector

    state = RunState(
        options, contracts, known, worker, groups=getattr(config.option, "dist", "no") == "loadgroup"
    )
    config.stash[_STATE] = state
    config.pluginmanager.register(Reporter(config, state), "mlops-conformance-reporter")
    if xdist and not worker:
        config.pluginmanager.register(XdistCollector(state), "mlops-conformance-xdist")


def _route_reports(config: pytest.Config, report_dir: Path, allure: bool = False) -> None:
    """junit output into the report directory, unless the user pointed it elsewhere; allure results
    only when asked for (``--allure-results``, or allure's own ``--alluredir``, which is honoured)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(report_dir / "junit.xml")
    if hasattr(config.option, "allure_report_dir") and not config.option.allure_report_dir:
        results = report_dir / "allure-results"
        shutil.rmtree(results, ignore_errors=True)  # ours: results of the previous run only
        if allure:
            results.mkdir(parents=True, exist_ok=True)
            config.option.allure_report_dir = str(results)
    # Hypothesis keeps a small cache; keep it with our outputs instead of the user's working directory.
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(report_dir / ".hypothesis")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if CASE not in metafunc.fixturenames:
        return
    state = metafunc.config.stash.get(_STATE, None)
    marker = metafunc.definition.get_closest_marker("conformance")
    if state is None or marker is None or not marker.args:
        metafunc.parametrize(CASE, [])
        return
    from .runner.plan import cases

    params = []
    for case in cases(state.contracts, state.options, marker.args[0]):
        marks: list[Any] = [pytest.mark.xdist_group(case.group)] if state.groups else []
        known = state.known.find(case.vendor, case.operation.id, case.check.id)
        if known is not None:
            until = f", until {known.expires.isoformat()}" if known.expires else ""
            marks.append(pytest.mark.xfail(reason=f"known failure: {known.reason}{until}", strict=False))
        params.append(pytest.param(case, id=case.id, marks=marks))
    metafunc.parametrize(CASE, params)


@pytest.fixture(scope="session")
def conformance_session(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The target under test for this session (worker): the embedded mock unless ``--target``."""
    from .runner.embedded import embedded_target
    from .runner.session import TargetSession

    state = request.config.stash.get(_STATE, None)
    if state is None:
        pytest.skip("the mlops-conformance plugin is not active for this session")
    options = state.options
    with contextlib.ExitStack() as stack:
        if options.embedded:
            served = list(state.contracts.values()) if options.contracts else None
            url, token = stack.enter_context(embedded_target(options.vendors, contracts=served))
            tokens = {vendor: token for vendor in options.vendors}
        else:
            url, tokens = options.target, options.tokens_from_environment(state.contracts)
        session = TargetSession(options, url, tokens, state.contracts)
        state.secrets |= set(tokens.values()) | set(session.client.redactor.secrets)
        try:
            yield session
        finally:
            state.cleanup += session.close()
            state.observed.append(session.observations.export())


@pytest.fixture
def conformance(request: pytest.FixtureRequest, conformance_session: Any) -> Any:
    """Per test: produce the case's subject (``.subject(case)``) and judge it (``.judge(case, subject)``)."""
    from .runner.verdicts import Conformance

    return Conformance(request.node, conformance_session, strict=request.config.stash[_STATE].options.strict)


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Innermost: scrub secrets before any other plugin (allure, junit, terminal) sees the report."""
    outcome = yield
    state = item.config.stash.get(_STATE, None)
    if state is not None:
        from .runner.reporting import case_of, scrub

        if case_of(item) is not None:
            scrub(outcome.get_result(), state.secrets)  # type: ignore[attr-defined]
