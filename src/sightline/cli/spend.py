"""``sightline spend``: import spending and contract data, report what went to the suppliers of
surveillance equipment, and review uncertain supplier matches. Thin shell over
``sightline.procurement``; imports live under SIGHTLINE_HOME/spend/."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sightline.cli.errors import CommandError

if TYPE_CHECKING:
    from decimal import Decimal

    from sightline.procurement.figures import SpendReport
    from sightline.procurement.store import SpendStore


def _store() -> SpendStore:
    from sightline.config import sightline_home
    from sightline.procurement.store import SpendStore

    return SpendStore(sightline_home())


def _authority_names(code: str, name: str | None) -> tuple[str, str]:
    """(name, short name) of the authority: --name, the built-in registry, then the database."""
    if name:
        return name, ""
    from sightline.authorities.records import read_builtin

    for record in read_builtin():
        if record.gss_code == code:
            return record.name, record.short_name
    found = _authority_in_database(code)
    if found:
        return found
    raise CommandError(
        f"unknown authority {code}: not in the registry (add it with `sightline authorities"
        " import`, or give its name with --name)"
    )


def _authority_in_database(code: str) -> tuple[str, str] | None:
    from sightline.config import database_url, sightline_home

    if not database_url() and not (sightline_home() / "sightline.sqlite3").exists():
        return None  # no database to look in: do not create one just for a name
    from sightline.cli.database import open_database

    try:
        open_database()
    except CommandError:
        return None
    from sightline.authorities.models import Authority

    authority = Authority.objects.filter(gss_code=code).first()
    if authority is None:
        return None
    return authority.name, str(getattr(authority, "short_name", "") or "")


def _registry() -> list[Any]:
    """The authorities buyers are matched to: the built-in ones and those in the database."""
    from sightline.authorities.records import read_builtin
    from sightline.procurement.buyers import registry_entries

    records: dict[str, Any] = {record.gss_code: record for record in read_builtin()}
    for record in _database_authorities():
        records[record.gss_code] = record
    return registry_entries(records.values())


def _database_authorities() -> list[Any]:
    from sightline.config import database_url, sightline_home

    if not database_url() and not (sightline_home() / "sightline.sqlite3").exists():
        return []
    from sightline.cli.database import open_database

    try:
        open_database()
    except CommandError:
        return []
    from sightline.authorities.models import Authority

    return list(Authority.objects.all())


def _report() -> tuple[SpendStore, SpendReport]:
    from sightline.procurement.buyers import BuyerMatcher
    from sightline.procurement.figures import compute_report
    from sightline.procurement.integrators import LOCAL_KNOWLEDGE
    from sightline.procurement.knowledge import load_knowledge_base, with_local_links
    from sightline.procurement.matching import SupplierMatcher

    store = _store()
    knowledge = with_local_links(load_knowledge_base(), store.folder / LOCAL_KNOWLEDGE)
    decisions = store.decisions()
    matcher = SupplierMatcher(knowledge, decisions)
    imports = store.imports()
    national = any(not item.authority for item in imports)
    buyers = BuyerMatcher(_registry() if national else [], decisions)
    return store, compute_report(imports, knowledge, matcher, buyers)


@click.group("spend")
def spend_group() -> None:
    """Spending and contracts: what authorities paid the suppliers of this equipment."""


@spend_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--authority", "authority", default=None, metavar="GSS", help="Whose data it is.")
@click.option(
    "--national",
    is_flag=True,
    help="OCDS files with many buyers (Contracts Finder, Find a Tender): each release goes to"
    " the authority its buyer matches.",
)
@click.option("--name", "name", default=None, help="The authority's name, if not in the registry.")
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
def import_command(
    files: tuple[Path, ...], authority: str | None, national: bool, name: str | None, as_json: bool
) -> None:
    """Import spending files (CSV, Excel) or OCDS releases (.json, .jsonl, gzip or not) for one
    authority (--authority), or national OCDS files whose releases each name their buyer
    (--national)."""

    if (authority is None) == (not national):
        raise CommandError("give either --authority GSS or --national, not both or neither")
    for path in files:
        if not path.is_file():
            raise CommandError(f"cannot read {path}: no such file")
    if national:
        _import_national(files, as_json)
        return
    assert authority is not None
    code = authority.strip().upper()
    authority_name, short_name = _authority_names(code, name)
    store = _store()
    summaries: list[dict[str, Any]] = []
    refused: list[str] = []
    with _progress(len(files)) as advance:
        for path in files:
            _import_one(store, path, code, authority_name, short_name, as_json, summaries, refused)
            advance()
    if as_json:
        click.echo(json.dumps({"imported": summaries, "refused": refused}, ensure_ascii=False))
    if refused:
        raise CommandError(f"{len(refused)} of {len(files)} files refused")


def _import_national(files: tuple[Path, ...], as_json: bool) -> None:
    from sightline.procurement.figures import buyer_json
    from sightline.procurement.model import SpendFileError
    from sightline.procurement.store import StoreError

    store = _store()
    summaries: list[dict[str, Any]] = []
    refused: list[str] = []
    for path in files:
        try:
            outcome = store.import_national(path)
        except (SpendFileError, StoreError) as error:
            refused.append(str(error))
            click.echo(f"Error: {error}", err=True)
            continue
        summaries.append(_summary(path, outcome, None))
        if not as_json:
            _print_import(path, outcome, "contract rows, each on its buyer")
    _, report = _report()
    buyers = [buyer_json(match, rows) for match, rows in report.buyer_matches()]
    unmatched = [
        entry for entry in buyers if not entry["gss_code"] or entry["review"] == "rejected"
    ]
    waiting = [
        entry
        for entry in buyers
        if entry["gss_code"] and not entry["certain"] and not entry["review"]
    ]
    if as_json:
        click.echo(
            json.dumps(
                {"imported": summaries, "refused": refused, "buyers": buyers},
                ensure_ascii=False,
            )
        )
    else:
        matched = len(buyers) - len(unmatched)
        click.echo(f"Buyers: {matched} of {len(buyers)} matched to an authority")
        if waiting:
            click.echo(f"{len(waiting)} buyer matches await review: `sightline spend buyers`")
        for entry in unmatched:
            click.echo(f"unmatched buyer: {entry['buyer']} ({entry['rows']} rows)")
    if refused:
        raise CommandError(f"{len(refused)} of {len(files)} files refused")


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar over the files on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("spend import"), BarColumn(), MofNCompleteColumn(), TextColumn("files"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=total)
        yield lambda: bar.advance(task)


def _import_one(
    store: SpendStore,
    path: Path,
    code: str,
    authority_name: str,
    short_name: str,
    as_json: bool,
    summaries: list[dict[str, Any]],
    refused: list[str],
) -> None:
    from sightline.procurement.model import SpendFileError
    from sightline.procurement.store import StoreError

    try:
        outcome = store.import_file(path, code, authority_name, short_name)
    except (SpendFileError, StoreError) as error:
        refused.append(str(error))
        click.echo(f"Error: {error}", err=True)
        return
    summaries.append(_summary(path, outcome, code))
    if not as_json:
        what = "payments" if outcome.imported.kind == "payment" else "contract rows"
        _print_import(path, outcome, f"{what} for {code}")


def _summary(path: Path, outcome: Any, authority: str | None) -> dict[str, Any]:
    """One imported file as ``spend import --json`` lists it (``authority`` for a council's)."""
    item = outcome.imported
    summary: dict[str, Any] = {"file": str(path), "id": item.import_id}
    if authority is not None:
        summary["authority"] = authority
    summary.update(
        kind=item.kind,
        rows=outcome.row_count,
        skipped=[str(problem) for problem in item.problems],
        notes=list(item.notes),
        unchanged=outcome.unchanged,
    )
    return summary


def _print_import(path: Path, outcome: Any, what: str) -> None:
    again = " (already imported: unchanged)" if outcome.unchanged else ""
    click.echo(f"{path.name}: {outcome.row_count} {what}{again}")
    for note in outcome.imported.notes:
        click.echo(f"  {note}")
    for problem in outcome.imported.problems:
        click.echo(f"skipped {problem}", err=True)


@spend_group.command("report")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
def report_command(as_json: bool) -> None:
    """Spend with suppliers linked to vendor families, per authority, supplier, family and year."""
    from sightline.procurement.figures import report_json
    from sightline.procurement.values import format_pounds

    _, report = _report()
    document = report_json(report)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
        return
    if not report.imports:
        click.echo("Nothing imported yet: run `sightline spend import FILE --authority GSS`.")
        return

    def pair(data: dict[str, str]) -> str:
        from decimal import Decimal

        certain, every = Decimal(data["certain"]), Decimal(data["with_uncertain"])
        text = format_pounds(certain)
        return text if certain == every else f"{text} ({format_pounds(every)} with uncertain)"

    totals = document["totals"]
    click.echo(f"Payments to linked suppliers: {pair(totals['payments'])}")
    click.echo(f"Contracts awarded to linked suppliers: {pair(totals['contracts'])}")
    cctv = totals["cctv_contracts"]
    click.echo(
        f"Camera or CCTV contracts: {cctv['count']} worth {format_pounds(_dec(cctv['value']))}"
    )
    click.echo("")
    for entry in document["authorities"]:
        click.echo(
            f"{entry['gss_code']}\t{entry['name']}\tpayments {pair(entry['payments'])}"
            f"\tcontracts {pair(entry['contracts'])}"
        )
    for entry in document["families"]:
        click.echo(
            f"{entry['display']}\tpayments {pair(entry['payments'])}"
            f"\tcontracts {pair(entry['contracts'])}"
        )
    for entry in document["financial_years"]:
        click.echo(f"{entry['year']}\tpayments {pair(entry['payments'])}")
    if document["uncertain"]:
        click.echo(f"{len(document['uncertain'])} matches await review: `sightline spend review`")
    waiting = [
        b for b in document["buyers"] if b["gss_code"] and not b["certain"] and not b["review"]
    ]
    if waiting:
        click.echo(f"{len(waiting)} buyer matches await review: `sightline spend buyers`")
    for entry in document["unmatched_buyers"]:
        click.echo(
            f"unmatched buyer: {entry['buyer']} ({entry['rows']} rows, counted for no authority)"
        )
    for problem in document["skipped"]:
        click.echo(f"skipped {problem['source']} {problem['where']}: {problem['message']}")
    for caveat in document["caveats"]:
        click.echo(f"Note: {caveat}")


def _dec(text: str) -> Decimal:
    from decimal import Decimal

    return Decimal(text)


@spend_group.command("review")
@click.option("--accept", "accept", multiple=True, metavar="KEY", help="Confirm a match.")
@click.option("--reject", "reject", multiple=True, metavar="KEY", help="Reject a match.")
@click.option("--all", "show_all", is_flag=True, help="List decided matches too.")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
def review_command(
    accept: tuple[str, ...], reject: tuple[str, ...], show_all: bool, as_json: bool
) -> None:
    """List uncertain supplier matches; accept or reject them by key."""
    from sightline.procurement.figures import match_summary
    from sightline.procurement.matching import ACCEPTED, REJECTED

    store, report = _report()
    matches = {entry["key"]: entry for entry in match_summary(report)}
    for keys, decision in ((accept, ACCEPTED), (reject, REJECTED)):
        for key in keys:
            if key not in matches:
                raise CommandError(
                    f"no supplier match with key {key!r}: see `sightline spend review`"
                )
            entry = matches[key]
            if entry["certain"] and not entry["review"]:
                raise CommandError(
                    f"match {key} ({entry['supplier']}) is certain: nothing to review"
                )
            store.decide(key, decision, entry["supplier"], entry["known_supplier"])
            if not as_json:
                click.echo(f"{key}: {entry['supplier']} -> {entry['known_supplier']} {decision}")
    if accept or reject:
        store, report = _report()
        matches = {entry["key"]: entry for entry in match_summary(report)}
    listed = [
        entry
        for entry in matches.values()
        if (not entry["certain"] and not entry["review"]) or (show_all and entry["review"])
    ]
    if as_json:
        click.echo(json.dumps({"matches": listed}, ensure_ascii=False))
        return
    if accept or reject:
        return
    if not listed:
        click.echo("No supplier matches await review.")
        return
    for entry in listed:
        state = entry["review"] or "awaiting review"
        click.echo(
            f"{entry['key']}\t{entry['supplier']!r} -> {entry['known_supplier']}"
            f"\t{entry['method']} {entry['score']:g}\t{entry['rows']} rows\t{state}"
            + (f"\t{entry['note']}" if entry["note"] else "")
        )
    click.echo(
        "Accept or reject with: sightline spend review --accept KEY / --reject KEY", err=True
    )


@spend_group.command("buyers")
@click.option("--accept", "accept", multiple=True, metavar="KEY", help="Confirm a buyer match.")
@click.option("--reject", "reject", multiple=True, metavar="KEY", help="Reject a buyer match.")
@click.option("--all", "show_all", is_flag=True, help="List every buyer, certain ones too.")
@click.option("--json", "as_json", is_flag=True, help="Print the buyers as JSON.")
def buyers_command(
    accept: tuple[str, ...], reject: tuple[str, ...], show_all: bool, as_json: bool
) -> None:
    """The buyers of national OCDS files and the authorities they matched: uncertain matches to
    accept or reject by key, and buyers that matched none."""
    from sightline.procurement.buyers import ACCEPTED, REJECTED
    from sightline.procurement.figures import buyer_json

    store, report = _report()
    entries = {e["key"]: e for e in (buyer_json(m, n) for m, n in report.buyer_matches())}
    for keys, decision in ((accept, ACCEPTED), (reject, REJECTED)):
        for key in keys:
            entry = entries.get(key)
            if entry is None or not entry["gss_code"]:
                raise CommandError(f"no buyer match with key {key!r}: see `sightline spend buyers`")
            if entry["certain"] and not entry["review"]:
                raise CommandError(
                    f"buyer match {key} ({entry['buyer']}) is certain: nothing to review"
                )
            store.decide(key, decision, entry["buyer"], entry["gss_code"])
            if not as_json:
                click.echo(f"{key}: {entry['buyer']} -> {entry['authority']} {decision}")
    if accept or reject:
        store, report = _report()
        entries = {e["key"]: e for e in (buyer_json(m, n) for m, n in report.buyer_matches())}
    listed = sorted(  # matched buyers first, then those that matched no authority
        (
            e
            for e in entries.values()
            if show_all or not e["gss_code"] or (not e["certain"] and not e["review"])
        ),
        key=lambda e: (not e["gss_code"], e["buyer"].casefold()),
    )
    if as_json:
        click.echo(json.dumps({"buyers": listed}, ensure_ascii=False))
        return
    if accept or reject:
        return
    if not listed:
        click.echo("No buyer matches await review, and every buyer matched an authority.")
        return
    for e in listed:
        if not e["gss_code"]:
            click.echo(f"-\t{e['buyer']!r}\tmatches no authority\t{e['rows']} rows")
            continue
        state = e["review"] or ("certain" if e["certain"] else "awaiting review")
        click.echo(
            f"{e['key']}\t{e['buyer']!r} -> {e['gss_code']} {e['authority']}"
            f"\t{e['method']} {e['score']:g}\t{e['rows']} rows\t{state}"
            + (f"\t{e['note']}" if e["note"] else "")
        )


@spend_group.command("integrators")
@click.option("--link", "link", metavar="KEY", help="Link this candidate to a vendor family.")
@click.option("--family", "family", metavar="FAMILY", help="The family (e.g. hikvision).")
@click.option("--source", "source", metavar="URL", help="The public source for the link.")
@click.option("--relation", "relation", default="", help="What links them, in words.")
@click.option(
    "--role",
    type=click.Choice(["integrator", "distributor"]),
    default="integrator",
    show_default=True,
    help="How the company stands to the family.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
def integrators_command(
    link: str | None,
    family: str | None,
    source: str | None,
    relation: str,
    role: str,
    as_json: bool,
) -> None:
    """Candidate integrators: the suppliers of camera and CCTV contracts (by CPV code or words)
    other than the makers, with the contracts and sums, for review. --link KEY --family F
    --source URL links one to a vendor family, on that public source."""
    from sightline.procurement.integrators import (
        LOCAL_KNOWLEDGE,
        candidate_json,
        find_integrators,
        link_integrator,
    )
    from sightline.procurement.values import format_pounds

    store, report = _report()
    candidates = find_integrators(report)
    if link is not None:
        chosen = next((c for c in candidates if c.key == link), None)
        if chosen is None:
            raise CommandError(
                f"no candidate integrator with key {link!r}: see `sightline spend integrators`"
            )
        if not family or not source:
            raise CommandError("a link needs --family and --source (a public web address)")
        supplier_id = link_integrator(
            store.folder / LOCAL_KNOWLEDGE,
            chosen,
            family,
            source,
            relation,
            dict(report.knowledge.families),
            role=role,
        )
        click.echo(f"{chosen.name} linked to {family} as {role} ({supplier_id}), source {source}")
        return
    if as_json:
        click.echo(
            json.dumps({"candidates": [candidate_json(c) for c in candidates]}, ensure_ascii=False)
        )
        return
    if not candidates:
        click.echo("No camera or CCTV contracts or payments to other suppliers than the makers.")
        return
    for c in candidates:
        linked = f"linked to {c.known.family} ({c.known.role})" if c.known else "not linked"
        shared = f" (+ {format_pounds(c.shared_value)} shared)" if c.shared_value else ""
        click.echo(
            f"{c.key}\t{c.name}\t{c.company_number or '-'}\t{len(c.contracts)} contracts"
            f" {format_pounds(c.contract_value)}{shared}\t{len(c.payments)} payments"
            f" {format_pounds(c.paid)}\t{'; '.join(c.authorities)}\t{linked}"
        )
        for row in c.rows:
            r = row.record
            click.echo(
                f"    {row.authority or '-'}\t{r.kind}\t{r.date.isoformat() if r.date else '-'}"
                f"\t{format_pounds(r.amount)}\t{r.status}\t{r.title or r.description or r.expense_type}"
                f"\t{row.cctv}\t{r.source} {r.where}"
            )


def spend_attachment(table_authorities: list[str]) -> Any:
    """The spend column, headline and spend.csv for ``findings build --spend``."""
    from sightline.findings.bundle import SpendAttachment
    from sightline.procurement.publish import bundle_spend

    _, report = _report()
    parts = bundle_spend(report, table_authorities)
    return SpendAttachment(
        column=parts.column,
        headline=parts.headline,
        csv_text=parts.csv_text,
        by_year=parts.by_year,
        tables=parts.tables,
    )
