"""lark (the LALR parser's tables) is imported only when a query needs the LALR parser: a lint whose
PromQL the fast path reads, or whose verdicts were kept, starts faster."""

import subprocess
import sys

_PROBE = """
import sys
from runbookgen.queries.promql import promql_problem
for q in {queries!r}:
    print(repr(promql_problem(q)))
print("lark" in sys.modules)
"""


def _run(queries):
    out = subprocess.run([sys.executable, "-c", _PROBE.format(queries=queries)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return out[:-1], out[-1] == "True"


def test_queries_the_fast_path_reads_import_no_lark():
    verdicts, lark_loaded = _run(['sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0.05',
                                  'up == 0', 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))'])
    assert verdicts == ["None", "None", "None"]
    assert not lark_loaded


def test_a_syntax_error_loads_the_lalr_parser_and_says_what_was_expected():
    verdicts, lark_loaded = _run(["sum(rate(x[5m])"])
    assert lark_loaded
    assert "unclosed left parenthesis" in verdicts[0] and "line=1" in verdicts[0]
