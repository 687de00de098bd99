"""Email leaves through Django's email backends, configured from the environment
(thinktank/settings.py), and reaches a real SMTP server (tests/smtp.py). A task worker
sending email is tested in tests/test_deployment.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives

from thinktank.settings import email_url_settings

# Neither the database nor what it holds takes part: .ci/run runs these once.
pytestmark = pytest.mark.only_in_sqlite_pass

PROJECT = Path(__file__).resolve().parent.parent
SENDER = "Think Tank <alerts@think.example.org>"


def test_an_email_sent_to_the_smtp_server_named_by_email_url_arrives_with_both_parts(
    smtp_server, settings
):
    for name, value in email_url_settings("EMAIL_URL", smtp_server.url).items():
        setattr(settings, name, value)
    message = EmailMultiAlternatives(
        "New: Ports of Côte d’Ivoire",
        "A brief on the ports of Côte d’Ivoire.",
        SENDER,
        ["reader@example.org"],
    )
    message.attach_alternative("<p>A brief on the <b>ports</b> of Côte d’Ivoire.</p>", "text/html")

    message.send()

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "New: Ports of Côte d’Ivoire"
    assert received["From"] == SENDER
    assert received["To"] == "reader@example.org"
    assert received.get_body(("plain",)).get_content() == "A brief on the ports of Côte d’Ivoire."
    assert received.get_body(("html",)).get_content() == (
        "<p>A brief on the <b>ports</b> of Côte d’Ivoire.</p>"
    )


def test_manage_py_sendtestemail_sends_to_the_server_and_from_the_address_the_environment_names(
    smtp_server,
):
    """The README's check of a deployment's email settings, from a process of its own."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SECRET_KEY": "k",
        "DJANGO_ALLOWED_HOSTS": "think.example.org",
        "EMAIL_URL": smtp_server.url,
        "DEFAULT_FROM_EMAIL": SENDER,
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "ops@think.example.org"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "ops@think.example.org"
    assert received["From"] == SENDER
    assert received["Subject"].startswith("Test email from")
