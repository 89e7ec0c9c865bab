"""Census outputs beside the JSON document: a CSV table and a chart."""

from __future__ import annotations

import csv
from pathlib import Path

from sightline.census.counts import Tally

CSV_HEADER = ("dimension", "value", "vendor", "unique_ips")
VENDOR_NAMES = {"hikvision": "Hikvision", "dahua": "Dahua"}
VENDOR_COLOURS = ["#c0392b", "#2c3e50"]


def write_csv(tally: Tally, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        writer.writerows(tally.csv_rows())


def write_chart(tally: Tally, path: Path, top: int = 15) -> None:
    """Unique IPs by country (the largest ``top``), one bar per vendor.

    The format follows the file name: .html (self-contained, JavaScript inline), .svg, .png or
    .json (the Vega-Lite specification).
    """
    import altair as alt

    doc = tally.to_json()
    countries = sorted(doc["by_country"].items(), key=lambda kv: -sum(kv[1].values()))[:top]
    rows = [
        {"country": country, "vendor": VENDOR_NAMES[vendor], "devices": n}
        for country, per_vendor in countries
        for vendor, n in per_vendor.items()
    ]
    data = alt.Data(values=rows)  # type: ignore[no-untyped-call]
    chart = (
        alt.Chart(data, title="Exposed devices (unique IP addresses) by country")
        .mark_bar()
        .encode(
            x=alt.X("devices:Q", title="unique IP addresses"),
            y=alt.Y("country:N", sort="-x", title=None),
            color=alt.Color(
                "vendor:N", scale=alt.Scale(range=VENDOR_COLOURS), legend=alt.Legend(title=None)
            ),
            yOffset="vendor:N",
            tooltip=["country:N", "vendor:N", "devices:Q"],
        )
        .properties(width=520)
    )
    suffix = path.suffix.lower()
    if suffix == ".html":
        chart.save(str(path), inline=True)
    elif suffix in (".svg", ".png", ".json"):
        chart.save(str(path))
    else:
        raise ValueError(
            f"chart file must end in .html, .svg, .png or .json, not {suffix or '(none)'}"
        )
