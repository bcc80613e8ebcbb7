"""`make editor`: create an editor's account, whose password must pass the site's rules.

Django's ``createsuperuser`` lets the person at the keyboard bypass the password rules
(settings.AUTH_PASSWORD_VALIDATORS) with one "y", and checks nothing at all with
``--noinput``; an editor's account guards the feedback and the editor pages, so here a weak
password is simply asked for again. The password is read without echo at a terminal, or
as lines from standard input (``printf 'name\\npassword\\npassword\\n' | make editor``).
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

ATTEMPTS = 3


def _read(prompt: str, *, secret: bool = False) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt) if secret else input(prompt)
    sys.stdout.write(prompt + "\n")
    line = sys.stdin.readline()
    if not line:
        raise CommandError("No more input: no account was created.")
    return line.rstrip("\r\n")


class Command(BaseCommand):
    help = "Create an editor account for /editor/ and /admin/ (staff, all permissions)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", help="the editor's user name (asked for if left out)")

    def handle(self, *args, username: str | None = None, **options) -> None:
        users = get_user_model()
        username = (username or _read("User name: ")).strip()
        if not username:
            raise CommandError("A user name is needed.")
        if users.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        for _attempt in range(ATTEMPTS):
            password = _read("Password: ", secret=True)
            if password != _read("Password (again): ", secret=True):
                self.stderr.write("The two passwords are not the same. Please try again.")
                continue
            try:
                validate_password(password, users(username=username))
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages) + "\nPlease choose another one.")
                continue
            users.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"Created the editor account {username!r}.")
            return
        raise CommandError("No account was created: the password was not accepted.")
