"""Adoption and round-trip commands: init, import, annotate, export-rules."""

from __future__ import annotations

import sys

import click

from runbookgen.cli.base import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, inventory_option, main, plural, reports_problems

rules_option = click.option(
    "--rules", "-r", "rules", multiple=True, metavar="PATH_OR_GLOB",
    help="A rule file, folder or glob (repeatable). Default: the inventory's lint: rules: list, relative to "
         "the inventory.")
config_option = click.option(
    "--config", "-f", "config", type=click.Path(dir_okay=False), default=None,
    help="mkdocs configuration whose site_url the runbook URLs start with. Default: mkdocs.yml beside the "
         "inventory.")

NAMES_SHOWN = 10


def _names(names) -> str:
    names = list(names)
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")


def _echo_skipped(ruleset) -> None:
    for file, reason in ruleset.skipped:
        click.echo(f"skipped {file}: {reason}", err=True)


@main.command("import")
@inventory_option
@rules_option
@config_option
@click.option("--severity-map", "severity_map", metavar="VALUE=SEVERITY,...", default="",
              help="Map severity label values the inventory does not list to its severities, e.g. "
                   "s1=critical,s2=critical,s3=warning,s4=info. With the default severities, the mapping is also "
                   "written to the inventory as a severities: block.")
@click.option("--dry-run", is_flag=True, help="Print the stubs on standard output instead of adding them.")
@reports_problems
def import_(inventory, rules, config, severity_map, dry_run):
    """Add a draft runbook for every alert in the rule files that has none.

    Each stub has status: draft, the alert's name, a severity mapped from its
    severity label, summary and description from its annotations, its expr and
    for, and TODO prompts for the sections to write. A rule that already links to
    a runbook elsewhere keeps it: the link is recorded as the stub's runbook_url.
    Stubs go after the last entry of alerts: in the inventory file; nothing
    already there is touched, comments and formatting included. Running it again
    adds nothing.

    Severity label values that no severity lists under labels are reported before
    anything is written, with a suggested mapping: add it to the inventory or pass
    --severity-map. Running import again after the mapping changed corrects the
    severity of the stubs it wrote, as long as they are unedited drafts. A rule
    without a severity label gets the least severe severity, with a TODO comment.

    \b
    Exit codes: 0 done, 2 unusable input or unmapped severity values.

    \b
    Examples:
      runbookgen import --rules rules/
      runbookgen import --rules rules/ --severity-map s1=critical,s2=critical,s3=warning,s4=info
      runbookgen import --rules 'manifests/*-prometheusRule.yaml' --dry-run
    """
    from runbookgen.adopt.import_stubs import import_stubs
    from runbookgen.adopt.rule_sources import read_rule_files
    from runbookgen.adopt.runbook_urls import runbook_url_maker
    from runbookgen.adopt.severity_map import labels_to_add, parse_severity_map
    from runbookgen.inventory import load_inventory
    from runbookgen.problems import InputError

    inv = load_inventory(inventory)
    mapping, errors = parse_severity_map(severity_map, inv)
    if errors:
        raise click.BadParameter("; ".join(errors), param_hint="--severity-map")
    try:
        page_url = runbook_url_maker(inv, config)
    except InputError:
        page_url = None  # no site_url yet: every link a rule has is kept as the runbook's address
    ruleset = read_rule_files(inv, tuple(rules))
    _echo_skipped(ruleset)
    result = import_stubs(inv, ruleset, dry_run=dry_run, severity_map=mapping, page_url=page_url)
    plan = result.plan
    if plan.unknown:
        _echo_unknown_severities(inv, plan.unknown, mapping)
        sys.exit(EXIT_INPUT)
    for rule, why in plan.refused:
        click.echo(f"warning: {rule.pos}: alert {rule.name!r} gets no stub: {why}", err=True)
    if plan.exempt:
        verb = "needs" if len(plan.exempt) == 1 else "need"
        click.echo(f"{plural(len(plan.exempt), 'alert')} {verb} no runbook (exempt severity): "
                   f"{_names(plan.exempt)}", err=True)
    if mapping and not inv.severities_defaulted:
        click.echo(f"add the mapped values to the labels of your severities in {result.inventory} so that lint maps "
                   f"them too: {labels_to_add(mapping)}", err=True)
    had = f"{plural(plan.existing, 'alert')} already had one"
    verb = "would " if dry_run else ""
    for alert, stub in result.fixed:
        click.echo(f"{verb}{'correct' if dry_run else 'corrected'} {alert.name}: severity {alert.severity} -> "
                   f"{stub.severity} (an unedited draft)", err=True)
    if result.severities_added:
        click.echo(f"{verb}{'add' if dry_run else 'added'} a severities: block with the mapped label values to "
                   f"{result.inventory}", err=True)
    kept = sum(1 for stub in plan.stubs if stub.runbook_url)
    if dry_run and plan.stubs:
        click.echo(result.text, nl=False)
        click.echo(f"would add {plural(len(plan.stubs), 'draft runbook')} to {result.inventory} ({had})", err=True)
        return
    for stub in plan.stubs:
        click.echo(f"added {stub.name} ({stub.severity}) from {stub.rule.file}:{stub.rule.line}")
    if kept:
        verb, their = ("links", "its") if kept == 1 else ("link", "their")
        click.echo(f"{plural(kept, 'alert')} already {verb} to a runbook elsewhere: kept as {their} runbook_url "
                   "(the README says how to move them into the inventory)", err=True)
    for stub in plan.stubs:
        if stub.dropped_link:
            click.echo(stub.dropped_link_warning(), err=True)
    if plan.stubs:
        click.echo(f"imported {plural(len(plan.stubs), 'draft runbook')} into {result.inventory} ({had}); write "
                   "them, then run runbookgen annotate", err=True)
    if rules and not inv.lint.rules:
        _echo_rules_unlisted(inv, rules, result.inventory)
    elif plan.refused:
        click.echo(f"nothing to import: {plural(len(plan.refused), 'alert')} cannot get a runbook until renamed "
                   f"(named above); the others have one ({had})", err=True)
    elif not result.fixed:
        click.echo(f"nothing to import: every alert in {plural(len(ruleset.files), 'rule file')} has a runbook "
                   f"({had})", err=True)


def _echo_rules_unlisted(inv, rules, inventory_file) -> None:
    """--rules named the rule files, but the inventory does not: lint, annotate and export-rules would not know them
    (export-rules then cannot tell which imported alerts vmalert or Loki evaluates)."""
    import os

    listed = ", ".join(os.path.relpath(os.path.abspath(pattern), inv.base_dir) for pattern in rules)
    click.echo(f"lint: rules: in {inventory_file} lists no rule files: add {listed} there, so that lint, annotate and "
               "export-rules read the same rules without --rules (export-rules needs them to know which ruler "
               "evaluates each imported alert)", err=True)


def _echo_unknown_severities(inv, unknown, mapping) -> None:
    from runbookgen.adopt.severity_map import labels_to_add, map_option, severities_block, suggest

    label = inv.lint.severity_label or "severity"
    for value in unknown:
        click.echo(f"{value.first.where('labels', label)}: {label} {value.value!r} ({plural(value.rules, 'rule')}) "
                   "maps to no severity of the inventory", err=True)
    guess = dict(mapping, **suggest(inv, [v.value for v in unknown]))
    click.echo(f"nothing was written: map every {label} value first. A suggested mapping (check it):", err=True)
    click.echo(f"  runbookgen import --severity-map {map_option(guess)}", err=True)
    if inv.severities_defaulted:
        click.echo(f"or add to {inv.path}:", err=True)
        click.echo("\n".join("  " + line for line in severities_block(inv, guess).splitlines()), err=True)
    else:
        click.echo(f"or add these values to the labels of your severities: {labels_to_add(guess)}", err=True)
    click.echo("(values that need no runbook go under lint: exempt_severities)", err=True)


@main.command()
@inventory_option
@rules_option
@config_option
@click.option("--check", is_flag=True,
              help="Change nothing: list the annotations that would change, and exit 1 if there is any.")
@reports_problems
def annotate(inventory, rules, config, check):
    """Set each alerting rule's runbook_url annotation to its runbook page.

    The URL is the alert's page on the site: site_url from mkdocs.yml, or the
    inventory's lint.runbook_url pattern. Files are edited in place; only the
    runbook_url lines change, and comments, order and quoting stay as they were.
    Rule files may be Prometheus or Loki rule files or PrometheusRule resources,
    also several in one multi-document file. Alerts without a runbook in the
    inventory are left alone (runbookgen import adds them).

    \b
    Exit codes: 0 done (or, with --check, nothing to change), 1 --check found
    annotations to change, or a rule could not be edited exactly or its file
    is read-only or cannot be written (it is named with file:line and the
    reason; the other rules and files are still edited), 2 unusable input.

    \b
    Examples:
      runbookgen annotate --rules rules/
      runbookgen annotate --check        # in CI
    """
    from runbookgen.adopt.annotate import apply_annotations, plan_annotations
    from runbookgen.adopt.rule_sources import read_rule_files
    from runbookgen.adopt.runbook_urls import runbook_url_maker
    from runbookgen.inventory import load_inventory

    inv = load_inventory(inventory)
    url_of = runbook_url_maker(inv, config)
    ruleset = read_rule_files(inv, tuple(rules))
    _echo_skipped(ruleset)
    plan = plan_annotations(inv, ruleset, url_of)
    if plan.without_runbook:
        click.echo(f"left alone, no runbook in the inventory: {plural(len(plan.without_runbook), 'alert')} "
                   f"({_names(plan.without_runbook)}); runbookgen import adds them", err=True)
    changes = plan.all_changes
    if check:
        for change in changes:
            click.echo(str(change))
        _echo_refused(plan.refused)
        if changes:
            click.echo(f"{plural(len(changes), 'runbook_url annotation')} would change in "
                       f"{plural(len(plan.changes), 'file')}; run runbookgen annotate", err=True)
        if changes or plan.refused:
            sys.exit(EXIT_FINDINGS)
        verb = "points at its runbook" if plan.unchanged == 1 else "point at their runbooks"
        click.echo(f"all {plural(plan.unchanged, 'runbook_url annotation')} {verb}", err=True)
        sys.exit(EXIT_OK)
    written = apply_annotations(plan)
    for file, count in sorted(written.items()):
        click.echo(f"{file}: set {plural(count, 'runbook_url annotation')}")
    _echo_refused(plan.refused)
    click.echo(f"{plural(sum(written.values()), 'annotation')} set, {plan.unchanged} already right", err=True)
    if plan.refused:
        sys.exit(EXIT_FINDINGS)


def _echo_refused(refused) -> None:
    for refusal in refused:
        click.echo(str(refusal), err=True)
    if refused:
        click.echo(f"{plural(len(refused), 'rule')} left as {'it was' if len(refused) == 1 else 'they were'}: "
                   "set their runbook_url by hand (the other rules were handled)", err=True)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--service", metavar="NAME", help="The service's name. Default: the folder's name.")
@click.option("--site-url", metavar="URL", default="",
              help="Where the site will be published (mkdocs.yml site_url); runbook_url annotations point there.")
@click.option("--rules", "-r", "rules", multiple=True, metavar="PATH_OR_GLOB",
              help="Your rule files, folders or globs (repeatable), written to lint.rules.")
@click.option("--ci/--no-ci", default=True, show_default=True,
              help="Also write .pre-commit-config.yaml, a GitHub Actions workflow and .gitlab-ci.yml.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@reports_problems
def init(directory, service, site_url, rules, ci, force):
    """Start a runbook inventory in DIRECTORY (default: here).

    Writes runbooks.yaml (with the schema modeline and one complete example
    alert), runbooks.schema.json for your editor, mkdocs.yml, and unless --no-ci
    a pre-commit configuration and CI for GitHub Actions and GitLab. Existing
    files are left alone unless --force is given. The result validates and builds
    as it stands.

    \b
    Example:
      runbookgen init --service checkout --site-url https://runbooks.example.com/ --rules ../alerts/
      runbookgen import && runbookgen annotate && runbookgen build
    """
    import os
    import re

    from runbookgen.adopt.scaffold import scaffold, settings_for
    from runbookgen.adopt.scaffold_files import EXAMPLE_ALERT

    if site_url and not re.fullmatch(r"https?://[^\s]+", site_url):
        raise click.BadParameter(f"{site_url!r} is not an http:// or https:// URL", param_hint="--site-url")
    settings = settings_for(directory, service=service, site_url=site_url, rules=tuple(rules), ci=ci)
    for path in scaffold(directory, settings, force=force):
        click.echo(f"wrote {os.path.relpath(path)}")
    steps = [] if rules else ["list your rule files under lint: rules: in runbooks.yaml"]
    steps += [] if site_url else ["set site_url in mkdocs.yml"]
    steps += ["runbookgen import (a draft runbook per alert)", "runbookgen annotate (runbook_url on every rule)",
              "runbookgen serve (preview)"]
    if rules:
        steps.insert(-1, f"delete the example alert {EXAMPLE_ALERT} from runbooks.yaml: it matches none of your "
                         "rules, so lint reports it (orphan-runbook)")
    where = "" if os.path.abspath(directory) == os.getcwd() else f" (in {directory})"
    click.echo(f"next steps{where}:", err=True)
    for number, step in enumerate(steps, 1):
        click.echo(f"  {number}. {step}", err=True)


@main.command("export-rules")
@inventory_option
@config_option
@click.option("--out", "-o", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for prometheus.rules.yaml, thanos.rules.yaml, loki.rules.yaml and vmalert.rules.yaml.")
@click.option("--force", is_flag=True, help="Replace rule files of the same name that export-rules did not write.")
@reports_problems
def export_rules(inventory, config, out_dir, force):
    """Write Prometheus and Loki rule files from the inventory's alerts.

    Every alert with an expr becomes an alerting rule with its for, labels, the
    severity label of its severity, and the annotations summary, description,
    its other annotations and runbook_url (its page on the site, or the address
    its runbook lives at). Alerts of a Loki datasource go to loki.rules.yaml,
    alerts of a Thanos group (partial_response_strategy) to thanos.rules.yaml,
    alerts whose rule (in lint.rules) vmalert evaluates to vmalert.rules.yaml
    with their groups' vmalert keys (MetricsQL and LogsQL: exported unchecked),
    the others to prometheus.rules.yaml; Grafana-managed alerts are left out. An alert's group: (recorded by import)
    is written back with its interval, limit, query_offset and labels; other
    alerts are grouped by service and owning team.

    Label and annotation names Prometheus refuses, and expressions that are not
    valid PromQL (LogQL for Loki), stop the export (exit 2, with the alert's
    file:line, every problem at once); with promtool installed, each Prometheus
    and Thanos file must pass promtool check rules before any file is written.

    \b
    Example:
      runbookgen export-rules --out deploy/rules && promtool check rules deploy/rules/prometheus.rules.yaml
    """
    from runbookgen.adopt.export import export_rules as run_export
    from runbookgen.adopt.runbook_urls import runbook_url_maker
    from runbookgen.inventory import load_inventory

    inv = load_inventory(inventory)
    result = run_export(inv, runbook_url_maker(inv, config), out_dir, force=force)
    for alert, why in result.left_out:
        click.echo(f"left out {alert.name} ({alert.pos}): {why}", err=True)
    for written in result.files:
        click.echo(f"wrote {written.path}: {plural(written.alerts, written.dialect + ' alerting rule')} in "
                   f"{plural(written.groups, 'group')}")
    if result.checked and any(f.dialect in ("prometheus", "thanos") for f in result.files):
        click.echo("promtool check rules accepts the Prometheus rule files", err=True)
    if result.unchecked:
        shown = " and ".join(f"{plural(count, language + ' rule')}" for language, count in result.unchecked)
        click.echo(f"{shown} exported unchecked: there is no grammar for them here (vmalert -dryRun -rule=FILE "
                   "checks them)", err=True)
    if not result.files:
        click.echo("nothing exported: every alert with an expr was left out (see above)" if result.left_out
                   else "nothing to export: no alert in the inventory has an expr", err=True)
    elif result.without_expr:
        click.echo(f"{plural(result.without_expr, 'alert')} without expr not exported", err=True)
