"""Certificates (Giấy khen, Giấy chứng nhận) printed for an issued decision, one page each."""
