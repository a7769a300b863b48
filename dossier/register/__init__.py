"""The agency's register of documents (sổ đăng ký văn bản đi): numbers for decisions, tờ
trình and biên bản, given by the Văn thư (Nghị định 30/2020/NĐ-CP, Điều 15)."""
