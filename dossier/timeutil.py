"""The Asia/Ho_Chi_Minh clock: storage is UTC, every display is local and Vietnamese."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Tests move this to simulate another moment; production never touches it.
_frozen_now: datetime | None = None


def freeze(moment: datetime | None) -> None:
    global _frozen_now
    _frozen_now = moment


def now() -> datetime:
    """Aware UTC now (or the frozen moment)."""
    return _frozen_now.astimezone(UTC) if _frozen_now else datetime.now(UTC)


def local_now() -> datetime:
    return now().astimezone(VN_TZ)


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)


def vn_date(d: date | datetime | None) -> str:
    """'ngày 05 tháng 01 năm 2026' (NĐ 30: a leading zero for days below 10, months 1 and 2)."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = to_local(d).date()
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def vn_datetime(moment: datetime | None) -> str:
    """'14:05 ngày 19 tháng 12 năm 2026' in local time."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local:%H:%M} {vn_date(local)}"


def short_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = to_local(d).date()
    return f"{d:%d/%m/%Y}"


def cutoff_before(day: date) -> datetime:
    """'Trước ngày 20/12' means the last accepted instant is 19/12 23:59:59 local time."""
    return datetime.combine(day - timedelta(days=1), time(23, 59, 59), VN_TZ).astimezone(UTC)


NO_CUTOFF = "không có hạn nộp: hồ sơ gửi khi có thành tích"


def describe_cutoff(cutoff: datetime | None) -> str:
    """The cut-off in the words of the plan: 'trước ngày 20/12/2026 (hạn cuối 23:59:59 …)'."""
    if cutoff is None:  # a procedure without a cut-off (ad hoc awards)
        return NO_CUTOFF
    local = to_local(cutoff)
    next_day = (local + timedelta(seconds=1)).date()
    return (
        f"trước ngày {next_day:%d/%m/%Y} (hạn cuối {local:%H:%M:%S} {vn_date(local)}, giờ Việt Nam)"
    )


def cutoff_words(cutoff: datetime) -> str:
    """'23:59:59 ngày 19 tháng 12 năm 2026': the exact last accepted second, local time."""
    local = to_local(cutoff)
    return f"{local:%H:%M:%S} {vn_date(local)}"


def time_left(until: datetime | None) -> str:
    """'còn 3 ngày 4 giờ', 'còn dưới 1 phút', 'đã quá hạn' or 'đã quá hạn 2 giờ'.

    Never "còn 0 phút": under a minute before the cut-off is "còn dưới 1 phút"; from the
    cut-off on it is "đã quá hạn" (with how long once that is at least a minute)."""
    if until is None:
        return "không giới hạn thời gian"
    seconds = int((until - now()).total_seconds())
    if seconds <= 0:
        amount = _amount(-seconds)
        return f"đã quá hạn {amount}" if amount else "đã quá hạn"
    return f"còn {_amount(seconds) or 'dưới 1 phút'}"


def _amount(seconds: int) -> str:
    """'3 ngày 4 giờ', '2 giờ 5 phút', '7 phút'; '' under a minute."""
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{days} ngày {hours} giờ"
    if hours:
        return f"{hours} giờ {minutes} phút"
    return f"{minutes} phút" if minutes else ""


__all__ = ["VN_TZ", "UTC", "now", "local_now", "to_local", "vn_date", "vn_datetime"]
