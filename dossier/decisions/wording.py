"""What a new draft decision says, from data: the căn cứ lines (full citations), the
subject, Điều 1 in the Law's words, the optional article on the bonus, Nơi nhận.

The draft stores these as editable text (the Văn phòng may still change them); nothing
here reads a catalogue label or a campaign's name into the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..campaigns.legal import AwardSetting, basis_of, ensure_default_texts
from ..org.models import Agency
from ..timeutil import vn_date

LEADS = ("Căn cứ", "Theo", "Xét", "Thực hiện")


@dataclass
class FormCount:
    """One award form of the decision: its wording and who gets it."""

    name: str  # "Danh hiệu “Lao động tiên tiến”"
    wording: str  # "tặng danh hiệu “Lao động tiên tiến”"
    collectives: int = 0
    individuals: int = 0
    bonus_hundredths: int | None = None  # of the base salary
    collective_bonus_hundredths: int | None = None


@dataclass
class DraftTexts:
    subject: str
    basis: list[str]
    articles: list[str]
    recipients: str


def count_phrase(collectives: int, individuals: int, sep: str = " và ") -> str:
    """ "2 tập thể và 5 cá nhân", leaving out a zero part."""
    parts = [f"{n} {w}" for n, w in ((collectives, "tập thể"), (individuals, "cá nhân")) if n]
    return sep.join(parts)


def money(amount: int) -> str:
    """ "37.630.000" (a dot between thousands, as Vietnamese texts write sums)."""
    return f"{amount:,}".replace(",", ".")


def rounding_words(round_to: int) -> str:
    words = {1_000: "nghìn", 10_000: "chục nghìn", 100_000: "trăm nghìn", 1_000_000: "triệu"}
    return f"hàng {words[round_to]} đồng" if round_to in words else f"bội số {money(round_to)} đồng"


def bonus_amount(hundredths: int, base_salary: int, round_to: int) -> int:
    """hundredths/100 of the base salary, rounded up to round_to đồng (integers only)."""
    return -(-hundredths * base_salary // (100 * round_to)) * round_to


def count_forms(nominees) -> list[FormCount]:
    """Award forms in the decision's order, those with the same wording merged (the
    Giấy khen of individuals and of collectives are one "tặng Giấy khen")."""
    by_wording: dict[str, FormCount] = {}
    for n in nominees:
        form = n.award_form
        fc = by_wording.setdefault(form.wording, FormCount(form.official_name, form.wording))
        if n.kind == "collective":
            fc.collectives += 1
            fc.collective_bonus_hundredths = form.bonus_hundredths
        else:
            fc.individuals += 1
            fc.bonus_hundredths = form.bonus_hundredths
    return list(by_wording.values())


def basis_lines(campaign, meeting=None) -> list[str]:
    """ "Căn cứ …" for the campaign's texts (competence first), its own extra lines, the
    council's minutes, and "Theo đề nghị của Chánh Văn phòng Sở" last."""
    ensure_default_texts()
    agency = Agency.get()
    lines = [f"Căn cứ {t.citation()}" for t in basis_of(campaign)]
    for extra in (campaign.legal_basis or "").splitlines():
        extra = extra.strip().rstrip(";.").strip()
        if extra:
            lines.append(extra if extra.startswith(LEADS) else f"Căn cứ {extra}")
    if meeting is not None:
        lines.append(
            f"Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng {agency.name} "
            f"{vn_date(meeting.held_on)}"
        )
    lines.append("Theo đề nghị của Chánh Văn phòng Sở")
    return lines


def subject_line(campaign, forms: list[FormCount]) -> str:
    """ "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025" for one form of a yearly
    campaign; otherwise "Về việc khen thưởng các tập thể, cá nhân có thành tích …"."""
    if len(forms) == 1 and campaign.kind == "yearly":
        return f"Về việc {forms[0].wording} năm {campaign.year}"
    phrase = campaign.achievement.removeprefix("đã ").strip()
    return f"Về việc khen thưởng các tập thể, cá nhân {phrase}"


def award_article(campaign, forms: list[FormCount]) -> str:
    parts = [f"{fc.wording} cho {count_phrase(fc.collectives, fc.individuals)}" for fc in forms]
    text = "; ".join(parts)
    achievement = campaign.achievement.strip().rstrip(".")
    return f"{text[0].upper()}{text[1:]} (có danh sách kèm theo), {achievement}."


def bonus_article(forms: list[FormCount], setting: AwardSetting) -> str | None:
    """The bonus per form as the decree's multiple of the base salary, the total and the
    fund; None if no form of the decision carries a coefficient."""
    items, total = [], 0
    for fc in forms:
        pieces = []
        for count, hundredths, who in (
            (fc.individuals, fc.bonus_hundredths, "cá nhân"),
            (fc.collectives, fc.collective_bonus_hundredths, "tập thể"),
        ):
            if not count or not hundredths:
                continue
            each = bonus_amount(hundredths, setting.base_salary, setting.round_to)
            total += each * count
            factor = f"{hundredths / 100:g}"
            factor = (factor if "." in factor else f"{factor}.0").replace(".", ",")
            pieces.append(
                f"{factor} lần mức lương cơ sở, thành {money(each)} đồng/{who} × {count} "
                f"{who} = {money(each * count)} đồng"
            )
        if pieces:
            items.append(f"{fc.name}: " + "; ".join(pieces))
    if not items:
        return None
    return (
        f"Tiền thưởng kèm theo thực hiện theo {setting.bonus_source}, trên mức lương cơ sở "
        f"{money(setting.base_salary)} đồng ({setting.base_salary_source}), làm tròn lên "
        f"{rounding_words(setting.round_to)}: " + "; ".join(items) + f". Tổng số tiền thưởng: "
        f"{money(total)} đồng, chi từ {setting.fund}."
    )


def draft_texts(campaign, nominees, meeting=None) -> DraftTexts:
    forms = count_forms(nominees)
    articles = [award_article(campaign, forms)]
    if campaign.bonus_article and (bonus := bonus_article(forms, AwardSetting.get())):
        articles.append(bonus)
    articles += [
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "Chánh Văn phòng Sở, Thủ trưởng các phòng, đơn vị thuộc Sở và các tập thể, cá nhân có "
        "tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    ]
    return DraftTexts(
        subject=subject_line(campaign, forms),
        basis=basis_lines(campaign, meeting),
        articles=articles,
        recipients=f"Như Điều {len(articles)}\nSở Nội vụ (b/c)\nLưu: VT, VP.",
    )
