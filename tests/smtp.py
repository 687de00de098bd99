"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, on a free port, in a thread
of the test process (the `smtp_server` fixture, tests/conftest.py).

Whatever reaches it, from this process or from the servers and workers of
tests/servers.py, is parsed into `messages`; `url` is the EMAIL_URL that sends there.
"""

import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from .servers import HOST, free_port


class SmtpServer:
    def __init__(self):
        self.messages = []
        self._arrived = threading.Condition()
        self.port = free_port()
        self._controller = Controller(self, hostname=HOST, port=self.port)

    @property
    def url(self):
        return f"smtp://{HOST}:{self.port}"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc_info):
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd's hook for each message accepted: keep it, parsed as a mail client would."""
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=10):
        """The first `count` messages, once they have arrived; AssertionError after `timeout` s."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(
                    f"{len(self.messages)} of {count} emails arrived within {timeout} s"
                )
            return self.messages[:count]
