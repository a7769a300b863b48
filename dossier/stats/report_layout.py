"""The yearly statistics report's rows and columns, as data (the Văn phòng's to adjust).

What we could confirm: Bộ Nội vụ's Thông tư 18/2025/TT-BNV of 08/10/2025 "quy định chế độ
báo cáo thống kê ngành Nội vụ" is the current statistical reporting circular (its listing
on luatvietnam.vn). Its form for thi đua, khen thưởng (the table's code, rows and columns)
we could NOT read, so the layout below is ours [cfg], unconfirmed: counts of danh hiệu thi
đua and hình thức khen thưởng by level (the Director's, proposed upward), by form and by
subject (collective, individual), women and direct workers shown apart.
"""

from __future__ import annotations

from ..enums import AwardLevel

CONFIRMED = False  # the layout has not been checked against the circular's form
SOURCE = (
    "Thông tư số 18/2025/TT-BNV ngày 08/10/2025 của Bộ Nội vụ quy định chế độ báo cáo "
    "thống kê ngành Nội vụ (biểu mẫu thi đua, khen thưởng chưa được đối chiếu)"
)
TITLE = "BÁO CÁO SỐ LƯỢNG DANH HIỆU THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG NĂM {year}"

# Row groups: (key, title). A row of the report is one award form inside its level's group.
LEVELS = (
    (AwardLevel.DIRECTOR, "I. Thuộc thẩm quyền của Giám đốc Sở"),
    (AwardLevel.UPWARD, "II. Đề nghị cấp trên khen thưởng"),
    ("other", "III. Khác (dữ liệu nhập từ hồ sơ lưu, chưa rõ hình thức)"),
)

# Columns: (key, title). Each is a count computed in report.py.
COLUMNS = (
    ("total", "Tổng số"),
    ("collective", "Tập thể"),
    ("individual", "Cá nhân"),
    ("women", "Trong đó: nữ"),
    ("direct", "Trong đó: người lao động trực tiếp"),
)
