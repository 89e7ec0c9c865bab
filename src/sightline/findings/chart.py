"""The chart of the main figures: an Altair (Vega-Lite) spec, its JavaScript, and a static SVG.

The report must work offline, so the Vega, Vega-Lite and Vega-Embed JavaScript is inlined from
vl-convert's bundled copy (``vl_convert.javascript_bundle``) rather than loaded from a CDN, and the
same spec is rendered to SVG by vl-convert for readers without JavaScript.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import altair as alt
import vl_convert

from sightline.findings.engine import Findings


def vegalite_version() -> str:
    """The Vega-Lite version Altair writes, as vl-convert names it (``v6.4``)."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return f"v{major_minor}"


def chart_spec(findings: Findings) -> dict[str, Any]:
    """A horizontal bar per charted metric: its share of the successful requests."""
    rows: list[dict[str, Any]] = [
        {
            "figure": metric.label,
            "order": index,
            "percent": metric.percent or 0,
            "text": f"{metric.count} of {metric.of} ({metric.percent}%)"
            if metric.percent is not None
            else f"{metric.count} of {metric.of}",
        }
        for index, metric in enumerate(m for m in findings.metrics if m.chart)
    ]
    order: list[str] = [str(row["figure"]) for row in rows]
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("figure:N", sort=order, title=None),
        x=alt.X(
            "percent:Q",
            title=f"Share of the {findings.successful} requests answered (%)",
            scale=alt.Scale(domain=[0, 100]),
        ),
    )
    bars = base.mark_bar(color="#8c2d04")
    labels = base.mark_text(align="left", dx=4).encode(text="text:N")
    chart = (bars + labels).properties(width=480, height=alt.Step(34))
    spec: dict[str, Any] = chart.to_dict()
    return spec


@functools.cache
def vega_javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script that defines ``window.vegaEmbed``."""
    # The stub marks ``snippet`` as required; leaving it out gives the default global exports.
    script: str = vl_convert.javascript_bundle(vl_version=vegalite_version())  # type: ignore[call-arg]
    # Guard the one sequence that would end an inline <script> element early.
    return script.replace("</script", "<\\/script")


def chart_svg(spec: dict[str, Any]) -> str:
    svg: str = vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
    return svg


def spec_for_script(spec: dict[str, Any]) -> str:
    """The spec as a JavaScript literal that is safe inside an inline <script> element."""
    return json.dumps(spec).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
