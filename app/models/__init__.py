"""All models, imported here so Alembic and the app see the whole schema."""
from app.models.action_plan import Action, ActionPlan, ActionStatus, PlanStatus, PlanVersion, ProgressUpdate
from app.models.audit import AuditEvent
from app.models.boards import (
                                     AdviceRequest,
                                     Allocation,
                                     AreaOfNeed,
                                     BoardMemberKind,
                                     Budget,
                                     ClusterBoard,
                                     ClusterBoardMember,
                                     ImpactReview,
                                     NextStep,
                                     Outcome,
                                     Referral,
                                     ReferralStatus,
                                     SupportLevel,
                                     SupportType,
                                     YearGroup,
)
from app.models.celebration import (
                                     EVIDENCE_LEVELS,
                                     IMPACT_AREA_LABELS,
                                     MAX_LEARNINGS,
                                     CelebrationSubmission,
                                     ImpactArea,
                                     Learning,
                                     PackStatus,
                                     PreparedPack,
)
from app.models.deadline import Deadline, DeadlineKind
from app.models.email import OutboxEmail
from app.models.framework import Framework, FrameworkArea, FrameworkPrompt, ScaleLevel
from app.models.kept_form import FormDraft, KeptForm
from app.models.moderation import FLAG_GAP, ModeratedRating, QAVisit
from app.models.notice import Notice, NoticeFrequency, NoticeKind
from app.models.programme import Cluster, Enrolment, Organisation, OrganisationKind, Programme, ProgrammeYear
from app.models.requests import ClosureDay, InformationRequest, RequestRecipient
from app.models.scheduling import (
                                     MEETINGS_PER_YEAR,
                                     ClusterMeeting,
                                     EventKind,
                                     MeetingState,
                                     PeerVisit,
                                     ProgrammeEvent,
                                     Term,
                                     TriadMeeting,
)
from app.models.school import School, SettingType
from app.models.self_evaluation import AreaRating, EvaluationStatus, SelfEvaluation
from app.models.sessions import PasswordResetRequest, UserSession
from app.models.triad import TRIAD_SIZE, Triad, TriadMember
from app.models.user import EndedRole, EndReason, Role, RoleAssignment, SignInAttempt, User

__all__ = [
    "AdviceRequest", "Allocation", "AreaOfNeed", "BoardMemberKind", "Budget", "ClusterBoard", "ClusterBoardMember",
    "ImpactReview", "NextStep", "Outcome", "Referral", "ReferralStatus", "SupportLevel", "SupportType", "YearGroup",
    "Action", "ActionPlan", "ActionStatus", "AreaRating", "AuditEvent", "CelebrationSubmission", "ClosureDay",
    "Cluster", "ClusterMeeting", "Deadline", "DeadlineKind", "EVIDENCE_LEVELS", "Enrolment", "EvaluationStatus",
    "EndReason", "EndedRole", "EventKind", "FLAG_GAP", "FormDraft",
    "Framework", "FrameworkArea", "FrameworkPrompt", "IMPACT_AREA_LABELS", "ImpactArea", "InformationRequest",
    "KeptForm", "Learning", "MAX_LEARNINGS", "MEETINGS_PER_YEAR", "MeetingState", "ModeratedRating", "Notice",
    "NoticeFrequency", "NoticeKind", "Organisation",
    "OrganisationKind", "OutboxEmail", "PackStatus", "PasswordResetRequest", "PeerVisit", "PlanStatus", "PlanVersion",
    "PreparedPack", "Programme", "ProgrammeEvent", "ProgrammeYear", "ProgressUpdate", "QAVisit",
    "RequestRecipient", "Role", "RoleAssignment", "ScaleLevel", "School", "SelfEvaluation", "SettingType",
    "SignInAttempt", "TRIAD_SIZE", "Term", "Triad", "TriadMeeting", "TriadMember", "User", "UserSession",
]
