"""Reviewing a material the way an organisation-department reviewer would (DOMAIN.md §4).

``review(parse_result, ...)`` runs the rule catalogue and returns ``Finding``s; ``bot.review.render``
turns them into chat, terminal or JSON output. Nothing here imports the Telegram stack.
"""

from bot.review.config import ConfigError, ReviewConfig, load_config
from bot.review.engine import ReviewContext, RuleSpec, Scope, registry, review, review_text, rule, scoped
from bot.review.findings import Finding, Hit, Severity

__all__ = [
    "ConfigError",
    "Finding",
    "Hit",
    "ReviewConfig",
    "ReviewContext",
    "RuleSpec",
    "Scope",
    "Severity",
    "load_config",
    "registry",
    "review",
    "review_text",
    "rule",
    "scoped",
]
