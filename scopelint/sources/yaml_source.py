"""YAML to positioned nodes: safe composition only, never object construction.

The C composer is used when PyYAML was built with libyaml. Aliases are shared, not
copied, so an alias bomb costs nothing to compose; its expanded size is still
counted against the node limit because checks may walk every path.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import yaml

from scopelint.findings import Span
from scopelint.lines import YAML_BREAK, split_lines
from scopelint.sources.nodes import Document, Mapping, Node, Problem, Scalar, Sequence
from scopelint.sources.reading import Limits

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {
    _TAG + t
    for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp", "binary")
}
_STR = _TAG + "str"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"
_ScalarNode = yaml.ScalarNode
_OCTAL = re.compile(r"[-+]?0[0-7_]+$")


class LimitExceeded(Exception):
    pass


def _implicit_rules() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """PyYAML's implicit tag rules by first character, the wildcard ones appended."""
    table = _SafeLoader.yaml_implicit_resolvers
    wildcards = tuple(table.get(None, ()))
    return {first: (*rules, *wildcards) for first, rules in table.items() if first is not None}


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader resolving tags exactly as PyYAML does, with less work per node.

    The composer asks for every node's tag; PyYAML's resolver builds a list per scalar
    and runs path-resolver hooks that safe loading never has. Here the rules are looked
    up in a table built once, and the hooks do nothing.
    """

    _rules = _implicit_rules()
    _wildcards = tuple(_SafeLoader.yaml_implicit_resolvers.get(None, ()))

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                assert value is not None
                for tag, pattern in self._rules.get(value[:1], self._wildcards):
                    if pattern.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _span(node: yaml.Node, lines: list[str] | None = None) -> Span:
    start, end = node.start_mark, node.end_mark
    if lines is not None and end.line > start.line and end.column == 0:
        # Block collections end at column 0 of the next line; end on the last one instead.
        last = lines[end.line - 1] if end.line - 1 < len(lines) else ""
        return Span(start.line + 1, start.column + 1, end.line, len(last) + 1)
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scalar_value(node: yaml.ScalarNode) -> object:
    tag, text = node.tag, node.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag == _TAG + "int":
        digits = text.replace("_", "")
        try:
            if _OCTAL.match(digits) and digits.lstrip("+-") != "0":
                return int(digits, 8)
            return int(digits, 0)
        except ValueError:
            return text
    if tag == _TAG + "float":
        lowered = text.lower().replace("_", "")
        if lowered.lstrip("+-") in (".inf",):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        try:
            return float(lowered)
        except ValueError:
            return text
    return text


class _Converter:
    def __init__(
        self, limits: Limits, problems: list[Problem], lines: list[str], anchored: bool
    ) -> None:
        self.limits = limits
        self.max_depth = limits.max_depth
        self.max_nodes = limits.max_nodes
        self.lines = lines
        self.problems = problems
        self.memo: dict[int, Node] = {}
        self.sizes: dict[int, int] = {}
        # Without an anchor (`&`) in the text no node can be reached twice: skip the memo.
        self.aliases = anchored
        self.total = 0
        self.duplicates: Counter[object] = Counter()

    def convert(self, node: yaml.Node, depth: int = 0) -> Node:
        # The hot loop of every run: one call per node, so it stays lean.
        key = id(node)
        if self.aliases and key in self.memo:
            # An alias: shared, but its expanded size still counts.
            self._count(self.sizes[key])
            return self.memo[key]
        if depth > self.limits.max_depth:
            raise LimitExceeded(
                f"nesting deeper than {self.limits.max_depth} levels (max-depth in the config)"
            )
        before = self.total
        self.total += 1
        if self.total > self.limits.max_nodes:
            self._count(0)
        tag = node.tag
        if tag not in _STANDARD_TAGS:
            self.problems.append(
                Problem(
                    "SL002",
                    f"YAML tag {_tag_name(tag)} is not part of the format; remove it",
                    self._span(node),
                    subject=f"tag:{_tag_name(tag)}",
                )
            )
        result: Node
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark, node.end_mark
            span = Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
            value = node.value if tag == _STR else _scalar_value(node)
            result = Scalar(value, span, tag)
        elif isinstance(node, yaml.SequenceNode):
            result = Sequence([self._child(item, depth) for item in node.value], self._span(node))
        else:
            assert isinstance(node, yaml.MappingNode)
            result = self._mapping(node, depth)
        if self.aliases:
            self.memo[key] = result
            self.sizes[key] = self.total - before
        return result

    def _child(self, node: yaml.Node, depth: int) -> Node:
        """A child of a collection at `depth`: a plain string inline, anything else by
        `convert`. Most nodes of a plan are string scalars, and this skips the checks that
        cannot apply to one (alias memo, tag, depth) and a call."""
        if node.__class__ is not _ScalarNode or node.tag != _STR or self.aliases:
            return self.convert(node, depth + 1)
        if depth >= self.max_depth:
            return self.convert(node, depth + 1)  # reports the depth
        self.total += 1
        if self.total > self.max_nodes:
            self._count(0)
        start, end = node.start_mark, node.end_mark
        return Scalar(
            node.value,
            Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1),
            _STR,
        )

    def _span(self, node: yaml.Node) -> Span:
        return _span(node, self.lines)

    def _count(self, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_nodes:
            raise LimitExceeded(
                f"more than {self.limits.max_nodes:,} nodes once aliases are expanded "
                "(max-nodes in the config)"
            )

    def _mapping(self, node: yaml.MappingNode, depth: int) -> Mapping:
        pairs: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        seen: dict[object, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.extend(self._merge_sources(value_node, depth))
                continue
            key = self._child(key_node, depth)
            value = self._child(value_node, depth)
            if isinstance(key, Scalar):
                try:
                    hash(key.value)
                except TypeError:  # pragma: no cover - scalars are hashable
                    pass
                else:
                    first = seen.get(key.value)
                    if first is not None:
                        # Numbered in document order, not by line, so the fingerprint
                        # survives lines moving.
                        self.duplicates[key.value] += 1
                        self.problems.append(
                            Problem(
                                "SL003",
                                f"duplicate key {key.value!r} (first at line {first.span.line}); "
                                "YAML keeps only the last one",
                                key.span,
                                subject=f"{key.value}#{self.duplicates[key.value]}",
                            )
                        )
                    seen[key.value] = key
            pairs.append((key, value))
        for key, value in merged:
            if not (isinstance(key, Scalar) and key.value in seen):
                pairs.append((key, value))
                if isinstance(key, Scalar):
                    seen[key.value] = key
        return Mapping(pairs, self._span(node))

    def _merge_sources(self, node: yaml.Node, depth: int) -> list[tuple[Node, Node]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            converted = self.convert(source, depth + 1)
            if isinstance(converted, Mapping):
                pairs.extend(converted.pairs)
            else:
                self.problems.append(
                    Problem(
                        "SL002",
                        "a merge key (<<) must refer to a mapping",
                        converted.span,
                        subject="merge",
                    )
                )
        return pairs


def _error_span(exc: yaml.YAMLError) -> Span:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return Span.point()
    return Span.point(mark.line + 1, mark.column + 1)


def _error_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        text = ": ".join(parts) if parts else "invalid YAML"
    else:
        text = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    return " ".join(text.split())


def parse_yaml(path: str, text: str, limits: Limits) -> Document:
    """Compose the first YAML document into nodes; problems become findings later."""
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            root_yaml = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            message = "the file holds several YAML documents; a plan is a single document"
        else:
            message = _error_message(exc)
        problems.append(Problem("SL001", message, _error_span(exc)))
        return Document(path, text, None, problems)
    except yaml.YAMLError as exc:
        problems.append(Problem("SL001", _error_message(exc), _error_span(exc)))
        return Document(path, text, None, problems)
    if root_yaml is None:
        return Document(path, text, None, problems)
    converter = _Converter(limits, problems, split_lines(text, YAML_BREAK), "&" in text)
    try:
        root = converter.convert(root_yaml)
    except LimitExceeded as exc:
        return Document(path, text, None, [Problem("SL001", str(exc), Span.point())])
    return Document(path, text, root, problems)
