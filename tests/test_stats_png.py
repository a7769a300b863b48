"""Each chart downloads as PNG too (CairoSVG rasterises the server's SVG), and the page
draws the campaign's charts from the one progress computed for it (data: images)."""

from __future__ import annotations

import base64
from io import BytesIO

from PIL import Image

from dossier.stats import views
from dossier.stats.queries import Series
from dossier.stats.svg import bar_chart, to_png
from tests.test_stats import _signed_in, demo  # noqa: F401  (the demo fixture)


def test_png_download_of_each_chart(app, demo):  # noqa: F811
    client = _signed_in(app, "vanphong")
    for name in ("form", "unit", "year", "gender", "worker", "progress", "findings"):
        resp = client.get(f"/thong-ke/bieu-do/{name}.png?tai=1")
        assert resp.status_code == 200 and resp.mimetype == "image/png", name
        assert f'filename="thong-ke-{name}.png"' in resp.headers["Content-Disposition"]
        image = Image.open(BytesIO(resp.data))
        assert image.format == "PNG" and image.width == 2 * 720


def test_the_png_draws_vietnamese_text():
    """The title's pixels differ from a blank chart's: cairo found a font for the text
    (the file itself was looked at while writing this test: diacritics are right)."""
    title = Series("form", "Hình thức khen thưởng: Chiến sĩ thi đua cơ sở", [])
    blank = Series("form", "", [])
    drawn = Image.open(BytesIO(to_png(bar_chart(title)))).convert("L")
    empty = Image.open(BytesIO(to_png(bar_chart(blank)))).convert("L")
    box = (0, 0, 2 * 400, 2 * 28)
    assert drawn.crop(box).getextrema()[0] < 100 < empty.crop(box).getextrema()[0]


def test_the_page_runs_the_checks_once_and_inlines_the_campaign_charts(app, demo, monkeypatch):  # noqa: F811
    calls = []
    real = views.queries.progress
    monkeypatch.setattr(views.queries, "progress", lambda *a: calls.append(1) or real(*a))
    html = _signed_in(app, "vanphong").get("/thong-ke/").get_data(as_text=True)
    assert len(calls) == 1
    for name in ("progress", "findings"):
        block = html.split(f'data-testid="chart-{name}"')[1]
        src = block.split('<img class="img-fluid" src="')[1].split('"')[0]
        assert src.startswith("data:image/svg+xml;base64,")
        assert b"<svg" in base64.b64decode(src.split(",", 1)[1])
    assert 'src="/thong-ke/bieu-do/form.svg' in html
