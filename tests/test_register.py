"""The agency's register (Nghị định 30/2020/NĐ-CP, Điều 15): next numbers and typed ones,
unique per issuer, kind and year; concurrent issues never share or skip a number."""

from __future__ import annotations

import itertools
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dossier.decisions import operations as ops
from dossier.decisions.models import Decision
from dossier.enums import DocKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.register import operations as register
from dossier.register.models import RegisterEntry, RegisterSequence
from tests import builders as b
from tests.decision_builders import approved, clerk, people

QD = DocKind.DECISION


def _take(year, typed=None, issuer="SKHCN", obj=1):
    return register.take(
        QD, issuer, year, typed=typed, object_type="decision", object_id=obj, actor=None
    )


def test_next_skips_typed_numbers_and_follows_the_van_thu_setting(app):
    assert [_take(2030) for _ in range(3)] == [1, 2, 3]
    assert _take(2030, typed=5) == 5
    with pytest.raises(DomainError, match=r"Số 05/QĐ-SKHCN năm 2030 đã được cấp"):
        _take(2030, typed=5)
    assert [_take(2030), _take(2030), _take(2030)] == [4, 6, 7]  # 5 is skipped
    register.set_current(clerk(), issuer="SKHCN", kind=QD, year=2030, seen=7, value=248)
    assert register.peek(QD, "SKHCN", 2030) == 249 and _take(2030) == 249
    # Another year, another agency code: their own sequences, starting at 01.
    assert _take(2031) == 1 and _take(2030, issuer="SNV") == 1
    assert register.code(7, QD, "SKHCN") == "07/QĐ-SKHCN"


def test_the_setting_is_the_van_thus_and_refuses_bad_values_and_stale_pages(app):
    office, *_ = people()
    with pytest.raises(DomainError, match="Văn thư"):
        register.set_current(office, issuer="SKHCN", kind=QD, year=2030, seen=None, value=3)
    with pytest.raises(DomainError, match="số nguyên"):
        register.set_current(clerk(), issuer="SKHCN", kind=QD, year=2030, seen=None, value=-1)
    _take(2030)
    with pytest.raises(DomainError, match="vừa cấp số khác"):
        register.set_current(clerk(), issuer="SKHCN", kind=QD, year=2030, seen=0, value=9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("249", 249), (" 249/QĐ-SKHCN ", 249), ("007", 7), ("", None), (None, None)],
)
def test_typed_numbers_are_read(text, expected):
    assert register.parse_typed(text, QD, "SKHCN") == expected


@pytest.mark.parametrize("text", ["abc", "0", "-3", "249/TTr-VP", "12a", "1234567", "2 49"])
def test_malformed_typed_numbers_are_refused_in_vietnamese(text):
    with pytest.raises(DomainError, match="Số văn bản"):
        register.parse_typed(text, QD, "SKHCN")


_years = itertools.count(3000)


def test_numbering_property_monotonic_gapless_unique(app):
    """Whatever the interleaving of next and typed numbers: the sequence's numbers rise one
    by one, skipping only typed ones; no number twice; together no gap up to the last."""

    ops_ = st.lists(st.one_of(st.just(None), st.integers(min_value=1, max_value=40)), max_size=40)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=ops_)
    def numbering(steps):
        year = next(_years)
        given_next, given_typed = [], []
        for typed in steps:
            if typed is not None and typed in given_next + given_typed:
                with pytest.raises(DomainError, match="đã được cấp"):
                    _take(year, typed=typed)
                continue
            number = _take(year, typed=typed)
            (given_next if typed is None else given_typed).append(number)
        taken = given_next + given_typed
        assert len(taken) == len(set(taken))  # no duplicates
        assert given_next == sorted(given_next)  # monotonic
        if given_next:
            top = given_next[-1]
            assert set(range(1, top + 1)) <= set(taken)  # no gap up to the last next
            assert all(n not in given_next for n in given_typed)
            current = db.session.scalar(
                select(RegisterSequence.current).where(RegisterSequence.year == year)
            )
            assert current == top
        stored = db.session.scalars(
            select(RegisterEntry.number).where(RegisterEntry.year == year)
        ).all()
        assert sorted(stored) == sorted(taken)

    numbering()


def _signed(n=1):
    office, director, _ = people()
    decisions = []
    for _ in range(n):
        c, *_ = approved(2, unit=b.unit())
        d = ops.draft(office, c)
        ops.sign(director, d, version=d.version)
        decisions.append(d)
    db.session.commit()
    return decisions


def _issue_url(d):
    return f"/quyet-dinh/{d.id}/thao-tac/issue"


def test_van_thu_issues_a_typed_number_and_a_duplicate_is_refused(app, as_user):
    first, second, third = _signed(3)
    vt = as_user(clerk())
    page = vt.get(f"/quyet-dinh/{first.id}").get_data(as_text=True)
    assert "Số tiếp theo trong sổ đăng ký văn bản: <strong>01/QĐ-SKHCN</strong>" in page
    resp = vt.post(
        _issue_url(first),
        {"version": first.version, "number": "249/QĐ-SKHCN"},
        page=f"/quyet-dinh/{first.id}",
        follow_redirects=True,
    )
    assert "Đã cấp số, ban hành quyết định" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert (first.state, first.number) == ("issued", 249)
    resp = vt.post(
        _issue_url(second),
        {"version": second.version, "number": "249"},
        page=f"/quyet-dinh/{second.id}",
        follow_redirects=True,
    )
    assert "Số 249/QĐ-SKHCN năm" in resp.get_data(as_text=True)
    assert "đã được cấp cho văn bản khác" in resp.get_data(as_text=True)
    resp = vt.post(
        _issue_url(second),
        {"version": second.version, "number": "hai trăm"},
        page=f"/quyet-dinh/{second.id}",
        follow_redirects=True,
    )
    assert "không hợp lệ" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert (second.state, second.number) == ("signed", None)  # nothing changed
    for d in (second, third):
        vt.post(_issue_url(d), {"version": d.version, "number": ""}, page=f"/quyet-dinh/{d.id}")
    db.session.expire_all()
    assert (second.number, third.number) == (1, 2)
    assert ops.data_of(first).number == 249 and first.pdf[:4] == b"%PDF"


def test_register_page_lists_sequences_and_the_van_thu_sets_one(app, as_user):
    _take(2026)
    vt = as_user(clerk())
    page = vt.get("/so-van-ban/").get_data(as_text=True)
    assert "Sổ đăng ký văn bản" in page and "QĐ-SKHCN" in page
    resp = vt.post(
        "/so-van-ban/",
        {"kind": "QĐ", "issuer": "SKHCN", "year": "2026", "seen": "1", "last_number": "248"},
        page="/so-van-ban/",
        follow_redirects=True,
    )
    assert "số tiếp theo 249/QĐ-SKHCN" in resp.get_data(as_text=True)
    bad = vt.post(
        "/so-van-ban/",
        {"kind": "QĐ", "issuer": "SKHCN", "year": "2026", "seen": "248", "last_number": "x"},
        page="/so-van-ban/",
        follow_redirects=True,
    )
    assert "phải là số nguyên" in bad.get_data(as_text=True)
    assert register.peek(QD, "SKHCN", 2026) == 249
    office, *_ = people()
    assert as_user(office).get("/so-van-ban/").status_code == 403
    assert as_user(b.user(Role.DIRECTOR)).get("/so-van-ban/").status_code == 403


@pytest.mark.real_db  # threads, each its own transaction
def test_concurrent_next_and_typed_numbers_never_share_or_skip(app):
    db.session.commit()
    # thread → the number it types; 3 lies in next's path: whoever comes first has it (the
    # other is refused, in Vietnamese), and next skips it if typed first.
    typed = {2: 3, 5: 9}
    count = 8
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = _take(2040, typed=typed.get(i), obj=i + 1)
                db.session.commit()
            except DomainError as err:
                db.session.rollback()
                errors.append((i, err.message))
            except Exception as err:  # pragma: no cover  (reported below)
                db.session.rollback()
                errors.append((i, repr(err)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    # Only a typed 3 that next reached first may be refused, and then as a duplicate.
    assert all(i == 2 and "03/QĐ-SKHCN năm 2040 đã được cấp" in m for i, m in errors), errors
    given = [r for r in results if r is not None]
    nexts = sorted(r for i, r in enumerate(results) if i not in typed)
    assert len(given) == len(set(given))  # never shared
    assert set(range(1, max(nexts) + 1)) <= set(given)  # never skipped
    assert len(nexts) == count - len(typed) and 9 in given and 3 in given
    db.session.expire_all()
    assert db.session.scalar(
        select(RegisterSequence.current).where(RegisterSequence.year == 2040)
    ) == max(nexts)


def test_decision_number_is_in_the_register(app):
    (d,) = _signed(1)
    ops.issue(clerk(), d, version=d.version)
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.object_id == d.id))
    assert (entry.kind, entry.issuer, entry.number, entry.typed) == ("QĐ", "SKHCN", 1, False)
    assert db.session.get(Decision, d.id).number == 1


def test_the_offices_letter_to_the_council_is_numbered_from_the_register(app, as_user):
    from dossier.intake import operations as intake_ops
    from dossier.intake.models import ListVersion
    from tests import dossier_builders as db_
    from tests.council_builders import sent_list
    from tests.intake_builders import submitted

    c1, _ = sent_list()
    c2, _ = sent_list()
    letters = db.session.scalars(
        select(ListVersion.letter_number).where(ListVersion.campaign_id.in_([c1.id, c2.id]))
    ).all()
    assert sorted(letters) == ["01/TTr-VP", "02/TTr-VP"]
    c3 = db_.campaign()
    submitted(c3, [("Lê Thị Ánh", "LDTT")], state="accepted")
    office = b.user(Role.OFFICE)
    # A refused act rolls back to its savepoint, as the views' acting() does.
    with (
        pytest.raises(DomainError, match="02/TTr-VP năm .* đã được cấp"),
        db.session.begin_nested(),
    ):
        intake_ops.send_to_council(
            office, c3, letter_number="2/TTr-VP", letter_date=None, confirm_missing=True
        )
    with pytest.raises(DomainError, match="ký hiệu khác"), db.session.begin_nested():
        intake_ops.send_to_council(
            office, c3, letter_number="7/TTr-SKHCN", letter_date=None, confirm_missing=True
        )
    version = intake_ops.send_to_council(
        office, c3, letter_number="45", letter_date=None, confirm_missing=True
    )
    assert version.letter_number == "45/TTr-VP"
    assert intake_ops.next_letter_hint() == "03/TTr-VP"


def test_the_van_thu_numbers_the_councils_minutes(app, as_user):
    import subprocess
    import unicodedata

    from dossier.council import operations as council_ops
    from dossier.council.numbering import number_minutes
    from tests.council_builders import meeting

    m, _d, chair, _secretary, _members = meeting()
    with pytest.raises(DomainError, match="sau khi đóng biểu quyết"):
        number_minutes(clerk(), m)
    council_ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    with pytest.raises(DomainError, match="Văn thư"):
        number_minutes(b.user(Role.OFFICE), m)
    vt = as_user(clerk())
    page = vt.get("/so-van-ban/").get_data(as_text=True)
    assert "Biên bản họp Hội đồng chờ cấp số" in page
    resp = vt.post(
        f"/so-van-ban/bien-ban/{m.id}", {"number": ""}, page="/so-van-ban/", follow_redirects=True
    )
    assert "Đã cấp số biên bản 01/BB-HĐTĐKT." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert m.minutes_number == "01/BB-HĐTĐKT"
    with pytest.raises(DomainError, match="không cấp lần hai"):
        number_minutes(clerk(), m)
    pdf = as_user(chair).get(f"/hoi-dong/{m.id}/bien-ban.pdf").data
    text = unicodedata.normalize(
        "NFC",
        subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode(),
    )
    assert "Số: 01/BB-HĐTĐKT" in text
