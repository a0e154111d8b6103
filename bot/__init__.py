"""Duizhao: drafting, review and follow-up of 对照检查材料.

The modules directly in this package form the core and never import ``telegram``;
``bot.app``, ``bot.botapi`` and ``bot.cli`` are the entry points that do.
"""
