import pytest


@pytest.fixture
def smtp(settings):
    """A real SMTP server the portal's mail settings point at; `smtp.handler.received` is what it accepted."""
    from tests.notifications.helpers import SmtpServer

    with SmtpServer() as server:
        for name, value in server.settings.items():
            setattr(settings, name, value)
        yield server
