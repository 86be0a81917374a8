"""Property-based fuzzing of every demo's declaration: any input gives views or a typed error."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import demos
from demos._params import Bool, Choice, Float, Int, Text
from demos._runtime import call
from tests.demos.contract import check_views, module


def valid(p):
    if isinstance(p, Int):
        return st.integers(p.lo, p.hi)
    if isinstance(p, Float):
        return st.floats(p.lo, p.hi, allow_nan=False)
    if isinstance(p, Text):
        return st.text(min_size=0 if p.allow_empty else 1, max_size=p.max_len).filter(
            lambda s: p.allow_empty or s.strip()
        )
    if isinstance(p, Choice):
        return st.sampled_from(p.choices)
    if isinstance(p, Bool):
        return st.booleans()
    raise TypeError(type(p))


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.lists(st.integers(), max_size=3),
)


def raw_params(m):
    """Dicts over a subset of the declared names: mostly valid values, sometimes anything."""
    return st.fixed_dictionaries(
        {}, optional={k: st.one_of(valid(p), valid(p).map(str), ANYTHING) for k, p in m.PARAMS.items()}
    )


@pytest.mark.parametrize("name", demos.names())
def test_any_input_gives_views_or_a_typed_error(name):
    m = module(name)

    @settings(
        max_examples=getattr(m, "FUZZ_EXAMPLES", 40),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(raw_params(m))
    def check(raw):
        answer = json.loads(call(name, json.dumps(raw)))
        assert not answer.get("internal"), answer.get("traceback")
        if answer["ok"]:
            check_views(answer["views"])
        else:
            assert answer["message"] and (answer["param"] is None or answer["param"] in m.PARAMS)

    check()
