"""File formats in and out of the bot: exports of stored drafts and the operator commands for them.

Only the list of export formats lives here, so the command line can offer it without importing the
renderers and the database layer.
"""

from enum import StrEnum


class ExportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"  # the .docx converted by LibreOffice (bot.render.pages)
    MD = "md"
    TXT = "txt"
    XLSX = "xlsx"
