import pytest

from .helpers import SmtpServer


@pytest.fixture
def smtp(settings):
    """A running SMTP server the portal's mail settings point at; `smtp.handler.received` is what it accepted."""
    with SmtpServer() as server:
        for name, value in server.settings.items():
            setattr(settings, name, value)
        yield server
