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
    alphabet=st.sampled_from(
        list("\x00\r\n\t \u3000\u200b\u202e\ufeff<>&'\";%_\\-—－（）()+0123456789低保投诉窗口ａｂ")
    ),
    max_size=40,
)
text = st.one_of(any_text, tricky_text)

# Numbers as they arrive from outside. int() reads other scripts' digits ('٣', '३', '３') and the
# database cannot hold every integer Python can; content.inputs must refuse all of these cleanly.
unicode_digits = st.text(
    alphabet=st.one_of(
        st.characters(categories=("Nd",)).filter(lambda c: not "0" <= c <= "9"),
        st.sampled_from("²³¹⁰⁴⁵①⑴"),  # superscripts and circled digits: isdigit() says yes, int() says no
    ),
    min_size=1,
    max_size=6,
)
huge_integers = st.one_of(
    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**20, 10**30]),
    st.integers(min_value=2**31 - 2, max_value=10**40),
).map(str) | st.integers(min_value=4000, max_value=5000).map(lambda n: "9" * n)  # past int()'s 4300-digit limit
with_nul = st.tuples(text, text).map(lambda halves: f"{halves[0]}\x00{halves[1]}")
# Any of those, ASCII digits, or arbitrary text: what an id or page parameter gets from a fuzzer.
numbers = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=12), unicode_digits, huge_integers, with_nul, text
)
