"""The lockout backend for the test settings: `Client.login()` authenticates without a request.

Axes needs the request to count a client's failures and refuses to authenticate without one. The
test client's `login()` has none to give, so here such calls skip the lockout check and go to the
password check; every login through the login page still passes the real check.
"""

from axes.backends import AxesStandaloneBackend


class RequestOptionalLockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
