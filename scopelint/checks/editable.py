"""Which nodes a fix may edit: those written once and used once.

YAML anchors, aliases and merge keys (`<<: *base`) make one node appear in several
places; editing its text would change every place that uses it, so such nodes get no fix.
"""

from __future__ import annotations

from collections import Counter

from scopelint.sources.nodes import Mapping, Node, Sequence


class UseCounts:
    """How many places in the document refer to each node (1 unless it is aliased)."""

    def __init__(self, root: Node | None) -> None:
        self.counts: Counter[int] = Counter()
        if root is None:
            return
        self.counts[id(root)] += 1
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:  # an aliased collection: its children were counted once
                continue
            seen.add(id(node))
            for child in _children(node):
                self.counts[id(child)] += 1
                stack.append(child)

    def single(self, *nodes: Node) -> bool:
        return all(self.counts[id(node)] == 1 for node in nodes)


def _children(node: Node) -> list[Node]:
    if isinstance(node, Sequence):
        return list(node.items)
    if isinstance(node, Mapping):
        return [part for pair in node.pairs for part in pair]
    return []
