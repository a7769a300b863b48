"""The unit's and the Văn phòng's tasks about dossiers, from the live data."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import func, select

from ..access import UNIT_ROLES
from ..campaigns.models import Campaign
from ..enums import Role, UnitKind
from ..extensions import db
from ..inbox import PROVIDERS, Task
from ..org.models import Unit
from ..states import DOSSIER_SENT, DossierState
from ..timeutil import describe_cutoff, now, time_left
from .models import Dossier

# How long after its cut-off a campaign's returned dossier is still listed to fix.
LATE_FIX_WINDOW = timedelta(days=90)


def unit_tasks(user) -> list[Task]:
    unit_ids = user.unit_ids(*UNIT_ROLES)
    if not unit_ids:
        return []
    tasks = []
    open_campaigns = db.session.scalars(select(Campaign).order_by(Campaign.cutoff_at)).all()
    for campaign in open_campaigns:
        for unit_id in unit_ids:
            cutoff = campaign.cutoff_for(unit_id)
            # No cut-off (ad hoc awards): no unit owes a dossier; one started is still due.
            open_ended = cutoff is None
            if not open_ended and now() - cutoff > LATE_FIX_WINDOW:
                continue  # a past year's campaign: nothing is owed on it any more
            dossiers = [
                d
                for d in db.session.scalars(
                    select(Dossier).where(
                        Dossier.campaign_id == campaign.id, Dossier.unit_id == unit_id
                    )
                )
            ]
            if not open_ended and cutoff < now():
                # Past the cut-off only a returned dossier is still the unit's to fix: it
                # needs an extension from the Văn phòng before it can be sent again.
                tasks.extend(
                    Task(
                        f"Bổ sung hồ sơ bị trả lại: {campaign.name}",
                        f"{len(d.open_fix_items)} nội dung cần bổ sung. Đã hết hạn nộp "
                        f"({describe_cutoff(cutoff)}): đề nghị Văn phòng Sở gia hạn để nộp lại.",
                        url_for("nominations.show", dossier_id=d.id),
                        True,
                        len(d.open_fix_items),
                    )
                    for d in dossiers
                    if d.state == DossierState.RETURNED
                )
                continue
            unit = db.session.get(Unit, unit_id)
            urgent = not open_ended and (cutoff - now()).days < 3
            deadline = "" if open_ended else f" Hạn {time_left(cutoff)}."
            if not dossiers and not open_ended:
                tasks.append(
                    Task(
                        f"Lập hồ sơ: {campaign.name}",
                        f"{unit.name} chưa có hồ sơ. Hạn {describe_cutoff(cutoff)}, "
                        f"{time_left(cutoff)}.",
                        url_for("campaigns.show", campaign_id=campaign.id),
                        urgent,
                    )
                )
            for d in dossiers:
                if d.state == DossierState.DRAFT:
                    tasks.append(
                        Task(
                            f"Hoàn thiện và nộp hồ sơ: {campaign.name}",
                            f"{d.title}: bản nháp, {len(d.nominees)} đề nghị.{deadline}",
                            url_for("nominations.show", dossier_id=d.id),
                            urgent,
                        )
                    )
                elif d.state == DossierState.RETURNED:
                    tasks.append(
                        Task(
                            f"Bổ sung hồ sơ bị trả lại: {campaign.name}",
                            f"{len(d.open_fix_items)} nội dung cần bổ sung.{deadline}",
                            url_for("nominations.show", dossier_id=d.id),
                            True,
                            len(d.open_fix_items),
                        )
                    )
    return tasks


def office_tasks(user) -> list[Task]:
    if not user.has_role(Role.OFFICE):
        return []
    tasks = []
    waiting = db.session.execute(
        select(Campaign, func.count(Dossier.id))
        .join(Dossier, Dossier.campaign_id == Campaign.id)
        .where(Dossier.state == DossierState.SUBMITTED)
        .group_by(Campaign.id)
        .order_by(Campaign.cutoff_at)
    ).all()
    for campaign, count in waiting:  # one task per campaign, linked to its waiting dossiers
        tasks.append(
            Task(
                f"Kiểm tra hồ sơ đã nộp: {campaign.name}",
                f"{count} hồ sơ đang chờ Văn phòng tiếp nhận hoặc trả lại.",
                url_for(
                    "intake.index",
                    campaign_id=campaign.id,
                    **{"trang-thai": DossierState.SUBMITTED.value},
                ),
                False,
                count,
            )
        )
    units = db.session.scalar(
        select(func.count()).select_from(Unit).where(Unit.active, Unit.kind != UnitKind.LEADERSHIP)
    )
    for campaign in db.session.scalars(select(Campaign).where(Campaign.cutoff_at > now())):
        done = db.session.scalar(
            select(func.count(func.distinct(Dossier.unit_id))).where(
                Dossier.campaign_id == campaign.id, Dossier.state.in_(DOSSIER_SENT)
            )
        )
        if units - done > 0:
            tasks.append(
                Task(
                    f"Đơn vị chưa nộp hồ sơ: {campaign.name}",
                    f"{units - done} đơn vị chưa nộp; hạn "
                    f"{describe_cutoff(campaign.cutoff_at)}, "
                    f"{time_left(campaign.cutoff_at)}.",
                    url_for("intake.index", campaign_id=campaign.id, **{"trang-thai": "none"}),
                    False,
                    units - done,
                )
            )
    tasks.append(
        Task("Đợt thi đua", "Tạo đợt, đặt hạn nộp, gia hạn cho đơn vị.", url_for("campaigns.index"))
    )
    return tasks


PROVIDERS.extend([unit_tasks, office_tasks])
