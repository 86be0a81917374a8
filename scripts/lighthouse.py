"""Lighthouse 13 (npm, pinned in package.json) over the built site: the home page and every chapter.

Run ``python -m scripts.lighthouse [--site DIR] [--runs N] [--pages P ...] [--json]`` after
``make build``; ``make bench`` runs it as part of ``scripts.benchmark`` on the benchmark's own
server (127.0.0.1, gzip).  Lighthouse drives Debian's Chromium (``scripts/paths.py`` pins its
path and flags) with its default mobile profile: a Moto G Power-sized screen, simulated slow 4G
and a 4× CPU slow-down (Lantern), so its figures depend little on how busy this machine is,
though the main-thread work it scales does.  Each page is measured ``--runs`` times (default 1),
each in a fresh Chromium with a cold cache, and the median report (by performance) is kept.

Recorded per page: the four category scores (performance, accessibility, best-practices, SEO),
and for pages under the performance target, what costs the most: the long-task count and the
longest, render-blocking requests, main-thread work by category, the LCP element, the
layout-shift culprits and the total byte weight.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import paths

LIGHTHOUSE = paths.NODE_MODULES / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_PERFORMANCE = 0.95
TIMEOUT_S = 300  # one page on a busy 2-core machine takes 20–60 s


class LighthouseError(RuntimeError):
    """Lighthouse could not measure a page."""


def pages(site: Path) -> list[str]:
    """The home page and every chapter of the Simplified edition, as paths under the site's root."""
    return [""] + sorted(f"{p.parent.name}/" for p in site.glob("[0-9]*/index.html"))


def page_paths(given: list[str]) -> list[str]:
    """Paths as typed ("/", "09-diffusion", "09-diffusion/") → paths under the site's root ("", "09-diffusion/")."""
    return [p.strip("/") + "/" if p.strip("/") else "" for p in given]


def run_once(url: str, out: Path) -> dict:
    """One Lighthouse run on `url` in a fresh Chromium; the parsed JSON report (LHR)."""
    flags = " ".join(["--headless=new", *paths.CHROMIUM_ARGS])
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--chrome-path={paths.CHROMIUM}",
        f"--chrome-flags={flags}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
    ]
    if not LIGHTHOUSE.is_file():
        raise LighthouseError(f"{LIGHTHOUSE} is missing: run `make setup` (npm ci)")
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            _, stderr = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as err:
            # SIGINT, not SIGKILL: Lighthouse's launcher then closes the Chromium it started.
            proc.send_signal(signal.SIGINT)
            try:
                proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise LighthouseError(f"lighthouse on {url}: no report within {TIMEOUT_S} s") from err
    if proc.returncode:
        raise LighthouseError(f"lighthouse on {url} failed: {stderr.strip()[-600:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse on {url}: {report['runtimeError'].get('message')}")
    return report


def _items(audit: dict) -> list[dict]:
    """An audit's detail rows (tables and lists), or []."""
    details = audit.get("details") or {}
    if details.get("type") == "list":
        return [row for sub in details.get("items", []) for row in (sub.get("items") or [])]
    return details.get("items") or []


def _short(url: str, base: str) -> str:
    """A URL relative to the site, for the report."""
    return url[len(base) :] if base and url.startswith(base) else url


MATERIAL_BUNDLE = "assets/javascripts/bundle."  # Material's one script (its hashed name follows)
BLOCKING_THRESHOLD_MS = 50  # a task's first 50 ms do not block (Lighthouse's TBT)


def blocking_by_source(report: dict, base: str = "") -> dict:
    """Total Blocking Time split by the script each long task is attributed to.

    Lighthouse's rule (lantern ``calculateTbtImpactForEvent``): a task counts between first
    contentful paint and time to interactive, clipped to that window, for its time beyond
    50 ms.  Durations and start times are the simulated ones of the ``long-tasks`` audit, so
    the parts add up to about the reported TBT.  Sources: ``material`` (Material's bundle:
    its own script, and the page's style and layout that the script forces), ``page`` (the
    HTML document: parsing, and style and layout the parser triggers), ``ours`` (any other
    script of the site) and ``other`` (unattributable).  Also returned: how much of the
    bundle's main-thread time is its own script (``bootup-time``: evaluation + compilation)
    against its total, the rest being the style and layout it forces.
    """
    audits = report["audits"]
    start = audits.get("first-contentful-paint", {}).get("numericValue") or 0
    end = audits.get("interactive", {}).get("numericValue") or float("inf")
    parts = {"material": 0.0, "page": 0.0, "ours": 0.0, "other": 0.0}
    page_url = report.get("finalDisplayedUrl") or report.get("finalUrl") or ""
    for task in _items(audits.get("long-tasks", {})):
        clipped = min(task["startTime"] + task["duration"], end) - max(task["startTime"], start)
        if clipped < BLOCKING_THRESHOLD_MS:
            continue
        url = task.get("url") or ""
        source = (
            "material" if MATERIAL_BUNDLE in url
            else "page" if url and url.split("#")[0] == page_url.split("#")[0]
            else "ours" if base and url.startswith(base)
            else "other"
        )  # fmt: skip
        parts[source] += clipped - BLOCKING_THRESHOLD_MS
    bundle = next(
        (row for row in _items(audits.get("bootup-time", {})) if MATERIAL_BUNDLE in (row.get("url") or "")), {}
    )
    return {
        **{key: round(ms) for key, ms in parts.items()},
        "material_script_ms": round((bundle.get("scripting") or 0) + (bundle.get("scriptParseCompile") or 0)),
        "material_total_ms": round(bundle.get("total") or 0),
    }


def costs(report: dict, base: str = "") -> dict:
    """What costs the most on a page: the figures the issue names, compact enough for a table."""
    audits = report["audits"]
    metric = lambda key: audits.get(key, {}).get("numericValue")  # noqa: E731 - tiny accessor
    long_tasks = _items(audits.get("long-tasks", {}))
    blocking = [
        (_short(row.get("url", ""), base), round(row.get("wastedMs") or 0))
        for row in _items(audits.get("render-blocking-insight", {}))
        if row.get("url")
    ]
    work = sorted(
        (
            (row.get("groupLabel") or row.get("group"), row.get("duration", 0))
            for row in _items(audits.get("mainthread-work-breakdown", {}))
        ),
        key=lambda pair: -pair[1],
    )
    lcp_node = next(
        (row for row in (audits.get("lcp-breakdown-insight", {}).get("details") or {}).get("items", [])
         if row.get("type") == "node"),
        {},
    )  # fmt: skip
    shifts = [
        (row["node"].get("selector") or row["node"].get("nodeLabel", "?"), row.get("score"))
        for row in _items(audits.get("cls-culprits-insight", {}))
        if row.get("score") and (row.get("node") or {}).get("type") == "node"
    ]
    return {
        "fcp_ms": metric("first-contentful-paint"),
        "lcp_ms": metric("largest-contentful-paint"),
        "tbt_ms": metric("total-blocking-time"),
        "cls": metric("cumulative-layout-shift"),
        "si_ms": metric("speed-index"),
        "long_tasks": [(_short(t.get("url", ""), base), round(t.get("duration", 0))) for t in long_tasks][:5],
        "render_blocking": blocking[:6],
        "main_thread": [(label, round(ms)) for label, ms in work[:5]],
        "lcp_element": (lcp_node.get("selector") or "").split(" > ")[-1],
        "cls_culprits": shifts[:5],
        "tbt_by_source": blocking_by_source(report, base),
        "total_bytes": metric("total-byte-weight"),
        "dom_elements": next(
            (
                row["value"]["value"]
                for row in _items(audits.get("dom-size-insight", {}))
                if row.get("statistic") == "Total elements"
            ),
            None,
        ),  # fmt: skip
    }


def measure(base: str, page_paths: list[str], runs: int = 1, log=print) -> dict:
    """Lighthouse on each page under `base` (the served site's root URL), median of `runs` by performance.

    A page Lighthouse cannot measure is reported with its error; the others go on.
    """
    results = {}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for path in page_paths:
            try:
                reports = sorted(
                    (run_once(base + path, Path(tmp) / f"{i}.json") for i in range(runs)),
                    key=lambda r: r["categories"]["performance"]["score"] or 0,
                )
            except LighthouseError as err:
                results[path or "/"] = {"error": str(err)}
                log(str(err))
                continue
            report = reports[len(reports) // 2]
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            results[path or "/"] = {
                "scores": scores,
                "performance_runs": [r["categories"]["performance"]["score"] for r in reports],
                "costs": costs(report, base),
            }
            log(f"/{path}: " + " ".join(f"{c} {s:.2f}" for c, s in scores.items()))
    return results


def table(results: dict) -> str:
    """The Markdown report: scores per page, then the top costs of pages under target."""
    out = [
        "| page | performance | accessibility | best practices | SEO | FCP · LCP · TBT · CLS | bytes · DOM elements | |",
        "| --- | --: | --: | --: | --: | --- | --: | --- |",
    ]
    for page, r in results.items():
        if "error" in r:
            out.append(f"| {page} | failed | | | | {r['error'][:200]} | | MISS |")
            continue
        s, c = r["scores"], r["costs"]
        runs = "/".join(f"{v:.2f}" for v in r["performance_runs"]) if len(r["performance_runs"]) > 1 else ""
        out.append(
            f"| {page} | {s['performance']:.2f}{f' ({runs})' if runs else ''} | {s['accessibility']:.2f} | "
            f"{s['best-practices']:.2f} | {s['seo']:.2f} | {c['fcp_ms'] / 1000:.1f} s · {c['lcp_ms'] / 1000:.1f} s"
            f" · {c['tbt_ms']:,.0f} ms · {c['cls']:.3f} | {c['total_bytes'] / 1000:,.0f} KB · {_count(c['dom_elements'])} | "
            f"{'PASS' if s['performance'] >= TARGET_PERFORMANCE else 'MISS'} |"
        )
    low = {p: r for p, r in results.items() if "scores" in r and r["scores"]["performance"] < TARGET_PERFORMANCE}
    if low:
        out += [
            "",
            f"Top costs where performance < {TARGET_PERFORMANCE} (from Lighthouse's audits, simulated mobile):",
            "",
        ]
    for page, r in low.items():
        c = r["costs"]
        out.append(
            f"- **{page}**: long tasks {_pairs(c['long_tasks'], ' ms')}; render-blocking "
            f"{_pairs(c['render_blocking'], ' ms')}; main thread {_pairs(c['main_thread'], ' ms')}; "
            f"LCP element `{c['lcp_element'] or '?'}`; layout shifts {_pairs(c['cls_culprits'], '', 3)}; "
            + _tbt_sources(c["tbt_by_source"])
        )
    return "\n".join(out)


def _count(n) -> str:
    """A count with thousands separators, or '?' where the audit gave none."""
    return "?" if n is None else f"{n:,}"


def _tbt_sources(t: dict) -> str:
    """The TBT split of blocking_by_source, as a phrase for the report."""
    return (
        f"blocking time of the long tasks by script (TBT's rule; the simulated TBT has its own bounds): "
        f"Material's bundle {t['material']:,} ms (its own script is {t['material_script_ms']:,} of "
        f"its {t['material_total_ms']:,} ms main-thread time, the rest the page's style and layout it forces), "
        f"the HTML document {t['page']:,} ms, our scripts {t['ours']:,} ms, unattributed {t['other']:,} ms"
    )


def _pairs(pairs, unit: str, digits: int = 0) -> str:
    """[(name, value)] → 'name value unit, …', or 'none'."""
    if not pairs:
        return "none"
    return ", ".join(f"{name or '(inline)'} {value:,.{digits}f}{unit}" for name, value in pairs)


def main(argv=None) -> int:
    """Serve the site with the benchmark's server and run Lighthouse on its pages."""
    from scripts.benchmark import serve, site_problem  # the same gzip server as the benchmark

    parser = argparse.ArgumentParser(prog="python -m scripts.lighthouse", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=paths.ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page, the median kept (default 1)")
    parser.add_argument("--pages", nargs="*", help="paths under the site (default: home and every chapter)")
    parser.add_argument("--json", action="store_true", help="write the results as JSON to stdout")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    problem = site_problem(site)
    if problem:
        print(f"lighthouse: {problem}", file=sys.stderr)
        return 2
    chosen = page_paths(args.pages) if args.pages else pages(site)
    log = lambda m: print(f"[lighthouse] {m}", file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp, serve(site, Path(tmp)) as base:
        results = measure(base, chosen, args.runs, log)
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        print()
    print(table(results), file=sys.stderr if args.json else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
