"""The text of the files ``runbookgen init`` writes, with ``@@NAME@@`` placeholders.

Plain strings rather than Jinja templates: GitHub and GitLab expressions
(``${{ ... }}``) and Prometheus templates would need escaping in Jinja, and
these files must read exactly as a person would write them.
"""

EXAMPLE_ALERT = "ExampleHighErrorRate"  # the example entry of RUNBOOKS_YAML

RUNBOOKS_YAML = """\
# yaml-language-server: $schema=runbooks.schema.json
#
# Runbooks for @@SERVICE_TEXT@@, kept as code: one entry under alerts: per alert name.
# Reference of every key: `runbookgen schema --markdown`. Check: `runbookgen validate`.
#
# Next steps:
#   1. List your Prometheus and Loki rule files under lint: rules: (at the end of this file).
#   2. `runbookgen import`    adds a draft runbook for every alert that has none.
#   3. `runbookgen annotate`  points each rule's runbook_url annotation at its page
#                             (set site_url in mkdocs.yml first).
#   4. `runbookgen lint`      checks runbooks and rules against each other;
#      `runbookgen serve`     previews the site; `runbookgen build` builds it into site/.
version: 1

service:
  name: @@SERVICE@@
  description: >-
    TODO: what the service does and what it depends on, for someone who has never seen it.
  team: @@TEAM@@
  escalation:                 # in order; every alert's page shows it
    - name: Primary on-call
      role: Primary on-call
      contact: "TODO: the pager service or chat channel that reaches them"
    - name: Secondary on-call
      role: Secondary on-call
      contact: "TODO: how to reach them"
      after: 15m
  oncall:
    responsibilities:
      - Acknowledge pages within 15 minutes, around the clock.
      - Keep the runbook of every alert that fired accurate.

# Grafana and datasources turn each query into Grafana Explore links. Uncomment and fill in:
# grafana:
#   url: https://grafana.example.com
# datasources:
#   - name: prometheus
#     type: prometheus
#     uid: TODO-grafana-datasource-uid
#   - name: loki
#     type: loki
#     uid: TODO-grafana-datasource-uid

# What each severity means. `labels` are the rule-label values that map to it: import and
# lint read the rules' severity label (lint.severity_label) through them.
severities:
  - id: critical
    name: Critical
    description: Users are affected now or will be within the hour. Page the on-call engineer.
    response_time: 15m
    pages: true
    color: red
    labels: [critical, page]
  - id: warning
    name: Warning
    description: Something degrades or will fail if left alone. Handle in working hours.
    response_time: 1d
    color: orange
    labels: [warning]
  - id: info
    name: Info
    description: Worth knowing; no action needed unless it persists.
    response_time: 1w
    color: blue
    labels: [info]

alerts:
  # An example to copy from; delete it once your own alerts are in (`runbookgen import`).
  - name: ExampleHighErrorRate
    severity: critical
    summary: More than 5% of requests fail with a server error.
    description: >-
      The share of HTTP requests answered with a 5xx status has been above 5% for five
      minutes. Some users see errors on every page load or API call.
    impact: Users cannot complete what they came to do; retries add load.
    expr: |-
      sum(rate(http_requests_total{job="example", code=~"5.."}[5m]))
        / sum(rate(http_requests_total{job="example"}[5m])) > 0.05
    for: 5m
    labels:
      team: @@TEAM@@
    owner: @@TEAM@@
    tags: [availability]
    last_reviewed: @@TODAY@@
    queries:
      - id: errors-by-route
        title: Error ratio by route
        expr: |-
          sum by (route) (rate(http_requests_total{job="example", code=~"5.."}[5m]))
            / sum by (route) (rate(http_requests_total{job="example"}[5m]))
        description: One route failing points at its handler; all routes failing, at a dependency.
    investigation:
      - step: See which routes fail.
        query: errors-by-route
      - step: Check whether a deploy started the errors.
        command: kubectl -n example rollout history deployment/example
      - step: Read the errors of the last ten minutes.
        command: kubectl -n example logs deployment/example --since=10m | grep -i error | tail -50
    causes:
      - cause: A bad deploy.
        confirm: The errors began within minutes of a rollout.
        command: kubectl -n example rollout history deployment/example
      - cause: A dependency (database, queue, another service) is down or slow.
        confirm: The logs name timeouts or refused connections to it.
    mitigation:
      immediate:
        - step: Roll back the last deploy if the errors began with it.
          command: kubectl -n example rollout undo deployment/example
      short_term:
        - Scale up, or shed load, while a dependency recovers.
      long_term:
        - Add a test or a canary stage that would have caught it.
    resolution:
      - Fix the cause, deploy the fix, and note it in the incident report.
    verification:
      - step: The error ratio is back under 1% for fifteen minutes.
        query: errors-by-route

lint:
  # The rule files to check: files, folders or globs, relative to this file.
@@RULES@@
"""

MKDOCS_YML = """\
# The runbook site. runbookgen adds the pages, navigation and Markdown extensions.
site_name: @@SITE_NAME@@
@@SITE_URL@@
use_directory_urls: false   # pages end in .html: stable runbook_url targets that also work from file://

theme:
  name: material
  font: false               # no web fonts: the site must work offline during an outage

plugins:
  - search
  - offline
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): check the runbooks before every commit.
#   pip install pre-commit && pre-commit install
# runbookgen must be installed where git runs. To pin it instead, use the hooks that
# the runbookgen repository publishes (see its docs/ci.md):
#   - repo: <runbookgen's git URL>
#     rev: v0.1.0
#     hooks: [{id: runbookgen-validate}, {id: runbookgen-lint}]
repos:
  - repo: local
    hooks:
      - id: runbookgen-validate
        name: runbookgen validate
        entry: runbookgen validate --inventory @@INVENTORY@@
        language: system
        pass_filenames: false
        files: \\.(ya?ml)$
      - id: runbookgen-lint
        name: runbookgen lint
        entry: runbookgen lint --inventory @@INVENTORY@@
        language: system
        pass_filenames: false
        files: \\.(ya?ml)$
"""

GITHUB_WORKFLOW = """\
# Runbooks CI for GitHub Actions: validate the inventory, lint it against the rule files
# (findings appear as annotations on the pull request's lines), check every runbook_url,
# and build the site. Runs from the repository root, so annotation paths match.
name: runbooks

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

env:
  INVENTORY: @@INVENTORY@@
  RUNBOOKGEN: runbookgen==0.1.0   # or a VCS URL: git+https://<host>/<org>/runbookgen@v0.1.0

jobs:
  runbooks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install runbookgen
        run: pip install "$RUNBOOKGEN"
      - name: Validate the inventory
        run: runbookgen validate --inventory "$INVENTORY"
      - name: Lint runbooks against the rules
        run: runbookgen lint --inventory "$INVENTORY" --format github
      - name: Check that every runbook_url points at its page
        run: runbookgen annotate --inventory "$INVENTORY" --check
      - name: Build the site
        run: runbookgen build --inventory "$INVENTORY" --config @@CONFIG@@ --site-dir @@SITE_DIR@@
      - uses: actions/upload-artifact@v4
        with:
          name: runbook-site
          path: @@SITE_DIR@@
"""

GITLAB_CI = """\
# Runbooks CI for GitLab: validate, lint (a JUnit report shows findings in the merge
# request), check every runbook_url, and build the site as an artifact.
variables:
  INVENTORY: @@INVENTORY@@
  RUNBOOKGEN: runbookgen==0.1.0   # or a VCS URL: git+https://<host>/<org>/runbookgen@v0.1.0

runbooks:
  image: python:3.12-slim
  before_script:
    - pip install "$RUNBOOKGEN"
  script:
    - runbookgen validate --inventory "$INVENTORY"
    - runbookgen lint --inventory "$INVENTORY" --format junit --output runbookgen-lint.xml
    - runbookgen annotate --inventory "$INVENTORY" --check
    - runbookgen build --inventory "$INVENTORY" --config @@CONFIG@@ --site-dir @@SITE_DIR@@
  artifacts:
    when: always
    reports:
      junit: runbookgen-lint.xml
    paths:
      - @@SITE_DIR@@
"""
