"""Synthetic but realistic inventories and rule files of any size, for benchmarks.

    python bench/synth.py 1000 /tmp/inv1000   # writes runbooks.yaml, mkdocs.yml, rules/*.yaml

Every section of every alert is filled; expressions vary (PromQL and LogQL) and
parse. Output depends only on the count: the same count gives the same bytes.
"""

from __future__ import annotations

import os
import sys

COMPONENTS = ("api", "web", "worker", "gateway", "postgres", "redis", "search", "billing")
SEVERITIES = (("P0", "critical", True, "5m"), ("P1", "high", True, "15m"), ("P2", "warning", False, "4h"),
              ("P3", "info", False, "1d"))


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def alert_parts(n: int) -> dict:
    comp = COMPONENTS[n % len(COMPONENTS)]
    sev = SEVERITIES[n % len(SEVERITIES)]
    loki = n % 5 == 4
    name = f"Synthetic{comp.capitalize()}Alert{n:05d}"
    if loki:
        expr = f'sum by (pod) (count_over_time({{namespace="shop", app="{comp}"}} |= "error {n}" [5m])) > {n % 50 + 1}'
    else:
        expr = (f'sum by (instance) (rate(http_requests_total{{job="{comp}", code=~"5..", shard="{n % 16}"}}[5m])) '
                f'/ sum by (instance) (rate(http_requests_total{{job="{comp}"}}[5m])) > 0.{n % 9 + 1}')
    return {"name": name, "comp": comp, "sev": sev, "loki": loki, "expr": expr}


def inventory_yaml(count: int) -> str:
    out = ["version: 1", "service:", "  name: Shop", "  team: shop-sre", "  escalation:",
           "    - name: Primary on-call", "      contact: pager shop-primary",
           "    - name: Secondary on-call", "      contact: pager shop-secondary", "      after: 15m",
           "grafana:", "  url: https://grafana.example.com", "datasources:",
           "  - {name: prometheus, type: prometheus, uid: PROM1, url: 'https://prometheus.example.com'}",
           "  - {name: loki, type: loki, uid: LOKI1}", "severities:"]
    for sid, label, pages, response in SEVERITIES:
        out += [f"  - id: {sid}", f"    name: {sid}", f"    pages: {str(pages).lower()}",
                f"    response_time: {response}", f"    labels: [{label}]"]
    out += ["lint:", "  rules: [rules/*.yaml]", "alerts:"]
    for n in range(count):
        a = alert_parts(n)
        ds = "loki" if a["loki"] else "prometheus"
        metric_query = (f'{{namespace="shop", app="{a["comp"]}"}} |= "error" | json | level="error"' if a["loki"]
                        else f'sum by (code) (rate(http_requests_total{{job="{a["comp"]}"}}[5m]))')
        out += [
            f"  - name: {a['name']}",
            f"    severity: {a['sev'][0]}",
            f"    summary: {a['comp']} shard {n % 16} is failing requests ({n})",
            f"    description: {_q('Requests to ' + a['comp'] + ' fail. Users see errors at checkout; orders may be lost.')}",
            "    impact: Customers cannot complete purchases.",
            f"    expr: {_q(a['expr'])}",
            "    for: 5m",
            f"    datasource: {ds}",
            f"    owner: team-{a['comp']}",
            "    dashboards:",
            f"      - {{title: {a['comp']} overview, url: 'https://grafana.example.com/d/{a['comp']}'}}",
            "    queries:",
            f"      - {{id: main, title: Main signal, datasource: {ds}, expr: {_q(metric_query)}}}",
            "    investigation:",
            "      - step: Look at the main signal.",
            "        query: main",
            f"      - step: List the pods.",
            f"        command: kubectl -n shop get pods -l app={a['comp']}",
            "        expect: All pods Running and Ready.",
            "    causes:",
            f"      - {{cause: A bad deploy, confirm: Compare the error start with the rollout time., command: 'kubectl -n shop rollout history deploy/{a['comp']}'}}",
            "    mitigation:",
            f"      immediate: [{{step: Roll back., command: 'kubectl -n shop rollout undo deploy/{a['comp']}'}}]",
            "      short_term: [Add capacity.]",
            "      long_term: [Add a canary stage.]",
            "    resolution: [Fix the bug and deploy.]",
            "    verification: [{step: The error ratio is back under 0.1%., query: main}]",
            f"    related: [{alert_parts(n - 1)['name'] if n else alert_parts(1)['name'] if count > 1 else a['name']}]"
            if count > 1 else "    related: []",
            f"    tags: [{a['comp']}, shard-{n % 16}]",
            f"    last_reviewed: 2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
        ]
    return "\n".join(out) + "\n"


def rules_yaml(count: int, dialect: str) -> str:
    out = ["groups:"]
    per_group = 50
    members = [n for n in range(count) if alert_parts(n)["loki"] == (dialect == "loki")]
    for start in range(0, len(members), per_group):
        out += [f"  - name: {dialect}-group-{start // per_group:04d}", "    rules:"]
        for n in members[start:start + per_group]:
            a = alert_parts(n)
            out += [
                f"      - alert: {a['name']}",
                f"        expr: {_q(a['expr'])}",
                "        for: 5m",
                "        labels:",
                f"          severity: {a['sev'][1]}",
                "        annotations:",
                f"          summary: {_q(a['comp'] + ' is failing')}",
                f"          runbook_url: https://runbooks.example.com/shop/alerts/{a['name'].lower()}.html",
            ]
    return "\n".join(out) + "\n"


MKDOCS_YML = """site_name: Shop runbooks
site_url: https://runbooks.example.com/shop/
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - offline
"""


def write(count: int, folder: str) -> None:
    os.makedirs(os.path.join(folder, "rules"), exist_ok=True)
    files = {"runbooks.yaml": inventory_yaml(count), "mkdocs.yml": MKDOCS_YML,
             "rules/prometheus.yaml": rules_yaml(count, "prometheus"), "rules/loki.yaml": rules_yaml(count, "loki")}
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
