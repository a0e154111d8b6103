"""``python -m bot`` is the same as the ``duizhao`` command."""

from bot.cli import main

raise SystemExit(main())
