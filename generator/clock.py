"""The one time zone and the one "now" of jiandi.

Every date jiandi prints (pages, feeds, the sitemap, booklets) and every moment it compares
(embargoes, overdue follow-ups, expired policies) is in Beijing time: China has kept UTC+8 without
summer time since 1991, so a fixed offset is exact and needs no time-zone database on the
machine. "Now" is ``SOURCE_DATE_EPOCH`` when it is set (a reproducible or a planned build: what
the site will be at that moment), else the clock.
"""

from __future__ import annotations

import datetime as dt
import os

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class ClockError(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a number of seconds."""


def now() -> dt.datetime:
    """This moment (or ``SOURCE_DATE_EPOCH``), in Beijing time, to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise ClockError(
                f"环境变量 SOURCE_DATE_EPOCH 的值 “{epoch}” 不是秒数：请写成整数（例如 1717200000），"
                f"或删掉这个变量"
            ) from None
        try:
            return dt.datetime.fromtimestamp(seconds, tz=CHINA)
        except (OverflowError, ValueError, OSError):
            raise ClockError(
                f"环境变量 SOURCE_DATE_EPOCH 的值 “{epoch}” 超出了日期的范围：请写成合理的秒数"
                f"（例如 1717200000，即 2024年6月1日），或删掉这个变量"
            ) from None
    return dt.datetime.now(tz=CHINA).replace(microsecond=0)


def wall_today() -> dt.date:
    """Today's date in Beijing by the machine's clock, whatever SOURCE_DATE_EPOCH says (a
    sign-off dated later than this cannot have been made by ``jiandi approve``)."""
    return dt.datetime.now(tz=CHINA).date()


def today() -> dt.date:
    """Today's date in Beijing."""
    return now().date()


def at(day: dt.date, time: dt.time = dt.time()) -> dt.datetime:
    """A day (and time) in Beijing as a moment."""
    return dt.datetime.combine(day, time, tzinfo=CHINA)


def shown(moment: dt.datetime) -> str:
    """A moment as pages print it: 2024年6月1日 09:00."""
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
