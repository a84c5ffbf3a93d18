"""How complaints got their category, for the recap: the share routed automatically (the
NLU was sure, :class:`~complaints.taxonomy.CategoryOrigin` ``AUTOMATIC``) and how often the
admin then disposed such a case to another unit than the one suggested, the error rate of
automatic routing as the office sees it. The evaluation set gives the same two figures before
deployment (``aduan nlu eval``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import Complaint, Disposition
from .taxonomy import CategoryOrigin


def rerouted(complaint: Complaint) -> bool:
    """Whether the admin disposed the case to another unit than the one it was routed to."""
    return any(isinstance(e.facts, Disposition) and e.facts.rerouted for e in complaint.audit)


@dataclass
class RoutingTally:
    by_origin: Counter[CategoryOrigin] = field(default_factory=Counter)
    automatic_rerouted: int = 0

    def add(self, complaint: Complaint) -> None:
        self.by_origin[complaint.category_origin] += 1
        if complaint.category_origin is CategoryOrigin.AUTOMATIC and rerouted(complaint):
            self.automatic_rerouted += 1

    @property
    def automatic(self) -> int:
        return self.by_origin[CategoryOrigin.AUTOMATIC]

    @property
    def from_chat(self) -> int:
        """Complaints whose category the NLU could have chosen (not named by a filer)."""
        return sum(n for origin, n in self.by_origin.items() if origin is not CategoryOrigin.GIVEN)

    @property
    def automatic_share(self) -> float | None:
        return self.automatic / self.from_chat if self.from_chat else None

    @property
    def automatic_error(self) -> float | None:
        return self.automatic_rerouted / self.automatic if self.automatic else None
