"""The default certificate templates: our own layouts on A4 landscape [cfg]."""

from __future__ import annotations

from .layout import Element

E = Element
_TOP = [  # the heading, printed on blank paper; the agency's own paper carries it already
    E("{co_quan_chu_quan}", 70, 20, 13, "regular", upper=True, fixed=True),
    E("{co_quan}", 70, 26, 13, "bold", upper=True, fixed=True),
    E("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 215, 20, 13, "bold", fixed=True),
    E("Độc lập - Tự do - Hạnh phúc", 215, 26, 14, "bold", fixed=True),
    E("{thu_truong}", 148.5, 50, 16, "bold", fixed=True),
    E("TẶNG", 148.5, 60, 14, "bold", fixed=True),
]
_BOTTOM = [
    E("{thanh_tich}.", 148.5, 128, 15, "regular", width=230),
    E("Quyết định số {so_quyet_dinh}", 70, 158, 12),
    E("ngày {ngay_quyet_dinh}", 70, 164, 12),
    E("Số vào sổ: {so_thu_tu}", 70, 170, 12),
    E("{noi_ngay}", 215, 150, 14, "italic"),
    E("{chuc_danh_ky}", 215, 158, 14, "bold"),
    E("{nguoi_ky}", 215, 192, 14, "bold"),
]
# [cfg] Layouts of our own on A4 landscape; each agency measures its paper and edits them.
DEFAULT_TEMPLATES = {
    "Giấy khen": [
        *_TOP,
        E("GIẤY KHEN", 148.5, 84, 40, "bold", fixed=True),
        E("{ho_ten}", 148.5, 104, 24, "bold_italic"),
        E("{chuc_vu_don_vi}", 148.5, 115, 15, "italic", width=230),
        *_BOTTOM,
    ],
    # NĐ 91/2017 gave CSTĐCS and TTLĐTT a "giấy chứng nhận"; its name under the 2022
    # regime could not be confirmed: the Văn phòng renames it here if needed.
    "Giấy chứng nhận": [
        *_TOP[:4],
        E("{thu_truong}", 148.5, 46, 16, "bold", fixed=True),
        E("GIẤY CHỨNG NHẬN", 148.5, 66, 34, "bold", fixed=True),
        E("{hinh_thuc}", 148.5, 80, 20, "bold"),
        E("Cho: {ho_ten}", 148.5, 100, 22, "bold_italic"),
        E("{chuc_vu_don_vi}", 148.5, 112, 15, "italic", width=230),
        *_BOTTOM,
    ],
}
DEFAULT_ASSIGNMENT = {
    "GK_CN": "Giấy khen",
    "GK_TT": "Giấy khen",
    "CSTDCS": "Giấy chứng nhận",
    "TTLDTT": "Giấy chứng nhận",
}
