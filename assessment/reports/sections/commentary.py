"""The consultant's part of a report: who prepared it, how confidential it is, their logo, and
their own words (an executive paragraph and a note per section).

Plain data: the caller reads it from the organisation's report settings and the assessment's
commentary (frozen when the commentary is published) and hands it to `build_report`.
"""

from __future__ import annotations

from dataclasses import dataclass

# The executive paragraph shares the first page with the summary, which must stay one page; a
# section's note has the page to itself.
EXECUTIVE_MAX_LENGTH = 700
EXECUTIVE_MAX_BREAKS = 6  # each line break can cost a line of the page
SECTION_NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Branding:
    prepared_by: str = ""  # the consultant's (or lead's) name
    firm: str = ""  # the consultant's firm
    confidentiality: str = ""  # e.g. "Confidential: prepared for Acme Analytics"
    # A validated PNG or JPEG as a data: URI ("" for none): the PDF renderer loads no other URL.
    logo_data_uri: str = ""

    @property
    def prepared_line(self) -> str:
        """ "Prepared by Jane Doe, Northwind Consulting", or "" when nobody is named."""
        who = ", ".join(part for part in (self.prepared_by, self.firm) if part)
        return f"Prepared by {who}" if who else ""


@dataclass(frozen=True)
class Commentary:
    executive: str = ""  # the consultant's executive paragraph
    notes: tuple[tuple[str, str], ...] = ()  # (section anchor, note), in section order
    draft: bool = False  # written but not yet published: the report says "Draft"

    @property
    def by_section(self) -> dict[str, str]:
        return {anchor: text for anchor, text in self.notes if text}


NO_BRANDING = Branding()
NO_COMMENTARY = Commentary()
