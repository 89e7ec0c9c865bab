"""Census outputs beside the JSON document: a CSV table and a chart."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sightline.census.counts import Tally
from sightline.errors import SightlineError


class ChartError(SightlineError, ValueError):
    """The chart cannot be written as asked (a file name whose kind is not known)."""


CSV_HEADER = ("dimension", "value", "vendor", "unique_ips")
VENDOR_NAMES = {"hikvision": "Hikvision", "dahua": "Dahua"}
VENDOR_COLOURS = ["#8c2d04", "#fd8d3c"]  # the findings report's brown, and a lighter orange


def write_csv(tally: Tally, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        writer.writerows(tally.csv_rows())


def chart_spec(tally: Tally, top: int = 15) -> dict[str, Any]:
    """Unique IPs by country (the ``top`` largest), one labelled bar per vendor.

    Styled like the findings report's chart (horizontal bars, value labels, 480 px wide).
    """
    import altair as alt

    doc = tally.to_json()
    countries = sorted(doc["by_country"].items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = [
        {"country": country, "vendor": VENDOR_NAMES[vendor], "devices": n}
        for country, per_vendor in countries[:top]
        for vendor, n in per_vendor.items()
    ]
    order = [country for country, _ in countries[:top]]
    data = alt.Data(values=rows)  # type: ignore[no-untyped-call]
    base = alt.Chart(data, title="Exposed devices (unique IP addresses) by country").encode(
        y=alt.Y("country:N", sort=order, title=None),
        yOffset=alt.YOffset("vendor:N"),
        x=alt.X("devices:Q", title="unique IP addresses"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "vendor:N",
            scale=alt.Scale(domain=list(VENDOR_NAMES.values()), range=VENDOR_COLOURS),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=["country:N", "vendor:N", "devices:Q"],
    )
    labels = base.mark_text(align="left", dx=4).encode(text="devices:Q")
    spec: dict[str, Any] = (bars + labels).properties(width=480).to_dict()
    return spec


def write_chart(tally: Tally, path: Path, top: int = 15) -> None:
    """Write the chart; the format follows the file name: .svg, .png, .html (self-contained,
    JavaScript inline) or .json (the Vega-Lite specification)."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".svg", ".png", ".json"):
        raise ChartError(
            f"chart file must end in .html, .svg, .png or .json, not {suffix or '(none)'}"
        )
    spec = chart_spec(tally, top)
    if suffix == ".json":
        path.write_text(json.dumps(spec, indent=2), "utf-8")
        return
    import altair as alt
    import vl_convert

    version = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    if suffix == ".svg":
        path.write_text(vl_convert.vegalite_to_svg(spec, vl_version=version), "utf-8")
    elif suffix == ".png":
        path.write_bytes(vl_convert.vegalite_to_png(spec, vl_version=version))
    else:
        alt.Chart.from_dict(spec).save(str(path), inline=True)
