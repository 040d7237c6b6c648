"""`case_changed` is sent inside the transaction of every step (cases.handling), after the step is stored.

Receivers that write (notifications' messages) therefore commit or roll back together with the step;
anything that leaves the process must wait for `transaction.on_commit`.
Arguments: case, kind, event ("submit", "assign", "reply", "extend", "close", "reopen", "escalate",
"follow_up", "step"), user (None for the citizen), data (a dict of what the event changed).
"""

from django.dispatch import Signal

case_changed = Signal()
