"""Imported once by the worker's forkserver (``bot.worker``), never by the bot itself.

Every upload is reviewed, and every material rendered, in a job of its own, and the word segmenter
loads its dictionaries on first use (about 80 ms of a job). Loaded here, in the forkserver, each job
inherits it ready.
"""

from bot.review.tokens import tokenizer

tokenizer()
