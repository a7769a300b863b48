"""The award dossier's workflow (hồ sơ đề nghị khen thưởng).

Each state has its Vietnamese title; each transition names its trigger, the states it
leaves from, the state it reaches, the roles that may fire it and the guards that must
hold. A new step of the process is a new row here, never a new if-block in a view.
A row with "fired_by" is done by the system when another act happens (closing the vote
moves the dossiers): it names no roles, and the engine accepts it only from that act.

What the button partial (templates/_acts.html) reads from a row, all optional:
  button   its Bootstrap style ("success", "outline-danger", …)
  confirm  the question asked before acting (data-confirm)
  comment  a comment field with this placeholder (required when the "comment" guard is on)
  comment_states  show the comment field only from these states (default: every source)
  hide_unless  guards (of the row's own) that, failing, hide the button instead of
           offering an act bound to be refused (after the cut-off: no "Nộp hồ sơ")
  panel    a card of its own with this heading (the fix list of a return)
  label    the button's text when it is not the title
  hint     the button's tooltip
  done     what the user is told once it is done
  page     where the button is: "show" (the object's page, default) or another page that
           offers it its own way ("intake": the Văn phòng sends the whole list)
  task     the to-do list item of whoever may fire it now
  audit    the audit event's name when it is not the trigger

Roles are resolved by dossier.access.ROLES (unit roles against the dossier's unit).
Guards (dossier/nominations/guards.py; "comment" is the engine's own):
  complete          every component each nominee's award form requires is present
  before_cutoff     the campaign's cut-off (or the unit's extension) has not passed
  comment           the actor wrote a reason
  fix_list          the return carries at least one item to fix
  no_open_nominees  every nominee is approved, rejected or ineligible (after the council)
"""

NAME = "dossier"
OBJECT = "dossier"  # the audit trail's object type, and the prefix of the engine's signals
NOUN = "hồ sơ"  # "… khi hồ sơ đang ở trạng thái …"
TITLE = "Thủ tục thông thường (hằng năm, chuyên đề, tổng kết)"
INITIAL = "draft"

# The procedure's settings (workflows/dossier_simple.py is the other procedure):
CUTOFF = True  # the campaign has a cut-off; a dossier is submitted before it
COUNCIL = True  # the council votes on the list before the Director decides
# What a dossier holds: the unit meeting's minutes, and per nominee what its award form
# requires (None) or this fixed list of components.
# "scans": the signed scans the whole dossier needs: the campaign's setting (None) or
# this fixed list.
DOSSIER = {"minutes": True, "components": None, "scans": None}

STATES = [
    {"name": "draft", "title": "Nháp", "badge": "secondary"},
    # "stamp": the timestamp column set on entering (a check constraint ties the two).
    {"name": "submitted", "title": "Đã nộp", "badge": "primary", "stamp": "submitted_at"},
    {"name": "returned", "title": "Trả lại để bổ sung", "badge": "warning"},
    {"name": "accepted", "title": "Đã tiếp nhận", "badge": "info"},
    {"name": "council", "title": "Trình Hội đồng", "badge": "info"},
    {"name": "decided", "title": "Đã xét", "badge": "success"},
    {"name": "issued", "title": "Đã ban hành", "badge": "success"},
    {"name": "withdrawn", "title": "Đã rút", "badge": "dark"},
]

# The unit may change its dossier only in these states (and owes the Văn phòng a dossier).
EDITABLE = ["draft", "returned"]
# Sent by the unit and not given back: what counts as "submitted" for reminders and counts.
SENT = ["submitted", "accepted", "council", "decided", "issued"]
# The Văn phòng checks the nominees (marks one ineligible, restores) in these states.
REVIEWABLE = ["submitted", "accepted", "council"]
TERMINAL = ["issued", "withdrawn"]

TRANSITIONS = [
    {
        "trigger": "submit",
        "title": "Nộp hồ sơ",
        "source": ["draft", "returned"],
        "dest": "submitted",
        "roles": ["unit_head"],
        "guards": ["complete", "before_cutoff"],
        "button": "success",
        # Resubmitting a returned dossier: what was fixed (required when nothing changed
        # since the last submission: nominations/operations.py submit); kept in the audit.
        "comment": "Đã sửa, bổ sung những gì?",
        "comment_states": ["returned"],
        "hide_unless": ["before_cutoff"],
        "done": "Đã nộp hồ sơ cho Văn phòng Sở.",
    },
    {
        "trigger": "withdraw",
        "title": "Rút hồ sơ",
        "source": ["draft", "submitted", "returned"],
        "dest": "withdrawn",
        "roles": ["unit_head"],
        "guards": ["comment"],
        "button": "outline-danger",
        "comment": "Lý do rút",
        "confirm": "Rút hồ sơ này? Hồ sơ đã rút không nộp lại được.",
        "done": "Đã rút hồ sơ.",
    },
    {
        "trigger": "return_for_revision",
        "title": "Trả lại để bổ sung",
        "source": ["submitted"],
        "dest": "returned",
        "roles": ["office"],
        "guards": ["fix_list"],
        "button": "warning",
        "panel": "Trả lại để đơn vị bổ sung",
        "label": "Trả lại hồ sơ",
        "comment": "Ghi chú chung (không bắt buộc)",
        "done": "Đã trả lại hồ sơ để đơn vị bổ sung.",
    },
    {
        "trigger": "accept",
        "title": "Tiếp nhận",
        "source": ["submitted"],
        "dest": "accepted",
        "roles": ["office"],
        "guards": [],
        "button": "success",
        "done": "Đã tiếp nhận hồ sơ.",
    },
    {
        "trigger": "send_to_council",
        "title": "Trình Hội đồng",
        "source": ["accepted"],
        "dest": "council",
        "roles": ["office"],
        "guards": [],
        "page": "intake",  # "Gửi Hội đồng" sends every accepted dossier with the list
    },
    {
        "trigger": "record_decision",
        "title": "Ghi nhận kết quả xét",
        "source": ["council"],
        "dest": "decided",
        "roles": [],
        "guards": ["no_open_nominees"],
        "fired_by": "meeting.close",  # the chair closes the vote: every dossier on it moves
    },
    {
        "trigger": "reopen_vote",
        "title": "Mở lại biểu quyết",
        "source": ["decided"],
        "dest": "council",
        "roles": [],
        "guards": ["comment"],
        "fired_by": "meeting.reopen",
    },
    {
        "trigger": "issue",
        "title": "Ban hành quyết định",
        "source": ["decided"],
        "dest": "issued",
        "roles": [],
        "guards": [],
        "fired_by": "decision.issue",  # the Director issues the decision that awards it
    },
]
