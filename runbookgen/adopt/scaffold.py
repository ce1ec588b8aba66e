"""``runbookgen init``: the files a new runbook inventory starts from.

``runbooks.yaml`` (with the schema modeline and one complete example alert) and
``runbooks.schema.json`` beside it for the editor, ``mkdocs.yml``, a pre-commit
configuration, and CI for GitHub Actions and GitLab. The scaffold validates,
builds and lints as it stands once ``lint.rules`` names the rule files.

Existing files are never overwritten without ``force``; when any exists, nothing
is written. CI runs from the repository root, so when the folder lies inside a
git repository the CI files name the inventory by its path from there.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from runbookgen import clock
from runbookgen.adopt import scaffold_files as files
from runbookgen.adopt.files import write_file
from runbookgen.adopt.yamltext import scalar
from runbookgen.problems import InputError, Position, Problem

CI_FILES = (".pre-commit-config.yaml", ".github/workflows/runbooks.yml", ".gitlab-ci.yml")


@dataclass(frozen=True)
class ScaffoldSettings:
    service: str
    site_url: str = ""
    rules: tuple[str, ...] = ()  # relative to the folder
    ci: bool = True
    from_root: str = "."  # the folder's path from the repository root


def settings_for(directory: str, *, service: str | None, site_url: str, rules: tuple[str, ...],
                 ci: bool) -> ScaffoldSettings:
    """Settings for a scaffold in ``directory``: rule paths given from the working directory become
    paths from the new inventory, and the service is named after the folder unless named."""
    target = os.path.abspath(directory)
    from_inventory = tuple(
        path if os.path.isabs(path) else os.path.relpath(os.path.abspath(path), target).replace(os.sep, "/")
        for path in rules)
    return ScaffoldSettings(service=service or os.path.basename(target) or "my-service", site_url=site_url,
                            rules=from_inventory, ci=ci, from_root=repository_path(directory))


def scaffold_files(settings: ScaffoldSettings, today: dt.date) -> dict[str, str]:
    """Relative path -> text of every file init writes."""
    from runbookgen.inventory.validate import schema_text

    def at_root(name: str) -> str:
        return name if settings.from_root == "." else f"{settings.from_root}/{name}"

    values = {
        "SERVICE": scalar(settings.service, 4), "SERVICE_TEXT": settings.service.replace("\n", " "),
        "TEAM": "TODO-team", "TODAY": today.isoformat(), "RULES": _rules_lines(settings.rules),
        "SITE_NAME": scalar(f"{settings.service} runbooks", 2), "SITE_URL": _site_url_line(settings.site_url),
        "INVENTORY": at_root("runbooks.yaml"), "CONFIG": at_root("mkdocs.yml"), "SITE_DIR": at_root("site"),
    }
    out = {"runbooks.yaml": _fill(files.RUNBOOKS_YAML, values), "runbooks.schema.json": schema_text(),
           "mkdocs.yml": _fill(files.MKDOCS_YML, values)}
    if settings.ci:
        out[".pre-commit-config.yaml"] = _fill(files.PRE_COMMIT_CONFIG, values)
        out[".github/workflows/runbooks.yml"] = _fill(files.GITHUB_WORKFLOW, values)
        out[".gitlab-ci.yml"] = _fill(files.GITLAB_CI, values)
    return out


def scaffold(directory: str, settings: ScaffoldSettings, *, force: bool = False,
             today: dt.date | None = None) -> list[str]:
    """Write the scaffold into ``directory``; the paths written. InputError when a file exists (unless ``force``)."""
    texts = scaffold_files(settings, today or clock.today())
    targets = {name: os.path.normpath(os.path.join(directory, name)) for name in texts}
    existing = [path for path in targets.values() if os.path.lexists(path)]
    if existing and not force:
        raise InputError([Problem(Position(path, 1, 1), "already exists; init overwrites nothing unless --force "
                                                        "is given") for path in existing])
    for name, text in texts.items():
        write_file(targets[name], text)
    return list(targets.values())


def repository_path(directory: str) -> str:
    """``directory``'s path from the root of the git repository it is in ("." when none, or at the root)."""
    here = os.path.abspath(directory)
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return os.path.relpath(here, probe).replace(os.sep, "/")
        parent = os.path.dirname(probe)
        if parent == probe:
            return "."
        probe = parent


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(f"@@{name}@@", value)
    return template


def _rules_lines(rules: tuple[str, ...]) -> str:
    if rules:
        return "  rules:\n" + "\n".join(f"    - {scalar(r, 6)}" for r in rules) + "\n  stale_after: 180d"
    return ("  # rules:\n  #   - rules/\n"
            "  stale_after: 180d          # a runbook not reviewed for this long is stale")


def _site_url_line(site_url: str) -> str:
    if site_url:
        return f"site_url: {scalar(site_url, 2)}"
    return ("# TODO: where the site is published; runbook_url annotations point at its pages:\n"
            "# site_url: https://runbooks.example.com/")

