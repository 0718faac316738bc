"""Our templates fail loudly on a missing variable; GOV.UK's macros keep their optional parameters."""
import pytest
from jinja2.exceptions import UndefinedError


def test_a_missing_variable_in_our_template_is_an_error(app):
    with app.test_request_context():
        with pytest.raises(UndefinedError):
            app.jinja_env.from_string("{{ no_such_variable }}").render()


def test_govuk_macros_render_with_only_the_parameters_given(app):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
            '{{ govukButton({"text": "Save"}) }}'
        ).render()
    assert "govuk-button" in html and "Save" in html
