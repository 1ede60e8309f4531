"""Fixtures shared by the integration tests that drive sessions through the running stack."""
import pytest

from services.sessions.bootstrap import bootstrap as sessions_bootstrap
from shared.config import StackSettings
from tests.conftest import MailboxClient


@pytest.fixture(scope="module")
def clock(full_stack):
    """The sessions service, in this process, on the stack's Redis and broker."""
    sessions = sessions_bootstrap(StackSettings.from_env(full_stack.env()))
    yield sessions
    sessions.runtime.close()


@pytest.fixture
def mail(full_stack):
    box = MailboxClient(full_stack.url("mailbox"))
    box.refuse(False)
    yield box
    box.refuse(False)
    box.hold_reply(0)
