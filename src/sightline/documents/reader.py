"""The entry point: a file, bytes or a raw message in, a located ``Document`` out.

Every file (the input, each attachment, each archive member, each slice of a long PDF's pages) is
read by a task in the worker pool (``sandbox``); containers hand their members back here to be
read as tasks of their own, up to ``Limits.depth`` levels. The results are put back together in
reading order: a message's body, then each attachment's content located inside it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sightline.documents.cache import DocumentCache
from sightline.documents.limits import MIB, Limits
from sightline.documents.model import Document, Location, ReadError
from sightline.documents.sandbox import Done, Event, Failed, Split, Task, shared_pool
from sightline.documents.serialize import nest

CacheOption = bool | DocumentCache | None


@dataclass(eq=False)
class _Node:
    """One file in the tree being read: the input, or a member of a container above it."""

    data: bytes
    name: str
    depth: int
    kind: str | None
    parent: _Node | None
    digest: str = ""
    open_tasks: int = 0
    slices: list[tuple[int, Document]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    result: Document | None = None
    transient: bool = False  # a worker was killed or crashed: do not cache this reading
    split_at: int = 0  # a long PDF's first task handed the pages from here on to other tasks


class _Reading:
    """Reads a batch of inputs through the shared pool, with caching."""

    def __init__(self, limits: Limits, cache: DocumentCache | None) -> None:
        self.limits = limits
        self.cache = cache
        self.options = f"ocr={limits.ocr};dpi={limits.ocr_dpi};pages={limits.pages}"
        self.tasks: dict[int, _Node] = {}
        self.keys = itertools.count()

    def _cache_options(self, node: _Node) -> str:
        return f"{self.options};kind={node.kind}" if node.kind else self.options

    def _start(self, node: _Node) -> list[Task]:
        """Tasks to read ``node``; none when it is cached or may not be read."""
        node.digest = hashlib.sha256(node.data).hexdigest()
        if len(node.data) > self.limits.file_mb * MIB:
            size = len(node.data) / MIB
            message = f"not read: {size:.0f} MB is over the size limit ({self.limits.file_mb} MB)"
            self._finish(node, Document(source="", errors=[ReadError(Location(), message)]))
            return []
        if node.depth > self.limits.depth:
            message = f"not read: nested more than {self.limits.depth} levels deep (depth limit)"
            self._finish(node, Document(source="", errors=[ReadError(Location(), message)]))
            return []
        if self.cache is not None:
            cached = self.cache.get(node.digest, self._cache_options(node))
            if cached is not None:
                self._finish(node, cached)
                return []
        return [self._task(node, None)]

    def _task(self, node: _Node, pages: tuple[int, int] | None) -> Task:
        key = next(self.keys)
        self.tasks[key] = node
        node.open_tasks += 1
        return Task(
            key=key,
            data=node.data,
            name=node.name,
            limits=self.limits,
            kind=node.kind,
            pages=pages,
            may_split=pages is None,
        )

    def handle(self, event: Event) -> list[Task]:
        node = self.tasks[event.task.key]
        if isinstance(event, Split):
            node.split_at = event.slices[0][0]  # the first task now reads pages before this
            return [self._task(node, pages) for pages in event.slices]
        del self.tasks[event.task.key]
        node.open_tasks -= 1
        new: list[Task] = []
        start = event.task.pages[0] if event.task.pages else 0
        if isinstance(event, Done):
            document = event.extraction.document
            node.slices.append((start, document))
            for name, data in _unique_names(event.extraction.members):
                child = _Node(data, name, node.depth + 1, None, node)
                node.children.append(child)
            for child in list(node.children):
                if child.digest == "":
                    new.extend(self._start(child))
        elif isinstance(event, Failed):
            node.transient = True
            where, message = Location(), event.message
            pages = event.task.pages or ((0, node.split_at) if node.split_at else None)
            if pages:  # one slice of a PDF's pages failed; the others still count
                first, last = pages
                if last - first == 1:
                    where = Location(page=first + 1)
                else:
                    message = f"pages {first + 1}-{last}: {message}"
            node.slices.append((start, Document(source="", errors=[ReadError(where, message)])))
        self._maybe_finish(node)
        return new

    def _maybe_finish(self, node: _Node) -> None:
        if (
            node.result is not None
            or node.open_tasks
            or any(c.result is None for c in node.children)
        ):
            return
        document = Document(source="")
        for _, part in sorted(node.slices, key=lambda item: item[0]):
            if document.kind == "unknown":
                document.kind, document.meta = part.kind, dict(part.meta)
            document.blocks.extend(part.blocks)
            document.tables.extend(part.tables)
            document.errors.extend(part.errors)
        for child in node.children:
            assert child.result is not None
            inner = nest(child.result, child.name)
            document.blocks.extend(inner.blocks)
            document.tables.extend(inner.tables)
            document.errors.extend(inner.errors)
            node.transient = node.transient or child.transient
        if self.cache is not None and not node.transient and node.depth <= self.limits.depth:
            self.cache.put(node.digest, self._cache_options(node), document)
        self._finish(node, document)

    def _finish(self, node: _Node, document: Document) -> None:
        node.result = document
        node.data = b""  # read: let the bytes go
        if node.parent is not None:
            self._maybe_finish(node.parent)

    def read(self, inputs: Sequence[tuple[bytes, str, str | None]]) -> list[Document]:
        roots = [_Node(data, name, 0, kind, None) for data, name, kind in inputs]
        tasks: list[Task] = []
        for root in roots:
            tasks.extend(self._start(root))
        if tasks:
            shared_pool(self.limits.memory_mb).run(tasks, self.handle)
        results: list[Document] = []
        for root in roots:
            assert root.result is not None, "every task finished"
            document = root.result
            results.append(
                Document(
                    source=root.name,
                    blocks=list(document.blocks),
                    tables=list(document.tables),
                    errors=list(document.errors),
                    kind=document.kind,
                    meta=dict(document.meta),
                )
            )
        return results


def _unique_names(members: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Members named apart: a second ``scan.pdf`` in one message becomes ``scan (2).pdf``."""
    seen: dict[str, int] = {}
    named: list[tuple[str, bytes]] = []
    for name, data in members:
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            stem, dot, extension = name.rpartition(".")
            name = f"{stem} ({count}).{extension}" if dot and stem else f"{name} ({count})"
        named.append((name, data))
    return named


def _cache(option: CacheOption) -> DocumentCache | None:
    if option is True:
        return DocumentCache()
    if isinstance(option, DocumentCache):
        return option
    return None


def read_inputs(
    inputs: Sequence[tuple[bytes, str, str | None]],
    *,
    cache: CacheOption = True,
    limits: Limits | None = None,
) -> list[Document]:
    """Read several (bytes, name, kind or None) inputs at once, sharing the workers between them."""
    return _Reading(limits or Limits(), _cache(cache)).read(inputs)


def read_bytes(
    data: bytes, name: str, *, cache: CacheOption = True, limits: Limits | None = None
) -> Document:
    """Read ``data`` (a file called ``name``; the name is only for messages, never for its type)."""
    return read_inputs([(data, name, None)], cache=cache, limits=limits)[0]


def read_file(
    path: Path | str, *, cache: CacheOption = True, limits: Limits | None = None
) -> Document:
    """Read the file at ``path`` with its attachments and members."""
    file = Path(path)
    document = read_bytes(file.read_bytes(), file.name, cache=cache, limits=limits)
    document.source = str(path)
    return document


def read_files(
    paths: Iterable[Path | str], *, cache: CacheOption = True, limits: Limits | None = None
) -> list[Document]:
    """Read many files at once: every worker busy until the last page of the last file."""
    files = [Path(path) for path in paths]
    inputs = [(file.read_bytes(), file.name, None) for file in files]
    documents = read_inputs(inputs, cache=cache, limits=limits)
    for file, document in zip(files, documents, strict=True):
        document.source = str(file)
    return documents


def read_message(
    raw: bytes,
    *,
    name: str = "message.eml",
    cache: CacheOption = True,
    limits: Limits | None = None,
) -> Document:
    """Read a raw RFC 5322 message as stored by the mail importer: body, then every attachment."""
    return read_inputs([(raw, name, "message")], cache=cache, limits=limits)[0]
