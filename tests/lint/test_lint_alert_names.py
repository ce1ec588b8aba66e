"""Alert names as Prometheus accepts them (spaces, any letter) have a stable page, URL and runbook entry."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lint_helpers import alert_rule, group

from runbookgen.addresses import slugify
from runbookgen.inventory.model import is_alert_name
from runbookgen.addresses import runbook_url


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z_][A-Za-z0-9_:-]{0,39}", fullmatch=True))
def test_classic_names_keep_the_slug_they_always_had(name):
    """Every name the schema accepted before (the classic Prometheus shape) keeps its page address."""
    assert slugify(name) == (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "alert")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=40))
def test_other_ascii_names_get_pages_of_their_own(name):
    """A name the slug would fold into another ("Disk errors", "disk-errors") gets a digest, stable per name."""
    plain = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "alert"
    assert slugify(name) == plain or slugify(name).startswith(plain + "-")
    assert slugify(name) == slugify(name)


def test_names_beyond_ascii_keep_distinct_pages():
    names = ["Fehler", "Fehlér", "Fëhler", "Ошибка", "错误", "Ошибка API"]
    slugs = [slugify(n) for n in names]
    assert len(set(slugs)) == len(names)
    assert slugs[0] == "fehler" and slugs[3].startswith("alert-") and slugs[5].startswith("api-")
    assert len({slugify("Disk errors"), slugify("disk-errors"), slugify("disk errors")}) == 3
    assert slugify("Ошибка") == slugify("Ошибка")  # stable: a digest, not a counter


def test_what_prometheus_accepts_is_a_name():
    for good in ["High Load", "Elasticsearch ILM errors in production", "5xxErrors", "a/b", "Höhe", "x"]:
        assert is_alert_name(good), good
    for bad in ["", " x", "x ", "a\tb", "a\nb", "High\u202eLoad", "zero\u200bwidth", "x" * 257]:
        assert not is_alert_name(bad), bad


def test_runbook_urls_encode_names_only_where_a_url_needs_it():
    url = "https://wiki.example.com/{name}"
    assert runbook_url("KubePodCrashLooping", site_url="", html_pages=True, pattern=url).endswith("/KubePodCrashLooping")
    assert runbook_url("a:b_c-d", site_url="", html_pages=True, pattern=url).endswith("/a:b_c-d")
    assert runbook_url("mtail log errors", site_url="", html_pages=True, pattern=url).endswith("/mtail%20log%20errors")
    assert runbook_url("a/b?c#d", site_url="", html_pages=True, pattern=url).endswith("/a%2Fb%3Fc%23d")
    assert runbook_url("mtail log errors", site_url="https://rb.example.com/", html_pages=False) == \
        f"https://rb.example.com/alerts/{slugify('mtail log errors')}/"
    assert slugify("mtail log errors").startswith("mtail-log-errors-")


def test_a_rule_named_with_spaces_has_its_runbook(project):
    project.inventory('alerts:\n  - name: "mtail log errors"\n    severity: critical\n    summary: mtail fails\n'
                      "    last_reviewed: 2026-05-01\n"
                      'lint:\n  waivers:\n    - {alert: "disk almost full", check: missing-runbook, reason: elsewhere,'
                      " expires: 2027-01-01}\n")
    project.rules(group(alert_rule('"mtail log errors"'), alert_rule('"disk almost full"', "warning")))
    result = project.lint("rules")
    assert [f.code for f in result.findings if f.code in ("RB001", "RB002", "RB017")] == []
    assert result.waived == 1 and result.coverage.with_runbook == 1
