"""Page furniture: which lines of a page are not story. Two steps, documented in
data/furniture.yaml: (1) line patterns (bylines, datelines, related-story blocks, share bars,
prompts, credits, disclaimers, timestamps) decide any line they match; (2) every other line is
decided by its shape and place on the page, one article at a time (no batch statistics, so an
article's output never depends on which others came with it). Lines the page's layout gives
away (a row of items spaced apart, an unpunctuated line repeated on the page:
text.layout_furniture) count as matched by a pattern.

- before the headline: furniture (navigation, the site's name and tagline). The headline is the
  first line that no pattern marks and that does not end a sentence (or is a question of 4-16 words
  with nothing before it), before the first paragraph, of 6+ words (else 4+); else the first line
  no pattern marks (a short .txt title);
- a line that ends a sentence (. ! ? with closing quotes or brackets) is story;
- between the headline and the first paragraph, an unpunctuated line of 6+ words is the
  standfirst (story);
- in the body, list items and lines introducing them (ending in ":") are story; a short
  unpunctuated line between two paragraphs is a subheading (story), unless a related-story marker
  came right before it;
- any other unpunctuated line (a related headline, a caption without credit, a menu) is furniture;
- once the story has begun, an `endings` marker (a comment section, "Notes to editors", "About
  <Organisation>", "Media contact") makes the rest of the page furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATTERNS = Path(__file__).with_name("furniture.yaml")
GROUPS = ("labels", "bylines", "related", "notices", "endings")
# Also speech cut off ("--", "…") and a footnote mark after the full stop: "in 2023.²",
# "in 2023.[3]", and "in 2023.12" after a word (not "rose to 3.7").
ENDS_SENTENCE = re.compile(r"([.!?;]|--|\u2014|\u2026)[\"'\u201d\u2019)\]]*([\u00b9\u00b2\u00b3\u2070-\u2079]*|\[\d{1,3}\])$"
                           r"|[^\W\d_][.!?][\"'\u201d\u2019)]?\d{1,3}$")
LIST_ITEM = re.compile(r"^([-\u2022*\u2013\u2014]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
WORD = re.compile(r"[^\W\d_]+")
COUNT = re.compile(r"^(\d[\d,.]*k?\s+(comments?|responses?|replies)|comments?\s*\(\d[\d,.]*k?\))$", re.I)
QUESTION = re.compile(r"\?[\"'\u201d\u2019)]*$")


@dataclass
class FurnitureFilter:
    labels: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    endings: list[str] = field(default_factory=list)
    extra: list[re.Pattern] = field(default_factory=list)  # compiled patterns added in code
    repeated: frozenset = frozenset()  # exact lines found on many pages of one source (opt-in)

    def __post_init__(self):
        self._patterns = [re.compile(p, re.I) for g in GROUPS if g not in ("related", "endings")
                          for p in getattr(self, g)]
        self._endings = [re.compile(p, re.I) for p in self.endings]
        self._patterns += list(self.extra)
        self._related = [re.compile(p, re.I) for p in self.related]

    @classmethod
    def from_yaml(cls, path: str | Path | None = None, extra=()) -> "FurnitureFilter":
        import yaml

        data = yaml.safe_load(Path(path or DEFAULT_PATTERNS).read_text(encoding="utf-8")) or {}
        unknown = set(data) - set(GROUPS)
        if unknown:
            raise ValueError(f"{path}: unknown pattern group(s) {sorted(unknown)} (use {', '.join(GROUPS)})")
        return cls(**{g: list(data.get(g) or []) for g in GROUPS}, extra=list(extra))

    def is_marker(self, line: str) -> bool:
        return any(p.search(line) for p in self._related)

    def by_pattern(self, line: str) -> bool:
        return line in self.repeated or self.is_marker(line) or any(p.search(line) for p in self._patterns)

    def with_repeated(self, lines) -> "FurnitureFilter":
        """This filter, also treating `lines` (normalised) as furniture."""
        from dataclasses import replace

        return replace(self, repeated=frozenset(lines))

    def mask(self, lines: list[str], title: str | None = None, layout=frozenset()) -> list[bool]:
        """True for each line that is furniture. `lines` are normalised, non-empty; `layout` are
        lines the page's layout marks (text.layout_furniture), furniture wherever they are."""
        patterned = [line in layout or self.by_pattern(line) for line in lines]
        start = _headline(lines, patterned, title)
        out = [True] * len(lines)
        if start is None:
            return out
        out[start] = False
        in_body, after_marker, in_list, paragraphs = False, False, False, 0
        ends = [any(p.search(line) for p in self._endings) for line in lines]
        for i in range(start + 1, len(lines)):
            line, words = lines[i], len(WORD.findall(lines[i]))
            if paragraphs >= 3 and ends[i]:
                if not (COUNT.match(line) and _body_before_next_ending(lines, patterned, ends, i)):
                    break  # a comment section or a press release's tail
                continue  # "12 Comments" by the byline: the story, then its comment section, follow
            if patterned[i]:
                # "Related" opens a block of headlines; "Read also: <headline>" carries its own.
                opens = self.is_marker(line) and words <= 4
                after_marker = opens or (after_marker and not self.is_marker(line) and not ENDS_SENTENCE.search(line))
                in_list = in_list and words < 6  # a notice ends a list ("Page 2 of 6" does not)
                continue
            if ENDS_SENTENCE.search(line):
                out[i], after_marker, in_list = False, False, False
                in_body = in_body or words >= 8
                paragraphs += words >= 8
                continue
            if after_marker and words >= 5:
                continue  # headlines listed under "Read also", "Related", ...
            following = _next_story_like(lines, patterned, i)
            if not in_body:
                # 6+ words before the first paragraph: the standfirst; "1. Call to order": a section
                out[i] = words < 6 and not (NUMBERED.match(line) and following is not None)
                continue
            if LIST_ITEM.match(line) and words >= 3 or in_list and words >= 1:
                out[i] = False  # a list item, marked or right under the line introducing the list
            elif line.endswith(":") and (words >= 6 or words >= 4 and (following is not None
                                                                    or _items_follow(lines, patterned, i))):
                out[i] = False  # a line introducing a list, or the paragraph after it
            elif (words <= 8 and following is not None and _prev_story(out, i)
                  and (len(WORD.findall(following)) >= 6 or following.endswith(":"))):
                out[i] = False  # a subheading between two paragraphs
            after_marker = after_marker and out[i]  # a story line ends a related-story block
            in_list = not out[i] and (in_list or line.endswith(":"))
        return out


def _headline(lines, patterned, title) -> int | None:
    if title:
        for i, line in enumerate(lines):
            if line == title:
                return i
    # A headline does not end a sentence; before the first paragraph, take the first such line of
    # 6+ words (site names and taglines are mostly shorter), else of 4+ words.
    # A question of 4-16 words may be the headline too ("Who props up Caracas?"), if no line came before it.
    candidates = []
    for i, line in enumerate(lines):
        words = len(WORD.findall(line))
        question = not candidates and not patterned[i] and 4 <= words <= 16 and QUESTION.search(line)
        if ENDS_SENTENCE.search(line) and words >= 8 and not patterned[i] and not question:
            break
        if not patterned[i] and words >= 4 and (question or not ENDS_SENTENCE.search(line)):
            candidates.append((i, words))
    for least in (6, 4):
        found = next((i for i, words in candidates if words >= least), None)
        if found is not None:
            return found
    return next((i for i, line in enumerate(lines) if not patterned[i]), None)


def _next_story_like(lines, patterned, i) -> str | None:
    """The next line that no pattern marks and that ends a sentence, if it comes right after."""
    for j in range(i + 1, min(i + 3, len(lines))):
        if patterned[j]:
            continue
        line = lines[j]
        introduces = line.endswith(":") and len(WORD.findall(line)) >= 4  # "Three lessons stand out:"
        return line if ENDS_SENTENCE.search(line) or LIST_ITEM.match(line) or introduces else None
    return None


def _body_before_next_ending(lines, patterned, ends, i) -> bool:
    """Four or more paragraphs (unmarked lines of 8+ words ending a sentence) come before the
    next ending marker, and there is one."""
    later = [j for j in range(i + 1, len(lines)) if ends[j]]
    body = [j for j in range(i + 1, later[0] if later else i + 1) if not patterned[j]
            and ENDS_SENTENCE.search(lines[j]) and len(WORD.findall(lines[j])) >= 8]
    return len(body) >= 4


def _items_follow(lines, patterned, i) -> bool:
    """The next line is a list item written without a bullet: unmarked, unpunctuated, 6+ words."""
    return i + 1 < len(lines) and not patterned[i + 1] and len(WORD.findall(lines[i + 1])) >= 6


def _prev_story(out, i) -> bool:
    return any(not out[j] for j in range(max(0, i - 3), i))


def repeated_lines(pages: list[list[str]], min_pages: int) -> set[str]:
    """Normalised lines that occur on at least `min_pages` of these pages (each page counted once):
    a site's boilerplate, when the pages come from one source. Headline-length or longer lines only
    repeat verbatim across different stories when they are not story."""
    from collections import Counter

    counts = Counter(line for page in pages for line in set(page))
    return {line for line, n in counts.items() if n >= max(2, min_pages)}
