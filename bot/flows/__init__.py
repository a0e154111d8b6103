"""The conversation's flows in the core: storage in, replies out, no Telegram types.

Each flow function receives a :class:`~bot.flows.context.FlowContext` for one update, changes the
database through it and returns what to send. The handler commits before anything is sent.
"""
