"""The zh-Hant edition as a second MkDocs build, run by the first one into ``site/zh-Hant/``.

One ``mkdocs build`` (so one ``make build`` and one test build) makes both editions: the
Simplified build's ``on_post_build`` hook calls :func:`build_hant`, which

1. converts every ``docs/*.md`` into a temporary docs folder (:mod:`.markdown`);
2. derives the second config from ``mkdocs.yml`` in memory: that folder, ``site/zh-Hant/``,
   ``theme.language: zh-TW``, converted site name, nav and palette labels, a jieba user
   dictionary converted for Traditional text, the ``demo`` and ``glossary`` fences whose HTML is
   converted, and ``extra.edition: zh-Hant`` so the hook knows which edition it builds;
3. builds it strictly, with the same hook, whose ``on_files`` then calls :func:`adapt_files`:
   JavaScript string literals, figures' text and the demos package are converted; the Pyodide
   files are not copied again (the zh-Hant worker loads the Simplified edition's, same URL, same
   HTTP cache, and its own demos wheel by name from the same lock); :func:`share_dates` gives
   each page its Simplified twin's 「最后更新」 date (the converted copy is outside git).
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from scripts import paths
from scripts.editions.convert import convert
from scripts.editions.markdown import to_hant

HANT = "zh-Hant"
log = logging.getLogger("mkdocs.hooks.course.hant")


def is_hant(config) -> bool:
    """True while the zh-Hant edition is being built."""
    return (config.extra or {}).get("edition") == HANT


def wanted(config) -> bool:
    """Build the zh-Hant edition after this one? Only from the Simplified edition, and only when its
    language menu (``extra.alternate``) offers zh-Hant: a config without the menu builds one edition."""
    alternates = (config.extra or {}).get("alternate") or []
    return not is_hant(config) and any(alt.get("lang") == HANT for alt in alternates)


def write_docs(out: Path) -> list[Path]:
    """Every page of docs/ converted into ``out`` (other files copied, the glossary YAML left out)."""
    written = []
    for src in sorted(paths.DOCS.rglob("*")):
        if not src.is_file() or src.name == "glossary.yml":
            continue
        dst = out / src.relative_to(paths.DOCS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".md":
            try:
                dst.write_text(to_hant(src.read_text(encoding="utf-8")), encoding="utf-8")
            except ValueError as e:  # an edition block that does not fit (scripts/editions/markdown.py)
                raise PluginError(f"{src.relative_to(paths.DOCS).as_posix()}: {e}") from e
        else:
            dst.write_bytes(src.read_bytes())
        written.append(dst)
    return written


def _convert_nav(nav):
    if isinstance(nav, list):
        return [_convert_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {convert(k): _convert_nav(v) for k, v in nav.items()}
    return nav


def _converted_fence(fmt):
    def fence(source, language, css_class, options, md, **kwargs):
        return convert(fmt(source, language, css_class, options, md, **kwargs))

    fence.__name__ = f"hant_{getattr(fmt, '__name__', 'fence')}"
    return fence


def _converted_tree(src: Path, dst: Path) -> Path:
    """A copy of a folder of templates with their Chinese converted (Jinja syntax is ASCII, so the
    converter, which only changes Chinese, leaves it intact)."""
    for f in sorted(p for p in src.rglob("*") if p.is_file()):
        out = dst / f.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(convert(f.read_text(encoding="utf-8")), encoding="utf-8")
    return dst


def jieba_userdict(out: Path, main_dict: Path) -> Path:
    """The project's jieba user dictionary converted, plus every phrase-table result as a word,
    so Traditional text segments on the course's terms (雜訊、增強式學習、擴散)."""
    from scripts.editions.convert import table

    lines, seen = [], set()
    for line in main_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            parts[0] = convert(parts[0])
            seen.add(parts[0])
            lines.append(" ".join(parts))
    for word in sorted(set(table().values())):
        if word not in seen and re.fullmatch(r"[\u3400-\u9fff]{2,}", word):
            lines.append(f"{word} 20 n")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def hant_config(main: MkDocsConfig, docs_dir: Path, site_dir: Path, work: Path) -> MkDocsConfig:
    """The zh-Hant config, derived from mkdocs.yml in memory (nothing written next to it)."""
    config_file = Path(main.config_file_path)
    with config_file.open("rb") as fd:
        raw = yaml_load(fd)
    raw.update(
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        site_name=convert(raw["site_name"]),
        **{k: convert(raw[k]) for k in ("repo_name",) if raw.get(k)},
        # the description names the edition's own script: 简体中文 converts to 簡體中文, but this one is 繁體中文
        site_description=convert(raw.get("site_description", "")).replace("簡體中文", "繁體中文"),
        site_url=(main.site_url or "/").rstrip("/") + f"/{HANT}/",
        nav=_convert_nav(raw.get("nav")),
        watch=[],
    )
    theme = raw["theme"]
    theme["language"] = "zh-TW"
    if theme.get("custom_dir"):  # template overrides carry Chinese text too
        theme["custom_dir"] = str(_converted_tree(config_file.parent / theme["custom_dir"], work / "overrides"))
    for palette in theme.get("palette", []):
        if "toggle" in palette:
            palette["toggle"]["name"] = convert(palette["toggle"]["name"])
    # the values the Simplified build ran with (a test or a deployer may override mkdocs.yml's)
    extra = raw["extra"] = {**(raw.get("extra") or {}), **dict(main.extra)}
    extra["edition"] = HANT
    extra["alternate"] = [
        {**alt, "link": "./" if alt.get("lang") == HANT else "../" + alt["link"].removeprefix("./")}
        for alt in extra.get("alternate", [])
    ]
    for plugin in raw.get("plugins", []):
        if isinstance(plugin, dict) and "search" in plugin and plugin["search"].get("jieba_dict_user"):
            main_dict = config_file.parent / plugin["search"]["jieba_dict_user"]
            plugin["search"]["jieba_dict_user"] = str(jieba_userdict(work / "jieba_userdict.txt", main_dict))
    for ext in raw.get("markdown_extensions", []):
        if not isinstance(ext, dict):
            continue
        (name, options), *_ = ext.items()
        if name == "toc" and "permalink_title" in options:
            options["permalink_title"] = convert(options["permalink_title"])
        if name == "pymdownx.superfences":
            for fence in options.get("custom_fences", []):
                if fence.get("name") == "glossary":
                    from scripts.glossary import fence_format_hant

                    fence["format"] = fence_format_hant
                else:
                    fence["format"] = _converted_fence(fence["format"])
    cfg = MkDocsConfig(config_file_path=str(config_file))
    cfg.load_dict(raw)
    errors, warnings = cfg.validate()
    problems = [f"{k}: {v}" for k, v in errors + (warnings if cfg.strict else [])]
    if problems:
        raise Abort("zh-Hant config: " + "; ".join(problems))
    return cfg


def build_hant(main: MkDocsConfig) -> Path:
    """Build the zh-Hant edition into ``<site_dir>/zh-Hant/``; returns that folder."""
    site_dir = Path(main.site_dir) / HANT
    with tempfile.TemporaryDirectory(prefix="hant-") as tmp:
        work = Path(tmp)
        docs = work / "docs"
        write_docs(docs)
        cfg = hant_config(main, docs, site_dir, work)
        log.info("building the zh-Hant edition into %s", site_dir)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    return site_dir


def convert_svg(svg: str) -> str:
    """A figure's text (SVG ``<text>``/``<title>`` content) converted; shapes untouched."""
    if not re.search(r"[\u3400-\u9fff]", svg):
        return svg
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    for el in root.iter():
        if el.text:
            el.text = convert(el.text)
        if el.tail:
            el.tail = convert(el.tail)
    head = svg[: svg.find("<svg")] if "<svg" in svg else ""
    return head + ElementTree.tostring(root, encoding="unicode")


_DATES: dict[str, dict] = {}  # page src_uri → the git plugin's page.meta entries, from the Simplified build


def share_dates(page, config) -> None:
    """「最后更新」 on the zh-Hant pages. The git plugin dates the Simplified build's pages; the zh-Hant
    build reads a temporary converted copy outside git, so each of its pages takes its twin's
    ``git_*`` page.meta entries (the Simplified build runs first, in the same process)."""
    if is_hant(config):
        page.meta.update(_DATES.get(page.file.src_uri, {}))
    else:
        _DATES[page.file.src_uri] = {k: v for k, v in page.meta.items() if k.startswith("git_")}


def without_hant_wheel(served: list[Path]) -> list[Path]:
    """The served Pyodide files less the zh-Hant demos wheel (which only that edition downloads)."""
    from scripts.editions import demos_variant

    return [f for f in served if not f.name.startswith(f"{demos_variant.DIST}-")]


def adapt_files(files: Files, config) -> Files:
    """The zh-Hant edition's files: converted JS, figures and demos; no Pyodide copy."""
    from scripts import demo_bundle, pyodide_assets
    from scripts.editions import demos_variant
    from scripts.editions.jsstrings import convert_js

    for f in list(files):
        uri = f.src_uri
        if uri.startswith("pyodide/"):
            files.remove(f)
        elif uri.startswith("assets/js/") and uri.endswith(".js") and f.abs_src_path:
            source = Path(f.abs_src_path).read_text(encoding="utf-8")
            _replace(files, config, uri, convert_js(source))
        elif uri.startswith("figures/") and uri.endswith(".svg") and f.abs_src_path:
            _replace(files, config, uri, convert_svg(Path(f.abs_src_path).read_text(encoding="utf-8")))
        elif uri.startswith("demos/") and uri.endswith((".zip", ".whl")):
            files.remove(f)
    runtime = files.get_file_from_path("assets/js/runtime/config.js")
    if runtime is not None:
        text = runtime.content_string
        data = json.loads(text[text.index("{") : text.rindex("}") + 1])
        if data["pyodideBase"].startswith("../"):
            # self-hosted: the Simplified edition's pyodide/, whose lock lists this edition's demos
            # wheel under its own name (pyodide_assets.build_site_dir), loaded with checkIntegrity
            data["pyodideBase"] = "../" + data["pyodideBase"]
            shared = Path(config.site_dir).parent / "pyodide"
            lock = pyodide_assets.read_lock(shared)
            ours = lock["packages"][demos_variant.LOCK_NAME]["file_name"]
            theirs = lock["packages"][demo_bundle.LOCK_NAME]["file_name"]
            data["packages"], data["extraWheels"] = [demos_variant.LOCK_NAME], []
            data["downloadBytes"] = pyodide_assets.fetched_bytes(f for f in shared.iterdir() if f.name != theirs)
            assert (shared / ours).is_file(), ours
        else:  # a CDN's official lock cannot list it: served here and loaded by URL, like the Simplified one
            wheel_bytes, wheel_name = demos_variant.variant_wheel()
            files.append(File.generated(config, f"demos/{wheel_name}", content=wheel_bytes))
            data["packages"] = [p for p in data.get("packages", []) if p != demo_bundle.LOCK_NAME] or list(
                pyodide_assets.site_packages()
            )
            data["extraWheels"] = [f"../../../demos/{wheel_name}"]
        head = text[: text.index("export default")]
        _replace(files, config, runtime.src_uri, head + f"export default {json.dumps(data, indent=2)};\n")
    return files


def _replace(files: Files, config, uri: str, content: str) -> None:
    old = files.get_file_from_path(uri)
    if old is not None:
        files.remove(old)
    files.append(File.generated(config, uri, content=content))
