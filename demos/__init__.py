"""The course's demos: one pure-numpy module per demo, each with ``PARAMS`` and ``run``.

Modules whose name starts with ``_`` are shared helpers, not demos.
"""

from pathlib import Path as _Path


def names() -> list[str]:
    """Names of all demo modules, sorted (subpackages such as ``exercises`` are not demos)."""
    import pkgutil as _pkgutil  # here, not at the top: the browser never lists the demos (~5 ms there)

    return sorted(
        m.name
        for m in _pkgutil.iter_modules([str(_Path(__file__).parent)])
        if not m.name.startswith("_") and not m.ispkg
    )
