"""Imports every model so that Alembic and create_all see the whole schema."""

from .api.models import ApiToken  # noqa: F401
from .audit import AuditEvent, AuditHead  # noqa: F401
from .audit_anchor import AuditCheckpoint  # noqa: F401
from .blobs import Blob  # noqa: F401
from .campaigns.award_rules import AwardRule  # noqa: F401
from .campaigns.legal import AwardSetting, LegalText  # noqa: F401
from .campaigns.models import AwardForm, Campaign, Extension, Registration  # noqa: F401
from .certificates.models import CertificateTemplate  # noqa: F401
from .council.models import (  # noqa: F401, E402
    Attendance,
    BallotReceipt,
    CouncilSetting,
    Meeting,
    PaperTally,
    Recusal,
    Result,
    SealedBallot,
)
from .decisions.models import Decision, DecisionAward  # noqa: F401, E402
from .history.facts import Discipline, Initiative, StaffRating  # noqa: F401, E402
from .history.models import AwardRecord  # noqa: F401, E402
from .history.tally import AwardTally  # noqa: F401, E402
from .intake.models import ListVersion  # noqa: F401, E402
from .mail_actions.models import ActionLink  # noqa: F401, E402
from .nominations.models import (  # noqa: F401
    AchievementReport,
    Attachment,
    Dossier,
    FixItem,
    Nominee,
    Snapshot,
)
from .notify.models import Holiday, Message  # noqa: F401, E402
from .org.models import Agency, RoleAssignment, Staff, Unit, User, UserSession  # noqa: F401
from .register.models import RegisterEntry, RegisterSequence  # noqa: F401
from .stats.models import ReportSetting  # noqa: F401
from .throttle import RateLimitCounter  # noqa: F401
from .versioning import ContentVersion  # noqa: F401
