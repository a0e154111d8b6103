"""What rules over the points of one part share: one finding naming every point that lacks something."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bot.document import SectionRole, Span
from bot.review.engine import ReviewContext
from bot.review.findings import Hit
from bot.review.units import Unit, which


def lacking(ctx: ReviewContext, role: SectionRole, has: Callable[[Unit], object]) -> Iterator[Hit]:
    """One hit naming every point of the part of ``role`` that ``has`` finds nothing in."""
    units = ctx.points(role)
    bare = [u for u in units if not has(u)]
    if bare:
        heading = next((s.heading_span for s in ctx.sections(role) if s.heading_span), None)
        yield naming(bare, units, heading, ctx.named(role))


def naming(bare: list[Unit], units: tuple[Unit, ...] | list[Unit], heading: Span | None, where: str) -> Hit:
    """One hit for the ``bare`` ones of a part's or an aspect's ``units``, each listed as a place
    (``where`` names the part, ``which`` the points); when it is all of them, the hit is about the
    part and is anchored on its ``heading``."""
    places = tuple(u.headline_span for u in bare)
    span = heading if len(bare) == len(units) > 1 and heading is not None else places[0]
    return Hit(span, {"where": where, "which": which(bare, units)}, places=places)
