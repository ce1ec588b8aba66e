"""A `runbook_url` annotation does not point at the alert's runbook page.

## What it catches

A well-formed `runbook_url` that differs from the URL of the alert's page on the
runbook site. The expected URL comes from one pattern:

- `lint.runbook_url` in the inventory, with the placeholders `{site_url}`,
  `{path}` (`alerts/<slug>.html` or `alerts/<slug>/`), `{slug}` and `{name}`;
- otherwise `{site_url}{path}`, where `site_url` is read from `mkdocs.yml`. Pages
  end in `.html` when `use_directory_urls` is false or the `offline` plugin is on
  (as in the default configuration), and in `/` otherwise.

An alert whose runbook is kept elsewhere records that address in its inventory
entry (`runbook_url:`, which `runbookgen import` fills in from the rule's link);
its rules must then carry that address instead.

A trailing `/` or `index.html` does not count as a difference. When neither a
`site_url` nor a pattern is configured, only presence (runbook-url-missing) and
form (runbook-url-malformed) are checked, and lint says so in a note.

A URL holding Prometheus templates (`{{ $labels.job }}`, `{{ $externalURL }}`) is
reported too, with its own message: runbookgen cannot tell which page it opens,
so `annotate` replaces it, and lint says so first. To keep such a runbook where it
is, record a plain URL in the inventory entry.

## Why it matters

A link to a renamed page, an old wiki or another team's copy sends the on-call
engineer to the wrong instructions, which is worse than none.

## Example

```yaml
# mkdocs.yml: site_url: https://runbooks.example.com/
annotations:
  runbook_url: https://wiki.example.com/display/OPS/Checkout+latency
  # expected:  https://runbooks.example.com/alerts/checkoutlatencyhigh.html
```

## How to fix

Run `runbookgen annotate --rules rules/`, or correct the URL by hand. If this
alert's runbook is meant to stay where the link points, record the link in its
inventory entry (`runbook_url: https://...`). If all your runbooks live at
another address, set the pattern:

```yaml
lint:
  runbook_url: https://runbooks.example.com/{slug}
```
"""

from __future__ import annotations

from runbookgen.checks.base import Report
from runbookgen.checks.context import EXEMPT_SEVERITIES
from runbookgen.checks.options import Option
from runbookgen.checks.runbook_url_malformed import url_problem

CODE = "RB005"
NAME = "runbook-url-mismatch"
LEVEL = "error"
RUNBOOK_URL = Option("runbook_url", "string", None, "Pattern of the expected runbook_url annotation; {site_url}, "
                     "{path}, {slug} and {name} are replaced")
OPTIONS = (RUNBOOK_URL, EXEMPT_SEVERITIES)


def comparable(url: str) -> str:
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    url = f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"
    for suffix in ("/index.html", "/"):
        url = url.removesuffix(suffix)
    return url


def wanted_url(ctx, name: str) -> str | None:
    """The runbook_url an alert's rules should carry: the inventory's recorded one, else its page's."""
    alert = ctx.inventory.alert(name)
    if alert is not None and alert.runbook_url:
        return alert.runbook_url
    return ctx.expected_url(name)


def check(ctx):
    for rule in ctx.ruleset.rules:
        url = rule.annotation("runbook_url") if rule.kind == "alert" else None
        if not url or url_problem(url) or ctx.is_exempt(rule):
            continue
        expected = wanted_url(ctx, rule.name)
        if not expected or url == expected or comparable(url) == comparable(expected):
            continue
        if "{{" in url:
            message = (f"runbook_url of alert {rule.name!r} is a template ({url}), so which page it opens "
                       f"depends on the alert; annotate will point it at {expected}. To keep a runbook "
                       "elsewhere, record a plain URL as the entry's runbook_url")
        else:
            message = f"runbook_url of alert {rule.name!r} is {url}, not its runbook page {expected}"
        yield Report(rule.where("annotations", "runbook_url"), message, alert=rule.name)
