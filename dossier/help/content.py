"""Short help per page and role, and each role's one-page guide: data, not templates.

PAGES maps a page (its endpoint) to what each role does there, in one or two sentences.
They never repeat a button's own words ("Ký quyết định", "Lọc"): text in the folded box
would otherwise be found where the button is looked for (by people and by tests).
A page or role without an entry shows no help. ASK says whom each role asks; GUIDES holds
each role's printable guide (steps in order). Editing help is editing this file: no
template changes. Deadlines are not written here: the help box reads the campaign's own
cut-off (`describe_cutoff`), so the text never goes stale.
"""

from __future__ import annotations

from ..enums import Role

H, C, OF, M, D, A, VT = (
    Role.UNIT_HEAD,
    Role.UNIT_CLERK,
    Role.OFFICE,
    Role.COUNCIL,
    Role.DIRECTOR,
    Role.ADMIN,
    Role.CLERK,
)
UNIT = (H, C)

# Whom to ask, per role (the names of the Văn phòng's officers are added by the page).
ASK = {
    H: "Văn phòng Sở (cán bộ phụ trách thi đua, khen thưởng)",
    C: "Thủ trưởng đơn vị; về thủ tục: Văn phòng Sở (cán bộ phụ trách thi đua, khen thưởng)",
    OF: "Chánh Văn phòng; về tài khoản, vai trò: quản trị hệ thống",
    M: "Thư ký Hội đồng (Văn phòng Sở)",
    D: "Chánh Văn phòng (Ủy viên thường trực Hội đồng)",
    A: "Chánh Văn phòng Sở",
    VT: "Chánh Văn phòng Sở; về dự thảo quyết định: cán bộ phụ trách thi đua, khen thưởng",
}


def _both(text: str) -> dict:
    return {H: text, C: text}


PAGES: dict[str, dict[Role, str]] = {
    "home.index": {
        **_both("Đây là các việc đơn vị cần làm, việc gấp nhất ở trên. Bấm vào một việc để làm."),
        OF: "Các việc của Văn phòng: hồ sơ chờ kiểm tra, đơn vị chưa nộp, danh sách cần gửi "
        "Hội đồng, dự thảo quyết định.",
        M: "Khi Chủ tịch cho bắt đầu bỏ phiếu, phiên họp cần anh/chị bỏ phiếu hiện ở đây.",
        D: "Dự thảo quyết định chờ ký và phiên họp Hội đồng chờ Chủ tịch cho bắt đầu hoặc "
        "kết thúc bỏ phiếu hiện ở đây.",
        VT: "Quyết định Giám đốc đã ký chờ cấp số và biên bản họp Hội đồng chờ cấp số hiện ở đây.",
    },
    "nominations.index": {
        **_both(
            "Hồ sơ của đơn vị theo từng đợt thi đua. Mở một đợt để «Lập hồ sơ»; hồ sơ "
            "«Trả lại để bổ sung» cần sửa rồi nộp lại. Ô tìm kiếm nhận cả chữ không dấu."
        ),
        OF: "Hồ sơ các đơn vị đã gửi. Chọn đợt, trạng thái, đơn vị; tìm theo tên đơn vị "
        "hoặc họ tên người được đề nghị (gõ không dấu cũng được). Địa chỉ trang giữ các lựa "
        "chọn: có thể lưu lại hoặc gửi cho đồng nghiệp.",
        D: "Hồ sơ các đơn vị đã gửi, để theo dõi. Việc kiểm tra hồ sơ do Văn phòng Sở làm.",
    },
    "nominations.show": {
        H: "Điền đủ tờ trình, danh sách, báo cáo thành tích (rồi xác nhận), biên bản họp và "
        "tải lên bản scan có chữ ký. Khung «Còn thiếu» nói phần nào chưa có. Chỉ thủ trưởng "
        "đơn vị «Nộp hồ sơ», trước hạn nộp; quá hạn thì đề nghị Văn phòng Sở gia hạn.",
        C: "Điền tờ trình, danh sách, báo cáo thành tích, biên bản họp và tải lên bản scan. "
        "Thủ trưởng đơn vị xác nhận báo cáo và nộp hồ sơ.",
        OF: "Kiểm tra từng người (cột «Kiểm tra»), đánh dấu không đủ điều kiện nếu cần, rồi "
        "«Tiếp nhận» hoặc «Trả lại hồ sơ» với danh sách nội dung cần bổ sung.",
        D: "Xem hồ sơ và diễn biến của nó; việc tiếp nhận do Văn phòng Sở làm.",
    },
    "nominations.report": {
        **_both(
            "Báo cáo thành tích theo mẫu: I. sơ lược lý lịch / đặc điểm, II. thành tích, "
            "III. các hình thức đã được khen thưởng. Thủ trưởng đơn vị bấm «Xác nhận» khi đã đủ."
        ),
    },
    "campaigns.index": {
        **_both("Các đợt thi đua đang mở và hạn nộp hồ sơ của từng đợt."),
        OF: "Tạo đợt thi đua, chọn hình thức khen thưởng, thành phần hồ sơ bắt buộc và hạn nộp.",
    },
    "campaigns.show": {
        **_both(
            "Bấm «Lập hồ sơ» ở dòng của đơn vị mình. Hạn nộp tính theo giờ Việt Nam; sau hạn "
            "chỉ nộp được nếu Văn phòng Sở gia hạn cho đơn vị."
        ),
        OF: "Theo dõi hồ sơ từng đơn vị; gia hạn cho một đơn vị (có lý do) ở cuối trang.",
    },
    "intake.index": {
        OF: "Mỗi dòng là một đơn vị. Chọn trạng thái «Chưa nộp» để biết đơn vị cần nhắc; "
        "đánh dấu các hồ sơ đã kiểm tra rồi tiếp nhận cùng lúc. Tìm đơn vị gõ không dấu cũng "
        "được.",
    },
    "intake.consolidated": {
        OF: "Mọi đề nghị từ các hồ sơ đã tiếp nhận. Xử lý hết lỗi (không đủ điều kiện hoặc "
        "trả lại hồ sơ) rồi gửi Hội đồng ở cuối trang. Nếu còn đơn vị chưa nộp, trang sẽ hỏi "
        "lại, nêu tên các đơn vị đó.",
    },
    "council.index": {
        OF: "Tạo phiên họp trên danh sách đã gửi Hội đồng, ghi người có mặt.",
        M: "Các phiên họp của Hội đồng; mở phiên đang biểu quyết để bỏ phiếu.",
        D: "Chủ tịch Hội đồng cho bắt đầu bỏ phiếu khi đủ số thành viên có mặt, và kết thúc "
        "để có kết quả.",
    },
    "council.show": {
        OF: "Ghi người có mặt, nhập kết quả phiếu giấy và ý kiến bằng văn bản của người vắng.",
        M: "Bỏ phiếu cho từng người: đồng ý, không đồng ý hoặc không biểu quyết. Phiếu kín: "
        "không ai, kể cả Chủ tịch, xem được lựa chọn của anh/chị.",
        D: "Cho bắt đầu bỏ phiếu khi đủ số thành viên có mặt; kết thúc để công bố kết quả.",
    },
    "decisions.index": {
        **_both("Các quyết định đã ban hành có khen thưởng cho đơn vị."),
        OF: "Lập dự thảo quyết định từ kết quả xét của Hội đồng; tìm theo trích yếu, số.",
        D: "Dự thảo chờ ký và quyết định đã ban hành; tìm theo trích yếu, số, năm.",
        VT: "Quyết định đã ký chờ cấp số và quyết định đã ban hành; tìm theo trích yếu, số.",
    },
    "decisions.show": {
        OF: "Sửa dự thảo, gửi trình ký; sau khi ban hành: tải PDF, DOCX, in giấy khen.",
        # Not the buttons' own words: a page without the button must not seem to offer it.
        D: "Đọc dự thảo rồi ký; Văn thư cấp số và ban hành. Nếu chưa đồng ý, trả lại Văn "
        "phòng kèm lý do.",
        VT: "Quyết định đã ký: để trống ô số để lấy số tiếp theo trong sổ, hoặc nhập số do "
        "hệ thống quản lý văn bản của cơ quan cấp; số không được trùng trong năm.",
    },
    "register.index": {
        VT: "Mỗi dòng là một sổ (loại văn bản, năm). Sửa «Số đã cấp gần nhất» cho khớp sổ "
        "đăng ký văn bản của cơ quan; cấp số cho biên bản họp Hội đồng đã kết thúc.",
    },
    "history.index": {
        OF: "Tìm khen thưởng đã có theo họ tên (có dấu hoặc không), năm, đơn vị, hình thức; "
        "nhập lịch sử từ Excel ở cuối trang.",
        D: "Tra cứu khen thưởng các năm của từng người, từng đơn vị.",
    },
}

# Each role's one-page guide: its steps through the year, in order.
GUIDES: dict[Role, dict] = {
    H: {
        "title": "Thủ trưởng đơn vị",
        "steps": [
            "Mở «Đợt thi đua», chọn đợt, bấm «Lập hồ sơ» ở dòng của đơn vị.",
            "Điền tờ trình (số, ngày, người ký), thêm cá nhân và tập thể được đề nghị.",
            "Mỗi người có báo cáo thành tích; đọc lại rồi bấm «Xác nhận».",
            "Ghi biên bản họp đơn vị: ngày, chủ trì, thư ký, số có mặt, phiếu cho từng người.",
            "Tải lên bản scan có chữ ký của tờ trình và biên bản họp (và các minh chứng).",
            "Khi khung «Còn thiếu» trống, bấm «Nộp hồ sơ» trước hạn nộp.",
            "Hồ sơ bị trả lại: sửa theo danh sách Văn phòng ghi, rồi nộp lại và ghi đã sửa gì.",
            "Quá hạn: không nộp được nữa; đề nghị Văn phòng Sở gia hạn cho đơn vị.",
        ],
    },
    C: {
        "title": "Cán bộ lập hồ sơ của đơn vị",
        "steps": [
            "Mở hồ sơ của đơn vị (Hồ sơ → Hồ sơ của đơn vị tôi).",
            "Điền tờ trình, danh sách (hoặc nhập từ mẫu Excel), báo cáo thành tích.",
            "Ghi biên bản họp và tải lên bản scan có chữ ký.",
            "Báo thủ trưởng đơn vị xác nhận các báo cáo và nộp hồ sơ trước hạn.",
        ],
    },
    OF: {
        "title": "Văn phòng Sở",
        "steps": [
            "Tạo đợt thi đua: hình thức khen thưởng, thành phần hồ sơ bắt buộc, hạn nộp.",
            "Theo dõi «Tiếp nhận hồ sơ»: đơn vị chưa nộp, hồ sơ chờ kiểm tra.",
            "Kiểm tra từng hồ sơ: tiếp nhận, hoặc trả lại với nội dung cần bổ sung.",
            "Gia hạn cho đơn vị có lý do chính đáng (trang đợt thi đua).",
            "Danh sách tổng hợp: xử lý hết lỗi, «Gửi Hội đồng» kèm tờ trình.",
            "Tạo phiên họp, ghi người có mặt, nhập phiếu giấy nếu có.",
            "Lập dự thảo quyết định từ kết quả xét, trình Giám đốc ký.",
            "Sau khi ban hành: tải quyết định, in giấy khen, gửi hồ sơ đề nghị cấp trên.",
        ],
    },
    M: {
        "title": "Thành viên Hội đồng Thi đua - Khen thưởng",
        "steps": [
            "Khi có thư báo mở biểu quyết, mở «Hội đồng» (hoặc bấm liên kết trong thư).",
            "Bỏ phiếu cho từng người: đồng ý, không đồng ý, hoặc không biểu quyết có lý do.",
            "Phiếu kín: không ai xem được lựa chọn của anh/chị; chỉ công bố tổng số.",
            "Không bỏ phiếu cho chính mình; có thể không biểu quyết với người của đơn vị mình.",
        ],
    },
    D: {
        "title": "Giám đốc Sở",
        "steps": [
            "Chủ tịch Hội đồng: mở biểu quyết khi đủ số thành viên có mặt, đóng khi xong.",
            "Đọc dự thảo quyết định; ký, hoặc «Hoàn trả Văn phòng» với lý do.",
            "Văn thư cấp số và ban hành quyết định đã ký.",
            "Quyết định đã ban hành không sửa được; sai sót thì ban hành quyết định đính chính.",
        ],
    },
    VT: {
        "title": "Văn thư",
        "steps": [
            "Giữ «Sổ văn bản» khớp với sổ đăng ký văn bản của cơ quan (số đã cấp gần nhất).",
            "Quyết định Giám đốc đã ký: cấp số tiếp theo trong sổ (hoặc nhập số đã cấp), ban hành.",
            "Biên bản họp Hội đồng đã kết thúc: cấp số ở trang «Sổ văn bản».",
            "Số không được trùng trong cùng cơ quan, loại văn bản và năm.",
        ],
    },
    A: {
        "title": "Quản trị hệ thống",
        "steps": [
            "Thông tin cơ quan, phòng, đơn vị, cán bộ, tài khoản và vai trò.",
            "Giao người làm thay khi vắng mặt; xem nhật ký và hộp thư đi.",
            "Cài chứng thư số để ký quyết định.",
        ],
    },
}

# URL slug of each role's guide.
SLUGS = {
    H: "thu-truong-don-vi",
    C: "can-bo-don-vi",
    OF: "van-phong",
    M: "hoi-dong",
    D: "giam-doc",
    A: "quan-tri",
    VT: "van-thu",
}
