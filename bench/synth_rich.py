"""A synthetic service whose alerts carry complete, query-heavy runbooks, for page-weight checks.

    python bench/synth_rich.py 1000 /tmp/rich1000   # writes runbooks.yaml and mkdocs.yml
                                                    # (and alerts/*.yaml, included, above 1,000 alerts)

Each alert is as full as the example's richest page (CheckoutHighErrorRate): a
paragraph of description and impact, its rule expression, ten queries (eight
PromQL, two LogQL, some with descriptions), six investigation steps (five run a
query, one a command), four causes with a confirmation each, immediate,
short-term and long-term mitigation with commands, resolution, verification
that re-runs a query, three related alerts, tags, and a four-contact escalation
path with notes. Expressions differ between alerts and parse. Output depends
only on the count.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth import MKDOCS_YML, _q  # noqa: E402  the same site settings as the light synthetic service

COMPONENTS = ("api", "web", "worker", "gateway", "payments", "search", "billing", "inventory")
SEVERITIES = (("P0", "critical", True, "5m"), ("P1", "high", True, "15m"), ("P2", "warning", False, "4h"),
              ("P3", "info", False, "1d"))


def name_of(n: int) -> str:
    return f"Rich{COMPONENTS[n % len(COMPONENTS)].capitalize()}Alert{n:05d}"


def queries(n: int, comp: str) -> list[tuple[str, str, str, str, str]]:
    """(id, title, datasource, expr, description) of alert n's ten queries."""
    sel = f'namespace="shop", app="{comp}"'
    shard = f'shard="{n % 16}"'
    return [
        ("error-ratio", "5xx ratio by app", "prometheus",
         f'sum by (app) (rate(http_requests_total{{{sel}, {shard}, code=~"5.."}}[5m])) '
         f'/ sum by (app) (rate(http_requests_total{{{sel}, {shard}}}[5m]))', ""),
        ("by-route", "5xx per second by route and code", "prometheus",
         f'topk(10, sum by (route, code) (rate(http_requests_total{{{sel}, code=~"5.."}}[5m])))',
         "One route failing points at one dependency; all routes failing points at the app or its database."),
        ("by-pod", "5xx ratio by pod", "prometheus",
         f'sum by (pod) (rate(http_requests_total{{{sel}, code=~"5.."}}[5m])) '
         f'/ sum by (pod) (rate(http_requests_total{{{sel}}}[5m]))',
         "One pod far above the others is a bad node or a stuck pod, not a bad release."),
        ("by-version", "5xx ratio by released version", "prometheus",
         f'sum by (version) (rate(http_requests_total{{{sel}, code=~"5.."}}[5m])) '
         f'/ sum by (version) (rate(http_requests_total{{{sel}}}[5m]))', ""),
        ("latency", "p99 latency by route", "prometheus",
         f'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{{{sel}}}[5m])))', ""),
        ("saturation", "CPU throttling by pod", "prometheus",
         f'sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{{namespace="shop", container="{comp}"}}[5m])) '
         f'/ sum by (pod) (rate(container_cpu_cfs_periods_total{{namespace="shop", container="{comp}"}}[5m]))', ""),
        ("restarts", "Restarts in the last hour", "prometheus",
         f'sum by (pod) (increase(kube_pod_container_status_restarts_total{{namespace="shop", container="{comp}"}}[1h])) > 0',
         ""),
        ("upstream", "Upstream errors by dependency", "prometheus",
         f'sum by (dependency) (rate(upstream_requests_failed_total{{{sel}}}[5m])) > {n % 7 + 1}', ""),
        ("error-logs", "Error log lines by message", "loki",
         f'topk(10, sum by (msg) (count_over_time({{{sel}}} | json | level="error" [5m])))', ""),
        ("error-lines", "Error log lines with trace ids", "loki",
         f'{{{sel}}} | json | level="error" | line_format "{{{{.route}}}} {{{{.status}}}} {{{{.trace_id}}}} {{{{.msg}}}}"', ""),
    ]


def alert_yaml(n: int, count: int) -> list[str]:
    comp = COMPONENTS[n % len(COMPONENTS)]
    sev = SEVERITIES[n % len(SEVERITIES)]
    out = [
        f"  - name: {name_of(n)}",
        f"    severity: {sev[0]}",
        f"    summary: More than 5% of {comp} requests on shard {n % 16} fail with a 5xx ({n}).",
        "    description: " + _q(
            f"More than 5% of the requests that {comp} answered in the last 5 minutes were server errors (HTTP 5xx), "
            "for 5 minutes in a row, while it served more than one request per second. Client errors (4xx) do not "
            "count. The alert uses the recording rule `namespace_app:http_requests_errors:ratio_rate5m`."),
        "    impact: " + _q("One customer in twenty or more sees an error page or a failed payment. This burns the "
                            "99.9% availability error budget about 50 times faster than allowed."),
        "    expr: " + _q(f'namespace_app:http_requests_errors:ratio_rate5m{{app="{comp}", shard="{n % 16}"}} > 0.05\n'
                          f'and\nnamespace_app:http_requests:rate5m{{app="{comp}"}} > 1'),
        "    for: 5m",
        "    datasource: prometheus",
        f"    owner: team-{comp}",
        "    dashboards:",
        f"      - {{title: {comp} overview, url: 'https://grafana.example.com/d/{comp}-overview/{comp}-overview'}}",
        f"      - {{title: {comp} pods, url: 'https://grafana.example.com/d/{comp}-pods/{comp}-pods'}}",
        "    queries:",
    ]
    for qid, title, ds, expr, description in queries(n, comp):
        out += [f"      - id: {qid}", f"        title: {title}", f"        datasource: {ds}", f"        expr: {_q(expr)}"]
        if description:
            out.append(f"        description: {_q(description)}")
    deploy = f"deploy/{comp}"
    out += [
        "    investigation:",
        "      - {step: Find out how bad it is., query: error-ratio, expect: "
        + _q("Below 0.01 is normal. 0.05 to 0.2 is a partial failure; close to 1 means the app is down.") + "}",
        "      - {step: Find the failing routes and codes., query: by-route, expect: "
        + _q("503 on one route points at a dependency; 500 on every route at the code or the database.") + "}",
        "      - {step: Compare versions to see whether a deploy caused it., query: by-version, expect: "
        + _q("Errors concentrated on the newest version mean roll back.") + "}",
        "      - {step: Compare pods., query: by-pod, expect: Roughly equal ratios; one outlier pod is the problem.}",
        "      - {step: Read the most common error messages., query: error-logs}",
        "      - step: Read a few failing requests in full and follow their trace id.",
        f"        command: {_q(f'kubectl -n shop logs -l app={comp} --since=15m --prefix | grep error | tail -20')}",
        "    causes:",
        f"      - {{cause: A bad release, confirm: The errors started with a rollout., command: 'kubectl -n shop rollout history {deploy}'}}",
        "      - {cause: A slow dependency, confirm: Upstream errors rose first., query: upstream}",
        "      - {cause: CPU throttling, confirm: Throttling above a quarter of periods., query: saturation}",
        "      - {cause: Crash-looping pods, confirm: Restarts in the last hour., query: restarts}",
        "    mitigation:",
        "      immediate:",
        "        - step: If a rollout happened in the last hour and the new version fails, roll it back.",
        f"          command: {_q(f'kubectl -n shop rollout undo {deploy} && kubectl -n shop rollout status {deploy} --timeout=5m')}",
        "        - step: If one pod fails and the others do not, delete it and let the deployment replace it.",
        "          command: kubectl -n shop delete pod \"$POD\"",
        f"        - step: If throttled, raise the CPU limit of {comp} by half.",
        f"          command: kubectl -n shop set resources {deploy} --limits=cpu=1500m",
        "      short_term:",
        "        - {step: Revert the offending commit so that the pipeline does not redeploy it., command: 'git revert --no-edit \"$COMMIT\"'}",
        "        - Add the failing case as a test before fixing forward.",
        "      long_term:",
        "        - Add canary analysis so that a release with a higher 5xx ratio is stopped at 10% of traffic.",
        "    resolution:",
        "      - Fix the defect or the dependency and deploy the fix through the pipeline.",
        "      - Open an incident report if the alert fired for more than 30 minutes.",
        "    verification:",
        "      - {step: Watch the error ratio for 15 minutes after the fix., query: error-ratio, expect: Below 0.01.}",
        "    related: [" + ", ".join(name_of((n + k) % count) for k in (1, 2, 3) if (n + k) % count != n) + "]",
        f"    tags: [{comp}, errors, shard-{n % 16}]",
        f"    last_reviewed: 2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
    ]
    return out


PER_FILE = 1000  # alerts per included file above this size (one inventory file may hold at most 20 MB)


def inventory_yaml(count: int, alerts: bool = True) -> str:
    out = ["version: 1", "service:", "  name: Shop", "  team: shop-sre",
           "  description: The shop's storefront, checkout and the services behind them.", "  escalation:"]
    for name, role, contact, after, notes in (
            ("Shop primary on-call", "Primary on-call", "PagerDuty service Shop, Slack #shop-oncall", "",
             "Paged by every P0 and P1 alert. Acknowledge within 5 minutes."),
            ("Shop secondary on-call", "Secondary on-call", "PagerDuty escalation policy Shop, level 2", "15m",
             "Paged automatically when the primary has not acknowledged."),
            ("Shop engineering manager", "Engineering manager", "PagerDuty schedule Shop EM", "30m",
             "Decides on customer communication and on pulling in other teams."),
            ("Incident commander on duty", "Incident commander", "Slack #incidents", "1h",
             "Takes over coordination of any P0 still open after an hour.")):
        out += [f"    - name: {name}", f"      role: {role}", f"      contact: {contact}",
                f"      notes: {_q(notes)}"] + ([f"      after: {after}"] if after else [])
    out += ["grafana:", "  url: https://grafana.example.com", "datasources:",
            "  - {name: prometheus, type: prometheus, uid: prom-prod-eu-1, url: 'https://prometheus.example.com'}",
            "  - {name: loki, type: loki, uid: loki-prod-eu-1}", "severities:"]
    for sid, label, pages, response in SEVERITIES:
        out += [f"  - id: {sid}", f"    name: {sid} {label.capitalize()}", f"    pages: {str(pages).lower()}",
                f"    response_time: {response}", f"    labels: [{label}]"]
    if not alerts:
        return "\n".join(out + ["include: [alerts/*.yaml]"]) + "\n"
    out.append("alerts:")
    for n in range(count):
        out += alert_yaml(n, count)
    return "\n".join(out) + "\n"


def alerts_file(start: int, stop: int, count: int) -> str:
    out = ["alerts:"]
    for n in range(start, stop):
        out += alert_yaml(n, count)
    return "\n".join(out) + "\n"


def write(count: int, folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    files = {"runbooks.yaml": inventory_yaml(count, alerts=count <= PER_FILE), "mkdocs.yml": MKDOCS_YML}
    if count > PER_FILE:
        os.makedirs(os.path.join(folder, "alerts"), exist_ok=True)
        for start in range(0, count, PER_FILE):
            files[f"alerts/{start // PER_FILE:03d}.yaml"] = alerts_file(start, min(start + PER_FILE, count), count)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
