"""What lint --prometheus sends, to whom, how long it waits, and what it says when the server is not there.

Every misbehaving server here is one of the test's own on 127.0.0.1 (loopback.py); where a real answer
is needed, requests are forwarded to the real Prometheus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from loopback import answering, closed_port, forwarder, silent, trickling
from support import run_cli
from test_live_lint import INVENTORY, RULES, live_lines, write_project


def with_server_settings(**settings) -> str:
    lines = "".join(f"    {key}: {value}\n" for key, value in settings.items())
    return INVENTORY.replace("  rules: [rules.yaml]\n", f"  rules: [rules.yaml]\n  prometheus:\n{lines}")


def assert_no_traceback(result):
    assert "Traceback" not in result.err and "internal error" not in result.err, result


def test_unreachable_server_is_exit_2_naming_the_url(project):
    write_project(project)
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_cli("lint", "--prometheus", url, cwd=project)
    assert result.code == 2, result
    assert result.err.strip() == f"runbookgen lint: cannot ask the Prometheus server at {url}: connection refused"
    assert result.out == ""


def test_a_server_that_is_not_prometheus_is_exit_2(project):
    write_project(project)
    with answering(404, b"<html>not here</html>", {"Content-Type": "text/html"}) as server:
        result = run_cli("lint", "--prometheus", server.url + "/prom", cwd=project)
    assert result.code == 2, result
    assert f"at {server.url}/prom: /api/v1/query answered HTTP 404 without a Prometheus API answer" in result.err
    assert server.requests[0][:2] == ("POST", "/prom/api/v1/query")
    assert_no_traceback(result)


def test_redirects_are_not_followed(project):
    write_project(project)
    with answering(200, b'{"status":"success","data":{"resultType":"scalar","result":[0,"1"]}}') as elsewhere:
        with answering(302, b"", {"Location": elsewhere.url + "/api/v1/query"}) as redirecting:
            result = run_cli("lint", "--prometheus", redirecting.url, cwd=project)
    assert result.code == 2, result
    assert "answered with a redirect (302)" in result.err and "which is not followed" in result.err
    assert elsewhere.requests == []  # nothing went to the other address
    assert_no_traceback(result)


def test_proxy_settings_in_the_environment_are_not_used(prometheus, project):
    write_project(project)
    with answering(502, b"proxy") as proxy:
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "runbookgen_debug")}
        env.update(http_proxy=proxy.url, HTTP_PROXY=proxy.url, https_proxy=proxy.url, all_proxy=proxy.url)
        proc = subprocess.run([sys.executable, "-m", "runbookgen", "lint", "--prometheus", prometheus.url],
                              cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proxy.requests == []
    assert " RB018 " in proc.stdout


def test_a_server_that_never_answers_times_out(project):
    write_project(project, with_server_settings(timeout="1s"))
    with silent() as server:
        started = time.monotonic()
        result = run_cli("lint", "--prometheus", server.url, cwd=project, timeout=60)
        elapsed = time.monotonic() - started
        server.stop.set()
    assert result.code == 2, result
    assert f"at {server.url}: no answer in time (timed out)" in result.err
    assert elapsed < 15


def test_a_server_that_trickles_its_answer_times_out(project):
    write_project(project, with_server_settings(timeout="2s"))
    with trickling(0.2) as server:
        started = time.monotonic()
        result = run_cli("lint", "--prometheus", server.url, cwd=project, timeout=90)
        elapsed = time.monotonic() - started
    assert result.code == 2, result
    assert "timed out" in result.err
    assert elapsed < 20


def test_token_from_the_named_variable_is_sent_and_never_printed(prometheus, project):
    token = "s3cr3t-token-value"
    write_project(project, with_server_settings(bearer_token_env="RB_PROM_TOKEN", headers="{X-Scope-OrgID: team-a}"))
    with forwarder(prometheus.url) as server:
        result = run_cli("lint", "--prometheus", server.url, "--format", "json", cwd=project,
                         env={"RB_PROM_TOKEN": token})
    assert result.code == 1, result
    assert server.requests, "nothing was asked"
    for _method, _path, headers in server.requests:
        assert headers.get("authorization") == f"Bearer {token}"
        assert headers.get("x-scope-orgid") == "team-a"
    assert token not in result.out + result.err
    assert token not in (project / "runbooks.yaml").read_text()


def test_unset_token_variable_is_an_input_error_at_its_key(project):
    write_project(project, with_server_settings(url="http://127.0.0.1:9", bearer_token_env="RB_PROM_TOKEN_UNSET"))
    result = run_cli("lint", cwd=project)
    assert result.code == 2, result
    text = (project / "runbooks.yaml").read_text()
    line = text[:text.index("RB_PROM_TOKEN_UNSET")].count("\n") + 1
    assert (f"runbooks.yaml:{line}:23: lint.prometheus.bearer_token_env: the environment variable "
            "RB_PROM_TOKEN_UNSET is not set or empty") in result.err


@pytest.mark.parametrize("header", ["Authorization", "cookie"])
def test_secret_headers_written_in_the_inventory_are_refused(project, header):
    write_project(project, with_server_settings(url="http://127.0.0.1:9", headers=f"{{{header}: Bearer x}}"))
    result = run_cli("lint", cwd=project)
    assert result.code == 2, result
    assert f"lint.prometheus.headers: {header} carries a secret and must not be written in the inventory" in result.err


@pytest.mark.parametrize("url", ["http://user:hunter2@127.0.0.1:9", "file:///etc/passwd", "ftp://127.0.0.1/",
                                 "http://127.0.0.1:9/?query=up", "127.0.0.1:9090"])
def test_unusable_urls_are_refused_before_anything_is_sent(project, url):
    write_project(project)
    result = run_cli("lint", "--prometheus", url, cwd=project)
    assert result.code == 2, result
    assert "Invalid value for '--prometheus'" in result.err
    assert "hunter2" not in result.err
    write_project(project, with_server_settings(url=f'"{url}"'))
    result = run_cli("lint", cwd=project)
    assert result.code == 2 and "hunter2" not in result.err, result
    assert "runbooks.yaml:" in result.err


@pytest.mark.parametrize("limit", [2, None])
def test_requests_in_flight_are_bounded(prometheus, project, limit):
    extra = "".join(f"      - title: Q{n}\n        expr: sum(missing_metric_{n}{{job=\"x\"}})\n" for n in range(12))
    inventory = INVENTORY.replace("        expr: sum(rate(http_requests_total{job=~\"$job\"}[$__rate_interval]))\n",
                                  "        expr: sum(rate(http_requests_total{job=~\"$job\"}[$__rate_interval]))\n"
                                  + extra)
    if limit:
        inventory = inventory.replace("  rules: [rules.yaml]\n", f"  rules: [rules.yaml]\n  prometheus:\n"
                                                                 f"    concurrency: {limit}\n")
    write_project(project, inventory)
    with forwarder(prometheus.url, delay=0.25) as server:
        result = run_cli("lint", "--prometheus", server.url, cwd=project)
    assert result.code == 1, result
    assert len([ln for ln in live_lines(result.out) if "missing_metric_" in ln]) == 12
    assert server.recorder.most_in_flight == (limit or 4), server.recorder.most_in_flight


def test_a_server_asking_for_credentials_is_exit_2_with_a_hint(project):
    write_project(project)
    with answering(401, b"Unauthorized", {"Content-Type": "text/plain"}) as server:
        result = run_cli("lint", "--prometheus", server.url, cwd=project)
    assert result.code == 2, result
    assert (f"at {server.url}: /api/v1/query answered HTTP 401 without a Prometheus API answer (is a token "
            "needed? see lint.prometheus.bearer_token_env)") in result.err


def test_no_live_skips_the_server_named_in_the_inventory(project):
    write_project(project, with_server_settings(url=f"http://127.0.0.1:{closed_port()}"))
    assert run_cli("lint", cwd=project).code == 2
    result = run_cli("lint", "--no-live", "--format", "json", cwd=project)
    assert result.code == 1 and "live" not in json.loads(result.out), result
    both = run_cli("lint", "--no-live", "--prometheus", "http://127.0.0.1:9", cwd=project)
    assert both.code == 2 and "--prometheus and --no-live contradict each other" in both.err, both
