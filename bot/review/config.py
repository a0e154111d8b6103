"""Review configuration: which rules run, at what severity, with which thresholds and word lists.

Organisation departments differ in what they insist on, so everything a reviewer might tune is data:
the packaged ``bot/data/review/default.yaml`` and an optional user file layered over it. Rules are
addressed by id or by an ancestor id (``text`` or ``text.*`` for the whole family); the most specific
entry wins. Parameters are looked up the same way, merged from the family down to the rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.review.findings import Severity
from bot.review.firstchars import compile_with_first_chars
from bot.yamlsafe import safe_load

_TOP_KEYS = frozenset({"max_findings_per_rule", "rules", "params"})
_SWITCH_KEYS = frozenset({"enabled", "severity"})


class ConfigError(Exception):
    """A configuration file is unreadable or names an unknown rule, severity or setting."""


def _read_yaml(text: str, source: str) -> Any:
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from exc


@functools.cache
def load_data(name: str) -> Any:
    """A packaged data file under ``bot/data/review`` (YAML parsed, other files as text), read once."""
    text = resources.files("bot").joinpath("data", "review", name).read_text(encoding="utf-8")
    return _read_yaml(text, name) if name.endswith(".yaml") else text


def _lineage(rule_id: str) -> list[str]:
    """``a.b.c`` → ``["a", "a.b", "a.b.c"]``: general to specific."""
    parts = rule_id.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _normalise_id(key: str) -> str:
    return key.removesuffix(".*")


@dataclass(frozen=True)
class Switch:
    enabled: bool | None = None
    severity: Severity | None = None


class Params:
    """A rule's merged parameters, with typed access so rules fail loudly on a bad config."""

    def __init__(self, rule_id: str, values: Mapping[str, Any]) -> None:
        self._rule = rule_id
        self._values = dict(values)
        self._strings: dict[str, tuple[str, ...]] = {}

    def _get(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise ConfigError(f"{self._rule}: missing parameter '{key}'") from None

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{self._rule}.{key}: expected a number, got {value!r}")
        return float(value)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def pair(self, key: str) -> tuple[float, float]:
        """Two numbers, e.g. ``[min, max]`` limits."""
        value = self._get(key)
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise ConfigError(f"{self._rule}.{key}: expected two numbers, e.g. [1500, 3000]")
        return float(value[0]), float(value[1])

    def nested(self, key: str) -> Params:
        """A mapping parameter, with the same typed access."""
        return Params(f"{self._rule}.{key}", self.mapping(key))

    def flag(self, key: str) -> bool:
        """A yes/no parameter; absent is no."""
        if key not in self:
            return False
        value = self._get(key)
        if not isinstance(value, bool):
            raise ConfigError(f"{self._rule}.{key}: expected true or false")
        return value

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise ConfigError(f"{self._rule}.{key}: expected a string")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """Checked once per key: a config's parameters are read by every review."""
        if key not in self._strings:
            value = self._get(key)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{self._rule}.{key}: expected a list of strings")
            self._strings[key] = tuple(value)
        return self._strings[key]

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self._get(key)
        if not isinstance(value, dict):
            raise ConfigError(f"{self._rule}.{key}: expected a mapping")
        return value

    def pattern(self, key: str) -> re.Pattern[str]:
        """The list of regular expressions under ``key`` as one alternation."""
        return _compile_alternation(self._rule, key, self.strings(key))

    def patterns_to_text(self, key: str) -> list[tuple[re.Pattern[str], str]]:
        """The mapping under ``key`` of regular expressions to what each calls for (advice), compiled."""
        found = self.mapping(key).items()
        return [(_compile_alternation(self._rule, key, (pattern,)), str(said)) for pattern, said in found]


@functools.cache
def _compile_alternation(rule: str, key: str, parts: tuple[str, ...]) -> re.Pattern[str]:
    try:
        if not parts:
            return re.compile(r"(?!)")
        return compile_with_first_chars("|".join(f"(?:{p})" for p in parts))
    except re.error as exc:
        raise ConfigError(f"{rule}.{key}: invalid regular expression: {exc}") from exc


@dataclass(frozen=True)
class ReviewConfig:
    """The effective configuration; build it with ``load_config``."""

    max_findings_per_rule: int = 0
    switches: Mapping[str, Switch] = field(default_factory=dict)
    params_by_id: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def enabled(self, rule_id: str) -> bool:
        return self._switch(rule_id).enabled is not False

    def severity(self, rule_id: str, default: Severity) -> Severity:
        return self._switch(rule_id).severity or default

    def params(self, rule_id: str) -> Params:
        """The rule's parameters merged from its families down; memoised per rule like ``_switch``."""
        merged_by_id: dict[str, Params] = self.__dict__.setdefault("_params", {})
        if rule_id not in merged_by_id:
            merged: dict[str, Any] = {}
            for key in _lineage(rule_id):
                merged.update(self.params_by_id.get(key, {}))
            merged_by_id[rule_id] = Params(rule_id, merged)
        return merged_by_id[rule_id]

    def _switch(self, rule_id: str) -> Switch:
        """The switches of the rule and its families, the most specific setting of each winning.

        Memoised per rule: a review asks this for every rule, and the bot reviews after each answer.
        """
        resolved: dict[str, Switch] = self.__dict__.setdefault("_resolved", {})
        if rule_id not in resolved:
            resolved[rule_id] = self._resolve(rule_id)
        return resolved[rule_id]

    def _resolve(self, rule_id: str) -> Switch:
        enabled, severity = None, None
        for key in _lineage(rule_id):
            switch = self.switches.get(key, Switch())
            enabled = switch.enabled if switch.enabled is not None else enabled
            severity = switch.severity or severity
        return Switch(enabled, severity)

    def check_ids(self, known: Iterable[str]) -> None:
        """Raise if a switch or parameter names neither a rule nor a family of rules."""
        prefixes = {p for rule_id in known for p in _lineage(rule_id)}
        for section, keys in (("rules", self.switches), ("params", self.params_by_id)):
            unknown = sorted(set(keys) - prefixes)
            if unknown:
                raise ConfigError(f"{section}: unknown rule '{unknown[0]}'")


def load_config(
    path: Path | str | None = None, *, overrides: Mapping[str, Any] | None = None
) -> ReviewConfig:
    """The packaged defaults, overlaid with the file at ``path`` and then ``overrides`` (same shape).

    Unknown keys, rule ids and severities are errors, so a typo never silently disables a check.
    """
    raw: Mapping[str, Any] = load_data("default.yaml")
    source = "default.yaml"
    if path is not None:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read: {exc}") from exc
        overlay = _read_yaml(text, source) or {}
        if not isinstance(overlay, dict):
            raise ConfigError(f"{source}: expected a mapping")
        raw = _merge(raw, overlay)
    config = _build(_merge(raw, overrides or {}), source)
    from bot.review.engine import registry  # the registry imports this module

    config.check_ids(registry())
    return config


def _merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge of mappings; lists and scalars in ``overlay`` replace those in ``base``."""
    merged = dict(base)
    for key, value in overlay.items():
        old = merged.get(key)
        merged[key] = _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def _build(raw: Mapping[str, Any], source: str) -> ReviewConfig:
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown key '{unknown[0]}'")
    cap = raw.get("max_findings_per_rule", 0)
    if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
        raise ConfigError(f"{source}: max_findings_per_rule must be a whole number ≥ 0 (0: no limit)")
    switches = {_normalise_id(k): _switch(k, v, source) for k, v in (raw.get("rules") or {}).items()}
    params: dict[str, Mapping[str, Any]] = {}
    for key, value in (raw.get("params") or {}).items():
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: params.{key}: expected a mapping")
        params[_normalise_id(key)] = value
    return ReviewConfig(max_findings_per_rule=cap, switches=switches, params_by_id=params)


def _switch(key: str, value: Any, source: str) -> Switch:
    if isinstance(value, bool):
        return Switch(enabled=value)
    if not isinstance(value, dict) or set(value) - _SWITCH_KEYS:
        raise ConfigError(f"{source}: rules.{key}: expected true/false or {{enabled, severity}}")
    enabled = value.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise ConfigError(f"{source}: rules.{key}.enabled: expected true or false")
    severity = value.get("severity")
    if severity is not None:
        try:
            severity = Severity(severity)
        except ValueError:
            names = ", ".join(s.value for s in Severity)
            raise ConfigError(f"{source}: rules.{key}.severity: expected one of {names}") from None
    return Switch(enabled=enabled, severity=severity)
