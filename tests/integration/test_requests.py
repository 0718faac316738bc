"""Information requests through HTTP: the lead asks, the due date is shown when it is written, a
school answers with a file, and nobody else can read or download the answer."""
from __future__ import annotations

import io

from sqlalchemy import select

from app.common import clock
from app.common.working_days import add_working_days
from app.extensions import db
from app.models import InformationRequest, Role
from tests.factories import enrol, make_programme, make_school, make_user, make_year
from tests.pages import error_messages, text_of


def test_the_lead_asks_a_school_answers_with_a_file_and_only_they_can_read_it(client_request, session):
    year = make_year(make_programme())
    alder, birch = enrol(year, make_school(name="Alder Primary"), make_school(name="Birch Primary"))
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    senco = make_user(Role.SENCO, school=alder, name="Ali Senco")
    other = make_user(Role.SENCO, school=birch)
    client_request.sign_in(lead)
    page = client_request.post("requests.new", {"title": "", "details": "How many?", "working_days": "10",
                                                "audience": "all"}, _expected_status=200, year_id=year.id)
    assert error_messages(page) == ["Enter a title for the request"]
    response = client_request.post("requests.new", {"title": "SEND register", "details": "How many pupils?",
                                                    "working_days": "10", "audience": "chosen",
                                                    "schools": [str(alder.id)]}, _follow=True, _expected_status=200,
                                   year_id=year.id)
    request = db.session.scalar(select(InformationRequest))
    expected = add_working_days(clock.today(), 10)
    assert request.due_on == expected
    assert f"Answers are due by {expected.day} {expected:%B %Y}" in text_of(response, "body")
    [recipient] = request.recipients

    client_request.sign_in(senco)
    home = client_request.get("main.home")
    assert "Answer “SEND register”" in text_of(home)
    token = client_request.csrf_token("requests.answer", recipient_id=recipient.id)
    answered = client_request.client.post(
        client_request.url("requests.answer", recipient_id=recipient.id), content_type="multipart/form-data",
        data={"csrf_token": token, "version": "1", "answer": "Fourteen pupils",
              "file": (io.BytesIO(b"%PDF-1.7 data"), "register.pdf")})
    assert answered.status_code == 302

    client_request.sign_in(lead)
    page = client_request.get("requests.show", request_id=request.id)
    assert "Answered" in text_of(page) and "Fourteen pupils" in text_of(page)
    download = client_request.client.get(client_request.url("requests.file", recipient_id=recipient.id))
    assert download.data == b"%PDF-1.7 data" and download.headers["Content-Disposition"].startswith("attachment")
    csv_text = client_request.client.get(client_request.url("requests.responses", request_id=request.id)).get_data(
        as_text=True)
    assert "Fourteen pupils" in csv_text and "Ali Senco" in csv_text

    for outsider in (other, make_user(Role.ADMIN)):
        client_request.sign_in(outsider)
        client_request.get("requests.answer", _expected_status=403, recipient_id=recipient.id)
        file_url = client_request.url("requests.file", recipient_id=recipient.id)
        assert client_request.client.get(file_url).status_code == 403
    client_request.sign_in(other)
    client_request.get("requests.show", _expected_status=403, request_id=request.id)
