"""Thống kê: the statistics dashboard, its charts and the yearly statistics report."""
