"""HTML to text: what a reader sees, nothing that runs."""

from __future__ import annotations

from sightline.documents.html_text import html_to_text


def test_scripts_styles_and_head_are_dropped() -> None:
    content = html_to_text(
        "<html><head><title>T</title><style>b{}</style></head><body>"
        "<script>document.write('x')</script><p>Visible&nbsp;text &amp; more</p></body></html>"
    )
    assert content.text == "Visible text & more"


def test_blocks_breaks_and_lists() -> None:
    content = html_to_text(
        "<div>One<br>Two</div><ul><li>Hikvision</li><li>Dahua</li></ul><p>End</p>"
    )
    assert content.text == "One\nTwo\n\n- Hikvision\n- Dahua\n\nEnd"


def test_tables_kept_as_rows_and_in_the_text() -> None:
    content = html_to_text(
        "<table><tr><th>Vendor</th><th>Count</th></tr><tr><td>Axis</td><td> 4 </td></tr>"
        "<tr><td></td><td></td></tr></table>"
    )
    assert content.tables == [[["Vendor", "Count"], ["Axis", "4"]]]
    assert content.text == "Vendor | Count\nAxis | 4"


def test_nested_table_is_its_own_table() -> None:
    content = html_to_text(
        "<table><tr><td>Outer<table><tr><td>In1</td><td>In2</td></tr></table></td>"
        "<td>Next</td></tr></table>"
    )
    assert content.tables == [[["Outer", "Next"]], [["In1", "In2"]]]


def test_pre_keeps_its_lines() -> None:
    assert html_to_text("<pre>a  b\nc</pre>").text == "a b\nc"
