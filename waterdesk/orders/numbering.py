"""Readable order numbers: GD + local date + a sequence of at least four digits."""

import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from .models import OrderNumberSequence

_NEXT_VALUE_SQL = (
    "INSERT INTO {table} (day, last_value) VALUES (%s, 1) "
    "ON CONFLICT (day) DO UPDATE SET last_value = {table}.last_value + 1 "
    "RETURNING last_value"
)


def next_order_number(now: datetime.datetime, timezone_name: str) -> str:
    """Reserve and return the next order number of the local day of `now`.

    The upsert increments the day's counter in one statement, so two callers never get the same
    value: the second waits for the first's row lock. That lock lasts until the caller's
    transaction ends, so creation calls this before its own transaction starts, and concurrent
    creates queue only for this statement. An order whose transaction then fails leaves its
    number unused: numbers may have gaps but are never given twice.
    """
    local_day = now.astimezone(ZoneInfo(timezone_name)).date()
    sql = _NEXT_VALUE_SQL.format(
        table=connection.ops.quote_name(OrderNumberSequence._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [local_day])
        (value,) = cursor.fetchone()
    return f"GD{local_day:%Y%m%d}{value:04d}"
