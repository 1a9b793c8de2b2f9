"""Load without loss, short: `make reliability` for a few seconds on the test database.

R1 reads, creates, updates, joins, leaves and invites from 6 clients against
`roomsets serve --workers 2`; not one 5xx, and the tables hold exactly what the
acknowledged answers said (bench/reliability.py has the audit). PostgreSQL only: that is
where two workers write at the same time.
"""

import random

import pytest

from bench.reliability import passed, run_load, summary_lines
from tests.conftest import TEST_SECRET

SECONDS = 8


async def test_a_mixed_load_loses_no_acknowledged_write(database, clean_tables):
    if database.backend != "postgresql":
        pytest.skip("two workers writing at once is a PostgreSQL deployment")
    result = await run_load(
        database.url, duration=SECONDS, clients=6, members=6, seed=random.randrange(2**31), secret=TEST_SECRET
    )
    report = "\n".join(summary_lines(result))
    print(report)
    assert result["requestsSent"] > 50, report
    assert passed(result), report
