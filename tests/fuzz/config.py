"""Hypothesis settings shared by the fuzz tests: bounded, repeatable, never timed.

`derandomize` draws the same examples on every run (a failure in CI fails again on a laptop),
`database=None` keeps no example store between runs, and `deadline=None` because a slow machine
must not turn a correct answer into a failure. Each test picks its own `max_examples` so the
whole fuzz suite stays under two minutes per database.
"""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(max_examples):
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


# Any text a browser can send: every Unicode character except lone surrogates, which UTF-8 cannot carry.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
# Text with the characters that break things more often: controls, NUL, RTL marks, full-width forms.
tricky_text = st.text(
    alphabet=st.sampled_from(list("\x00\r\n\t \u3000\u200b\u202e\ufeff<>&'\";%_\\-—－（）()+0123456789低保投诉窗口ａｂ")),
    max_size=40,
)
text = st.one_of(any_text, tricky_text)
