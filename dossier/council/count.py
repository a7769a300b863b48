"""One nominee's count in one round: pure arithmetic, integers only, checked.

The base and the numerator count the same people. The electorate of a nominee is who may
put a ballot in its box this round: the members present who are not recused on it, plus,
where the meeting counts written views, the absent members who sent one on it. Then

    agree ≤ valid ≤ returned ≤ issued = electorate ≤ members, and agree ≤ base ≤ members

where the base is, as the award form says, all members of the council (Luật Thi đua, khen
thưởng 2022 and the council's rules: "tổng số thành viên"), the electorate ("số thành viên có
mặt", with those who voted in writing when written views count) or the valid ballots. No
share above 100% can come out of it: input that would make one is refused.

A result from fewer valid ballots than the meeting's minimum is withheld (not published,
not kept): with one or two ballots a total tells how each voter voted.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..enums import ThresholdBase
from ..errors import DomainError
from .thresholds import passes


@dataclass(frozen=True)
class Tally:
    issued: int
    returned: int
    valid: int
    agree: int
    base: int
    passed: bool
    withheld: bool


def electorate(*, present: int, recused_present: int, written: int, count_written: bool) -> int:
    """Who may vote on a nominee: present and not recused, plus written views if they count."""
    if min(present, recused_present, written) < 0 or recused_present > present:
        raise DomainError("Số thành viên có mặt, không tham gia biểu quyết không hợp lý.")
    if written and not count_written:
        raise DomainError(
            "Theo cài đặt của Hội đồng, ý kiến bằng văn bản không được tính vào kết quả."
        )
    return present - recused_present + written


def possible(*, issued: int, returned: int, valid: int, agree: int, limit: int) -> None:
    """Refuse numbers no real count can give (a share above 100% among them)."""
    if min(issued, returned, valid, agree) < 0:
        raise DomainError("Số phiếu không được âm.")
    if not agree <= valid <= returned <= issued <= limit:
        raise DomainError(
            "Kết quả kiểm phiếu không hợp lý: phải có số đồng ý ≤ số phiếu hợp lệ ≤ số phiếu "
            f"thu về ≤ số phiếu phát ra ≤ số thành viên được bỏ phiếu ({limit})."
        )


def base_of(kind: str, *, members: int, electorate: int, valid: int) -> int:
    return {
        ThresholdBase.MEMBERS: members,
        ThresholdBase.PRESENT: electorate,
        ThresholdBase.VALID: valid,
    }[ThresholdBase(kind)]


def tally(
    *,
    members: int,
    electorate: int,
    issued: int,
    returned: int,
    valid: int,
    agree: int,
    base_kind: str,
    pct: int,
    strict: bool,
    min_ballots: int,
) -> Tally:
    """The checked count: refuses what cannot be, withholds what would reveal a ballot."""
    if not 0 <= pct <= 100:
        raise DomainError("Ngưỡng biểu quyết phải từ 0% đến 100%.")
    if electorate > members:
        raise DomainError(
            f"Số thành viên được bỏ phiếu ({electorate}) vượt tổng số thành viên ({members})."
        )
    possible(issued=issued, returned=returned, valid=valid, agree=agree, limit=electorate)
    base = base_of(base_kind, members=members, electorate=electorate, valid=valid)
    if valid < min_ballots:  # publishing it would tell how the few voters voted
        return Tally(issued, returned, 0, 0, base, passed=False, withheld=True)
    return Tally(issued, returned, valid, agree, base, passes(agree, base, pct, strict), False)
