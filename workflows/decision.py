"""The award decision (quyết định khen thưởng).

The Văn phòng drafts it from the council's approvals and asks the signer to sign; the
Director (or a deputy with the Director's role, "KT. GIÁM ĐỐC") signs it; the Văn thư then
gives it its number from the agency's register and issues it (cấp số, ban hành: Nghị định
30/2020/NĐ-CP, Điều 15): the next number of the agency's sequence for decisions of the year,
or a number typed from the agency's own document system. An issued decision never changes
again. A mistake is fixed by a new decision that
corrects it (đính chính): issuing that one marks this one corrected. An issued decision
can be revoked (hủy bỏ) by the Director, with the reason. The Director may also send a
draft, or a signed decision not yet numbered, back to the Văn phòng (hoàn trả), with the
reason; the Văn phòng edits it and sends
it for signing again.

Guards (dossier/decisions/guards.py; "comment" is the engine's own):
  has_awards        the decision awards someone
  signer_reachable  someone who may sign has an e-mail address for the request
  has_signer        the decision carries its signer (who signed it, in what capacity)
  comment           the Director wrote the reason
"""

NAME = "decision"
OBJECT = "decision"
NOUN = "quyết định"
INITIAL = "draft"

STATES = [
    {"name": "draft", "title": "Dự thảo", "badge": "warning"},
    {"name": "returned", "title": "Hoàn trả Văn phòng", "badge": "secondary"},
    {"name": "signed", "title": "Đã ký, chờ cấp số", "badge": "primary", "stamp": "signed_at"},
    {"name": "issued", "title": "Đã ban hành", "badge": "success", "stamp": "issued_at"},
    {"name": "corrected", "title": "Đã được đính chính", "badge": "info"},
    {"name": "revoked", "title": "Đã bị hủy bỏ", "badge": "dark"},
]

EDITABLE = ["draft", "returned"]  # the Văn phòng edits the draft only in these states
# States of a decision that was issued: it has its number and its content is frozen.
ISSUED = ["issued", "corrected", "revoked"]
TERMINAL = ["revoked"]

TRANSITIONS = [
    {
        "trigger": "send_for_signing",
        "title": "Gửi thư trình ký",
        "source": ["draft", "returned"],
        "dest": "draft",
        "roles": ["office"],
        "guards": ["signer_reachable"],
        "audit": "decision_sent_for_signing",
        "button": "outline-success",
        "hint": "Thư kèm liên kết ký mới; liên kết cũ hết hiệu lực khi dự thảo được sửa",
        "done": "Đã gửi thư trình ký, kèm liên kết ký mới, cho người ký.",
    },
    {
        "trigger": "sign",
        "title": "Ký quyết định",
        "source": ["draft"],
        "dest": "signed",
        "roles": ["director"],
        "guards": ["has_awards"],
        "audit": "decision_signed",
        "task": "Ký quyết định",  # on the to-do list of whoever may fire it
        "button": "success",
        "confirm": "Ký quyết định này? Sau khi ký, Văn thư cấp số và ban hành; nội dung "
        "không sửa được nữa.",
        "done": "Đã ký quyết định; Văn thư sẽ cấp số và ban hành.",
    },
    {
        "trigger": "issue",
        "title": "Cấp số, ban hành",
        "source": ["signed"],
        "dest": "issued",
        "roles": ["clerk"],
        "guards": ["has_awards", "has_signer"],
        "audit": "decision_issued",
        "task": "Cấp số, ban hành quyết định",
        "button": "success",
        # The act's form carries the number: blank takes the next in the register.
        "register": "Số từ hệ thống quản lý văn bản của cơ quan (để trống: lấy số tiếp theo)",
        "confirm": "Cấp số và ban hành quyết định này? Sau khi ban hành, quyết định không "
        "sửa được.",
        "done": "Đã cấp số, ban hành quyết định; lịch sử khen thưởng đã được cập nhật.",
    },
    {
        "trigger": "return_to_office",
        "title": "Hoàn trả Văn phòng",
        "source": ["draft", "signed"],
        "dest": "returned",
        "roles": ["director"],
        "guards": ["comment"],
        "audit": "decision_returned",
        "clear": ["signed_at", "signer_id", "signer_name", "signer_lines_json"],
        "button": "outline-secondary",
        "comment": "Lý do hoàn trả",
        "done": "Đã hoàn trả dự thảo cho Văn phòng Sở.",
    },
    {
        "trigger": "mark_corrected",
        "title": "Ghi nhận đã đính chính",
        "source": ["issued", "corrected"],
        "dest": "corrected",
        "roles": [],
        "guards": [],
        "fired_by": "decision.issue",  # issuing the correction that names this decision
        "audit": "decision_corrected",
    },
    {
        "trigger": "revoke",
        "title": "Hủy bỏ quyết định",
        "source": ["issued", "corrected"],
        "dest": "revoked",
        "roles": ["director"],
        "guards": ["comment"],
        "audit": "decision_revoked",
        "button": "outline-danger",
        "comment": "Lý do hủy bỏ (căn cứ, số văn bản)",
        "confirm": "Hủy bỏ quyết định này? Các khen thưởng của quyết định bị thu hồi.",
        "done": "Đã hủy bỏ quyết định; các khen thưởng đã được thu hồi.",
    },
]
