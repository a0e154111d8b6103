"""YAML for the packaged and admin data files: PyYAML's safe loader, in C (libyaml) when available.

The C loader reads the same documents into the same values several times faster, which matters to a
cold ``duizhao check`` that reads every theme file; errors are the same ``yaml.YAMLError`` types.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the fastest safe loader."""
    return yaml.load(text, Loader=LOADER)
