"""The documentation keeps up with the commands."""

import re
from pathlib import Path

import click

from sightline.cli.main import cli

PROJECT = Path(__file__).resolve().parents[1]


def all_command_paths(group: click.Group, prefix: str = "sightline") -> list[str]:
    context = click.Context(group)
    paths = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(all_command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_command_is_in_the_reference():
    reference = (PROJECT / "docs" / "commands.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (sightline[\w -]*?)\s*$", reference, flags=re.M))
    missing = [path for path in all_command_paths(cli) if path not in headings]
    assert missing == []


def test_every_command_has_help():
    for path in all_command_paths(cli):
        command = cli
        context = click.Context(cli)
        for part in path.split()[1:]:
            assert isinstance(command, click.Group)
            command = command.get_command(context, part)
        assert command.help, f"{path} has no help text"


def test_readme_quick_start_has_the_two_commands():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "    bash scripts/demo\n" in readme
    assert "sightline demo" in (PROJECT / "scripts" / "demo").read_text()
    assert "    bash scripts/test\n" in readme
    assert (PROJECT / ".ci" / "run").read_text().strip().endswith("bash scripts/test")


def test_changelog_has_an_unreleased_section():
    assert "## Unreleased" in (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_settings_table():
    """docs/settings.md has one table row per variable sightline.config reads."""
    source = (PROJECT / "src" / "sightline" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'environ[^"\n]*"((?:SIGHTLINE_|DATABASE_)\w+)"', source))
    table = (PROJECT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))
    assert len(read) == 18
    assert rows == read
