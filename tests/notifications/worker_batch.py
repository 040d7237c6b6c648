"""Queue a batch of notifications in the database the environment names (run as a separate process by
test_worker_kill.py): `python -m tests.notifications.worker_batch N`."""

import sys

import django


def main(count):
    django.setup()
    from django.db import transaction

    from notifications import notify

    from .helpers import CONTEXT  # registers the tests' templates

    for number in range(count):
        with transaction.atomic():  # one submission each, committed: its deliveries are queued on commit
            notify(
                "tests.received",
                email=f"p{number:03d}@example.com",
                phone=f"138{number:08d}",
                context={**CONTEXT, "code": f"TS-KILL-{number:03d}"},
                dedupe_key=f"kill:{number}",
            )


if __name__ == "__main__":
    main(int(sys.argv[1]))
