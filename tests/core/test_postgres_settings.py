"""PostgreSQL connections plan for data in memory or on an SSD (community/core/database.py)."""

import pytest

from community.extensions import db
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the suite runs on SQLite")


def test_every_connection_costs_random_reads_as_an_ssd_does(app):
    db.engine.dispose()  # connections opened from here on
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"
