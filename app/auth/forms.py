"""Sign-in, password and reset forms."""
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired

from app.common.forms import StripWhitespaceForm


class SignInForm(StripWhitespaceForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(StripWhitespaceForm):
    password = PasswordField("New password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter a new password")])
    confirm = PasswordField("Confirm new password", widget=GovPasswordInput(),
                            validators=[DataRequired("Confirm your new password")])
    submit = SubmitField("Save password and sign in", widget=GovSubmitInput())


class ForgotPasswordForm(StripWhitespaceForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address")])
    submit = SubmitField("Send me a link", widget=GovSubmitInput())
