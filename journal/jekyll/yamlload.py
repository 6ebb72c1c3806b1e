"""YAML from a Jekyll site, loaded with bounds: hostile files give a clear error, never a traceback.

A safe loader cannot run code, but it can still be made to use too much memory or time:
aliases (``&a`` / ``*a``) share one node, so ten lines of nested aliases ("billion laughs")
stand for a billion values once anything walks them (rendering the front matter, Liquid's
``{{ site.x }}``), and an alias inside its own anchor makes a structure that contains
itself. :func:`load` composes the document first, counts the values it would stand for
with every alias expanded, and refuses it above :data:`MAX_VALUES`, or when it refers to
itself, before constructing anything. libyaml already refuses nesting deeper than 1,000
levels; the text itself is limited to :data:`MAX_BYTES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

#: Values (scalars, lists, mappings) a document may stand for with its aliases expanded.
MAX_VALUES = 200_000
#: Largest YAML text read (a ``_config.yml`` or a front matter block).
MAX_BYTES = 2_000_000

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextDatesLoader(SafeLoader):  # type: ignore[misc]  # base chosen at run time (libyaml's when PyYAML has it)
    """The safe loader (libyaml's, as Jekyll's Psych reads YAML) that leaves dates as text: the
    post contract parses them, with the site's time zone."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlProblem(Exception):
    """Why a YAML text cannot be used, at a line of it (1-based; 0 when unknown)."""

    line: int
    message: str

    def __str__(self) -> str:
        return self.message


#: Path of keys (and list indexes) -> 1-based line where that key (or item) starts.
Lines = dict[tuple[Any, ...], int]


def load(text: str, loader_class: type = SafeLoader) -> tuple[Any, Lines]:
    """The document in *text* and the line of each key; :class:`YamlProblem` for anything unusable."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(0, f"longer than {MAX_BYTES:,} characters; not read")
    loader = loader_class(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as error:
            raise _problem(error) from None
        except RecursionError:
            raise YamlProblem(0, "nested too deeply") from None
        if root is None:
            return None, {}
        _check_size(root)
        try:
            data = loader.construct_document(root)
        except yaml.YAMLError as error:
            raise _problem(error) from None
        except (RecursionError, TypeError, ValueError) as error:  # e.g. an unhashable key
            raise YamlProblem(root.start_mark.line + 1, f"cannot be read ({error})") from None
        return data, _lines(root)
    finally:
        loader.dispose()


def _problem(error: yaml.YAMLError) -> YamlProblem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return YamlProblem(mark.line + 1 if mark else 0, f"invalid YAML ({reason})")


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_size(root: Node) -> None:
    """Count the values *root* stands for, aliases expanded (each shared node once, memoised)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            active.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_VALUES:
                raise YamlProblem(
                    node.start_mark.line + 1,
                    f"its aliases (*name) expand to more than {MAX_VALUES:,} values; write the values out",
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in active:
            raise YamlProblem(node.start_mark.line + 1, "an alias (*name) is used inside its own anchor (&name)")
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                raise YamlProblem(child.start_mark.line + 1, "an alias (*name) is used inside its own anchor (&name)")
            if id(child) not in sizes:
                stack.append((child, False))


def _lines(root: Node, depth: int = 4) -> Lines:
    """Line of each key down to *depth* levels (enough to point at ``defaults[0].values.permalink``)."""
    lines: Lines = {}
    todo: list[tuple[tuple[Any, ...], Node]] = [((), root)]
    while todo:
        path, node = todo.pop()
        if len(path) >= depth:
            continue
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node.value, str):
                    child = (*path, key_node.value)
                    lines.setdefault(child, key_node.start_mark.line + 1)
                    todo.append((child, value_node))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                lines.setdefault(child, item.start_mark.line + 1)
                todo.append((child, item))
    return lines
