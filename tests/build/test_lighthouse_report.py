"""scripts/lighthouse.py's report: Total Blocking Time split by the task's script, by hand.

The reference is Lighthouse's own rule, worked out by hand on a small report: a long task
counts between first contentful paint and time to interactive, clipped to that window, for
its time beyond 50 ms.
"""

from scripts import lighthouse

BASE = "http://127.0.0.1:8000/"
PAGE = BASE + "02-pretraining/"
BUNDLE = BASE + "assets/javascripts/bundle.a5f9d56c.min.js"


def report(tasks, fcp=1000.0, tti=3000.0, tbt=370.0, performance=0.9):
    """A Lighthouse report holding only what costs() and table() read."""
    return {
        "finalDisplayedUrl": PAGE,
        "categories": {"performance": {"score": performance}},
        "audits": {
            "first-contentful-paint": {"numericValue": fcp},
            "largest-contentful-paint": {"numericValue": fcp},
            "interactive": {"numericValue": tti},
            "total-blocking-time": {"numericValue": tbt},
            "cumulative-layout-shift": {"numericValue": 0.01},
            "speed-index": {"numericValue": fcp},
            "total-byte-weight": {"numericValue": 180_000},
            "long-tasks": {
                "details": {
                    "type": "table",
                    "items": [{"url": u, "startTime": s, "duration": d} for u, s, d in tasks],
                }
            },
            "bootup-time": {
                "details": {
                    "type": "table",
                    "items": [{"url": BUNDLE, "total": 900.0, "scripting": 360.0, "scriptParseCompile": 12.0}],
                }
            },
        },
    }


TASKS = [
    (PAGE, 300.0, 400.0),  # before first paint: not blocking
    (BUNDLE, 900.0, 200.0),  # straddles FCP: 1100 − 1000 = 100 ms counted → 50 blocking
    (BUNDLE, 1500.0, 300.0),  # 250 blocking
    (PAGE, 2000.0, 45.0),  # short: none
    (BASE + "assets/js/main.js", 2500.0, 120.0),  # 70 blocking
    ("Unattributable", 2960.0, 200.0),  # clipped at TTI to 40 ms: none
    ("", 3100.0, 500.0),  # after TTI: none
]


def test_blocking_time_is_split_by_the_script_of_each_task():
    split = lighthouse.blocking_by_source(report(TASKS), BASE)
    assert split == {
        "material": 300,
        "page": 0,
        "ours": 70,
        "other": 0,
        "material_script_ms": 372,
        "material_total_ms": 900,
    }
    # The parts add up to the TBT Lighthouse reports for the same tasks (370 ms here).
    assert sum(split[k] for k in ("material", "page", "ours", "other")) == 370


def test_the_html_document_and_unattributed_tasks_are_their_own_sources():
    tasks = [(PAGE, 1200.0, 130.0), ("Unattributable", 1400.0, 60.0), ("", 1600.0, 51.0)]
    split = lighthouse.blocking_by_source(report(tasks), BASE)
    assert (split["page"], split["other"], split["material"], split["ours"]) == (80, 11, 0, 0)


def test_a_page_under_target_reports_where_its_blocking_time_goes():
    costs = lighthouse.costs(report(TASKS), BASE)
    results = {
        "02-pretraining/": {
            "scores": {"performance": 0.9, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0},
            "performance_runs": [0.9],
            "costs": costs,
        }
    }
    text = lighthouse.table(results)
    assert "| 02-pretraining/ | 0.90 |" in text and "MISS" in text
    assert "Material's bundle 300 ms (its own script is 372 of its 900 ms main-thread time" in text
    assert "our scripts 70 ms" in text
