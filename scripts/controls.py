"""HTML for a demo's controls, generated at build time from its ``PARAMS``.

Every control's ``name`` is its parameter's name (the DOM contract); values are
escaped here, and the browser only ever reads them back as strings.

Accessibility is decided here, once for every demo: each control has a visible
``<label for>``, its help text is tied to it with ``aria-describedby``, and an
empty ``data-role=field-error`` slot (``{id}-error``) waits for the message
demo-block.js shows (and ties to the control) when that parameter is invalid.
"""

from __future__ import annotations

from html import escape

from demos._params import Bool, Choice, Float, Int, Param, Text

SLIDER_MAX_STEPS = 1000  # beyond this a slider is too coarse to be useful (e.g. seeds)


def _attrs(**attrs) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _number(name: str, p: Int | Float, value, control_id: str, described: str | None) -> str:
    step = 1 if isinstance(p, Int) else p.step
    common = dict(min=_fmt(p.lo), max=_fmt(p.hi), step=_fmt(step))
    number = f"<input {_attrs(type='number', id=control_id, name=name, value=_fmt(value), inputmode='decimal', aria_describedby=described, **common)}>"
    if (p.hi - p.lo) / step > SLIDER_MAX_STEPS:
        return number
    # The number box is the one control keyboards and screen readers use; the slider
    # is a second, touch-friendly handle on the same value, hidden from them.
    slider = f"<input {_attrs(type='range', value=_fmt(value), aria_hidden='true', tabindex='-1', data_slider_for=name, **common)}>"
    return f'<span class="demo__number">{slider}{number}</span>'


def control_html(name: str, p: Param, value, block_id: str) -> str:
    """One labelled control for parameter ``name`` showing ``value``."""
    control_id = f"{block_id}-{name}"
    help_id = f"{control_id}-help" if p.help else None
    if isinstance(p, (Int, Float)):
        field = _number(name, p, value, control_id, help_id)
    elif isinstance(p, Text):
        field = f"<input {_attrs(type='text', id=control_id, name=name, value=value, autocomplete='off', spellcheck='false', aria_describedby=help_id)}>"
    elif isinstance(p, Choice):
        options = "".join(
            f"<option {_attrs(value=c, selected=(c == value))}>{escape(p.labels.get(c, c))}</option>" for c in p.choices
        )
        field = f"<select {_attrs(id=control_id, name=name, aria_describedby=help_id)}>{options}</select>"
    elif isinstance(p, Bool):
        field = f"<input {_attrs(type='checkbox', id=control_id, name=name, value='true', checked=bool(value), aria_describedby=help_id)}>"
    else:  # a new Param kind must get a control before it can be used
        raise TypeError(f"no control for {type(p).__name__}")
    help_html = f'<small class="demo__help" id="{escape(help_id)}">{escape(p.help)}</small>' if p.help else ""
    error_html = (
        f'<small class="demo__field-error" id="{escape(control_id)}-error" data-role="field-error" hidden></small>'
    )
    return (
        f'<div class="demo__control demo__control--{p.kind}">'
        f'<label for="{escape(control_id)}">{escape(p.label or name)}</label>{field}{error_html}{help_html}</div>'
    )
