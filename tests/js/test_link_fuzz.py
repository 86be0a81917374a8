"""Property-based fuzzing of shared links: the page's parser (assets/js/params.js, in Node.js)
against Python's own validation of the same hash.

Invariant for every generated hash: the JavaScript side never throws; when the hash is a
link to the block, either both sides accept it with equal values, or both reject it and the
page has one clear Chinese message.  The Python side is an independent reading of the link
(urllib's query parsing, each parameter's ``parse``), not a port of the JavaScript.

Also: the blank characters both sides trim are one definition (``demos._params.SPACE``),
checked here against Python's ``str.isspace`` and JavaScript's ``String.prototype.trim``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from urllib.parse import parse_qsl, quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import demos
from demos._params import SPACE, Bool, Choice, DemoError, Float, Int, Text, trim
from demos._runtime import load
from tests.conftest import ROOT

FUZZ_LINKS = 600  # generated hashes per run (README: 「链接模糊测试」)
NAMES = demos.names()
BUILTIN_KEYS = [
    "constructor",
    "__proto__",
    "prototype",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "__defineGetter__",
    "__lookupGetter__",
    "propertyIsEnumerable",
    "toLocaleString",
]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


class LinkParser:
    """One long-lived Node.js process answering one hash per line."""

    def __init__(self):
        specs = {n: {k: p.spec() for k, p in load(n).PARAMS.items()} for n in NAMES}
        self.proc = subprocess.Popen(
            ["node", "--no-warnings", str(ROOT / "tests/js/links.mjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="surrogatepass",
        )
        self._send({"specs": specs})

    def _send(self, obj):
        self.proc.stdin.write(json.dumps(obj, ensure_ascii=True) + "\n")
        self.proc.stdin.flush()

    def ask(self, hash_, demo):
        self._send({"hash": hash_, "demo": demo})
        line = self.proc.stdout.readline()
        assert line, "the Node.js link parser died"
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def parser():
    p = LinkParser()
    yield p
    p.close()


def python_reading(hash_, demo):
    """Python's independent reading: None (not a link to this block), ("ok", values) or ("error", msg)."""
    m = re.fullmatch(r"#([^?]+)\?(.*)", hash_, re.S)
    if not m:
        return None
    try:
        block_id = unquote(m[1], errors="strict")
    except UnicodeDecodeError:
        return None
    if block_id != f"demo-{demo}":
        return None
    params = load(demo).PARAMS
    values = {}
    for key, raw in parse_qsl(m[2], keep_blank_values=True):
        if key not in params:
            return ("error", f"unknown {key}")
        try:
            values[key] = params[key].parse(raw, key)
        except DemoError as err:
            return ("error", str(err))
    return ("ok", values)


# --- generators -------------------------------------------------------------------------

UNICODE_EDGES = ["\ufeff", "\x1c", "\u3000", "\u200b", "\x00", "\u202e", "e\u0301", "😀", "\U0010ffff", "\ufffd"]


def raw_values(p):
    """Strings for parameter p: valid ones, near misses, unicode edges, huge ones."""
    near = st.sampled_from(["", " ", "1e", "abc", "--3", "1e309", "-0", "0x10", "1_0", "inf", "NaN", ".5", "5.", "+1"])
    edges = st.builds(lambda a, b, c: a + b + c, st.sampled_from(UNICODE_EDGES), st.text(max_size=5), near)
    huge = st.sampled_from(["9" * 400, "a" * 5000, "1" + "0" * 30, "好" * 300])
    options = [near, edges, huge, st.text(max_size=20)]
    if isinstance(p, Int):
        options.append(st.integers(p.lo - 2, p.hi + 2).map(str))
    elif isinstance(p, Float):
        options.append(st.floats(p.lo, p.hi, allow_nan=False).map(repr))
    elif isinstance(p, Text):
        options.append(st.text(min_size=1, max_size=p.max_len + 2))
    elif isinstance(p, Choice):
        options.append(st.sampled_from(p.choices))
    elif isinstance(p, Bool):
        options.append(st.sampled_from(["true", "false", "1", "0", " TRUE ", "yes"]))
    return st.one_of(options)


def encode(text, raw_bytes):
    """Percent-encode text (sometimes leaving it raw), or encode arbitrary (invalid UTF-8) bytes."""
    if raw_bytes is not None:
        return "".join(f"%{b:02X}" for b in raw_bytes)
    return quote(text, safe="")


@st.composite
def links(draw):
    demo = draw(st.sampled_from(NAMES))
    params = load(demo).PARAMS
    block = draw(
        st.one_of(
            st.just(f"demo-{demo}"),
            st.just(f"demo-{demo}").map(quote),
            st.sampled_from([f"demo-{demo}%E4%B8", "x%E4", "%", f"demo-{demo}%zz", "demo-%", f"demo-{demo}\u0301"]),
            st.text(max_size=10).map(lambda t: quote(t, safe="")),
        )
    )
    pairs = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.one_of(st.sampled_from(list(params)), st.sampled_from(BUILTIN_KEYS), st.text(max_size=8)))
        p = params.get(key) or Text("")
        value = draw(raw_values(p))
        raw_bytes = draw(st.none() | st.binary(max_size=6))
        pairs.append(f"{quote(key, safe='')}={encode(value, raw_bytes)}")
    hash_ = f"#{block}?{'&'.join(pairs)}"
    # A valid-looking link mutated by one character (deleted, replaced or inserted).
    if hash_ and draw(st.booleans()):
        i = draw(st.integers(0, len(hash_) - 1))
        c = draw(st.sampled_from(list("%&=?#+ ") + ["%E4", "%ZZ", "\u3000", "\ufeff"]))
        how = draw(st.sampled_from(["delete", "replace", "insert"]))
        hash_ = {"delete": hash_[:i] + hash_[i + 1 :], "replace": hash_[:i] + c + hash_[i + 1 :]}.get(
            how, hash_[:i] + c + hash_[i:]
        )
    return demo, hash_


def check(parser, demo, hash_):
    answer = parser.ask(hash_, demo)
    assert "crash" not in answer, f"{hash_!r} threw in the page's parser: {answer['crash']}"
    page, python = answer["result"], python_reading(hash_, demo)
    if python is None:
        assert page is None, f"{hash_!r}: the page took it as a link to demo-{demo}, Python did not"
        return
    assert page is not None, f"{hash_!r}: Python took it as a link to demo-{demo}, the page did not"
    if python[0] == "ok":
        assert "error" not in page, f"{hash_!r}: Python accepts {python[1]}, the page says {page['error']}"
        assert page["values"] == python[1], hash_
    else:
        assert "error" in page, f"{hash_!r}: Python rejects ({python[1]}), the page accepts {page['values']}"
        message = page["error"]
        assert message.startswith(("参数「", "链接里有未知参数")) and message.endswith("。"), message
        # Outside the quoted reader text, no JavaScript internals leak into the message.
        assert not re.search(r"undefined|NaN|null|\[object", re.sub(r"「.*」", "", message)), message
        if not python[1].startswith("unknown"):
            assert page["param"] in load(demo).PARAMS


@settings(
    max_examples=FUZZ_LINKS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(links())
def test_generated_links(parser, link):
    check(parser, *link)


@pytest.mark.parametrize(
    "hash_",
    [
        "#demo-ar_vs_nar?constructor=1",
        "#demo-ar_vs_nar?__proto__=1",
        "#demo-ar_vs_nar?toString=x&hasOwnProperty=1",
        "#demo-ar_vs_nar%E4%B8?x=1",
        "#x%E4?a=1",
        "#demo-ar_vs_nar?%E4%B8=1",
        "#demo-ar_vs_nar?" + "a" * 100_000,
    ],
)
def test_links_from_the_issue(parser, hash_):
    answer = parser.ask(hash_, "ar_vs_nar")
    assert "crash" not in answer, answer
    check(parser, "ar_vs_nar", hash_)


@pytest.mark.parametrize("text", ["\ufeff台湾", "\x1c台湾\x1f", "\u3000 台湾 \u2029", "\u200b台湾", "台湾\x85"])
def test_page_and_python_trim_the_same(parser, text):
    """The same strings through both: a text parameter and a number parameter."""
    hash_ = f"#demo-text_continuation?prompt={quote(text)}&seed={quote(text.replace('台湾', '7'))}"
    answer = parser.ask(hash_, "text_continuation")["result"]
    assert answer == {"values": {"prompt": trim(text), "seed": 7}} or "\u200b" in text, answer
    check(parser, "text_continuation", hash_)


def test_space_is_the_union_of_both_languages_definitions():
    js = subprocess.run(
        [
            "node",
            "-e",
            "const o=[];for(let c=0;c<0x10000;c++){if(c<0xd800||c>0xdfff){if(String.fromCharCode(c).trim()==='')o.push(c)}}"
            "console.log(JSON.stringify(o))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    js_space = set(json.loads(js.stdout))
    py_space = {c for c in range(0x110000) if chr(c).isspace()}
    assert {ord(c) for c in SPACE} == js_space | py_space
