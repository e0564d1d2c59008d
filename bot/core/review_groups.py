"""Pending review entries grouped by how alike their words are, so staff label twenty ways of
asking the same thing at once instead of one by one.

Character n-grams (2 and 3 characters, after folding case and spacing) work the same for Malay,
English, rojak and Chinese, which has no spaces to split words on; Jaccard similarity of the
n-gram sets is enough for short messages. Each entry joins the first group whose first member it
resembles at least `threshold`, otherwise it starts a group (leader clustering: one pass, no
library, stable order). A group's representative is the member most like all the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.review_entry import ReviewEntry

THRESHOLD = 0.4


@dataclass(frozen=True)
class ReviewGroup:
    representative: ReviewEntry
    members: tuple[ReviewEntry, ...]


def ngrams(text: str) -> frozenset[str]:
    folded = f" {' '.join(text.lower().split())} "
    return frozenset(folded[i : i + n] for n in (2, 3) for i in range(len(folded) - n + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def group_entries(entries: list[ReviewEntry], threshold: float = THRESHOLD) -> list[ReviewGroup]:
    """Largest groups first; within a size, in the order their first entry was kept."""
    grams = {e.entry_id: ngrams(e.text) for e in entries}
    groups: list[list[ReviewEntry]] = []
    for entry in entries:
        home = next(
            (
                g
                for g in groups
                if similarity(grams[g[0].entry_id], grams[entry.entry_id]) >= threshold
            ),
            None,
        )
        if home is None:
            groups.append([entry])
        else:
            home.append(entry)

    def representative(group: list[ReviewEntry]) -> ReviewEntry:
        """The member most like the others (the first of equals)."""
        return max(
            group,
            key=lambda m: sum(similarity(grams[m.entry_id], grams[o.entry_id]) for o in group),
        )

    built = [ReviewGroup(representative(g), tuple(g)) for g in groups]
    return sorted(built, key=lambda g: -len(g.members))
