"""The floor for bench/http_compare.py and bench/startup.py: bare Flask + Flask-SQLAlchemy serving
a paginated 50-row Jinja table from 10,000 rows (issue 17's yardstick).

    BARE_DATABASE_URL=sqlite:////tmp/bare.db gunicorn -w 2 bench.bare_app:app
Creates and fills its table on first start (10,000 seeded rows) if empty.
"""

from __future__ import annotations

import os
import random

from flask import Flask, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

ROWS = 10_000
PAGE = 50
SEED = 20261220

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    unit = db.Column(db.String(200), nullable=False)
    year = db.Column(db.Integer, nullable=False)


PAGE_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Danh sách</title></head><body><h1>Danh sách ({{ total }})</h1>
<table><thead><tr><th>#</th><th>Họ và tên</th><th>Đơn vị</th><th>Năm</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.unit }}</td>
<td>{{ row.year }}</td></tr>{% endfor %}</tbody></table>
<nav>{% if page > 1 %}<a href="?trang={{ page - 1 }}">Trước</a>{% endif %}
Trang {{ page }} / {{ pages }}
{% if page < pages %}<a href="?trang={{ page + 1 }}">Sau</a>{% endif %}</nav></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "BARE_DATABASE_URL", "sqlite:////tmp/bench-bare.db"
    )
    db.init_app(app)
    with app.app_context():
        db.create_all()
        if not db.session.scalar(select(func.count()).select_from(Item)):
            rng = random.Random(SEED)
            db.session.add_all(
                Item(
                    name=f"Nguyễn Văn {rng.randrange(10**6)}",
                    unit=f"Đơn vị {rng.randrange(400)}",
                    year=rng.randrange(2000, 2026),
                )
                for _ in range(ROWS)
            )
            db.session.commit()

    @app.get("/")
    def index():
        page = max(request.args.get("trang", 1, type=int), 1)
        total = db.session.scalar(select(func.count()).select_from(Item))
        rows = db.session.scalars(
            select(Item).order_by(Item.id).limit(PAGE).offset((page - 1) * PAGE)
        ).all()
        pages = max((total + PAGE - 1) // PAGE, 1)
        return render_template_string(PAGE_HTML, rows=rows, total=total, page=page, pages=pages)

    return app


app = create_app()
