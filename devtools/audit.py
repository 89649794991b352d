"""The page audit: one page of every type, at desktop and phone width, checked by axe-core for
serious and critical violations and for horizontal overflow, with screenshots for people to look at.

    python -m devtools.audit --base http://127.0.0.1:8000 [--out /tmp/tehgraph-audit] [--shots]

The browser tests walk the same `PAGE_TYPES` (tests/test_browser_pages.py); this command prints
the counts for the closing notes of a change (before and after). Traffic goes to the given base only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .browser import axe_violations, install_axe

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

# One page of each type: what an analyst opens. Entity pages of each kind the app has sections for.
PAGE_TYPES = {
    "home": "/",
    "browse-index": "/browse/",
    "browse": "/browse/teh:Measure",
    "measure": "/page/measure/pan-2014-2016/1",
    "measure-2019": "/page/measure/pan-2019-2021/21",
    "demand": "/page/demand/delai-reflexion-3-mois",
    "actor": "/page/org/collectif-traite",
    "ccem": "/page/org/ccem",
    "ministry": "/page/org/ministere-interieur",
    "person": "/page/person/sylvie-ody",
    "meeting": "/page/meeting/2014-02-03-ministre-droits-femmes",
    "plan": "/page/plan/pan-2014-2016",
    "instrument": "/page/instrument/ceseda-l316-1",
    "position": "/page/position/cr-2015-06-26/oicem-instruction-plus-complique",
    "assessment": "/page/assessment/collectif-2017/9",
    "response": "/page/response/titre-sejour-systematique/pan-2019-2021-m21",
    "document": "/page/doc/cr-2014-02-03",
    "source": "/source/cr-2014-02-03",
    "search": "/search/?q=CCEM",
    "search-none": "/search/?q=prefectre",
    "queries": "/queries/",
    "query": "/queries/measure-stances?measure=https://w3id.org/tehgraph/id/measure/pan-2014-2016/8",
    "pictures": "/pictures/",
    "timeline": "/pictures/timeline",
    "matrix": "/pictures/matrix/pan-2014-2016",
    "coverage": "/pictures/coverage/pan-2014-2016",
    "editor": "/sparql/editor",
    "ontology": "/ontology",
    "data": "/data",
    "error": "/page/no/such/thing",
}


def overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def audit(base: str, out: Path | None, shots: bool) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM  # the one description of Debian's chromium

    report: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**CHROMIUM)
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
            install_axe(context)
            page = context.new_page()
            for name, path in PAGE_TYPES.items():
                response = page.goto(base + path)
                violations = axe_violations(page)
                entry = {
                    "status": response.status if response else None,
                    "violations": len(violations),
                    "nodes": sum(len(v["nodes"]) for v in violations),
                    "rules": sorted({v["id"] for v in violations}),
                    "overflow": overflow(page),
                    "height": page.evaluate("() => document.documentElement.scrollHeight"),
                }
                report.setdefault(name, {})[width_name] = entry
                if shots and out is not None:
                    page.screenshot(path=str(out / f"{name}-{width_name}.png"), full_page=False)
            context.close()
        browser.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tehgraph-audit"))
    parser.add_argument("--shots", action="store_true", help="screenshots of every page and width")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = audit(args.base.rstrip("/"), args.out, args.shots)
    (args.out / "audit.json").write_text(json.dumps(report, indent=2))
    head = ("page", "status", "axe desk", "nodes", "axe 390", "nodes", "overflow 390")
    print(f"{head[0]:<14} " + " ".join(f"{h:>{max(6, len(h))}}" for h in head[1:]))
    for name, widths in report.items():
        d, p = widths["desktop"], widths["phone"]
        print(
            f"{name:<14} {d['status']!s:>6} {d['violations']:>9} {d['nodes']:>6} {p['violations']:>8} "
            f"{p['nodes']:>6} {p['overflow']:>13}  {' '.join(sorted(set(d['rules']) | set(p['rules'])))}"
        )


if __name__ == "__main__":
    main()
