"""Jinja set-up: our templates first, then the GOV.UK macros by prefix; missing variables fail loudly."""
from __future__ import annotations

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, Undefined

from config import BASE_DIR


class MissingVariableIsError(Undefined):
    """A missing variable or object attribute is an error, as StrictUndefined makes it.

    A missing key of a plain dict stays a quiet blank, because the GOV.UK component macros test
    optional parameters (`params.classes`) that way.
    """

    __slots__ = ()

    def _is_strict(self) -> bool:
        return not isinstance(self._undefined_obj, dict)

    def _check(self) -> None:
        if self._is_strict():
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._check()
        return ""

    def __bool__(self) -> bool:
        self._check()
        return False

    def __iter__(self):
        self._check()
        return iter(())

    def __len__(self) -> int:
        self._check()
        return 0


# The optional settings GOV.UK's page template reads; named here so a missing one is not an error.
GOVUK_TEMPLATE_DEFAULTS = {
    name: None
    for name in (
        "htmlClasses htmlLang pageTitleLang themeColor assetUrl opengraphImageUrl bodyClasses "
        "bodyAttributes headerClasses headerAttributes containerClasses containerAttributes "
        "mainClasses mainLang mainAttributes footerClasses footerAttributes serviceName serviceUrl"
    ).split()
}


def init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(BASE_DIR / "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.undefined = MissingVariableIsError
    app.jinja_env.globals.update(GOVUK_TEMPLATE_DEFAULTS)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
