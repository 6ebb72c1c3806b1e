"""The post contract: read a post's YAML front matter into a validated :class:`PostMeta`.

This module is pure (no Sphinx): the Sphinx glue in :mod:`journal.content.posts`, the
``new`` command and the Jekyll importer all go through :func:`parse_post`, so a
post is accepted, rejected and described the same way everywhere.

Every user mistake becomes a :class:`FrontMatterProblem` naming the line, the
key, what is wrong and what would be valid; nothing here raises for bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

#: Keys of the contract, with a short description of what each accepts.
KNOWN_KEYS: dict[str, str] = {
    "title": "text",
    "date": "YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]' or ISO 8601 with an offset",
    "updated": "a date, like `date`",
    "tags": "a list or a comma-separated string",
    "category": "a list or a comma-separated string",
    "author": "a list or a comma-separated string",
    "image": "a path or URL of the feature image",
    "image_alt": "text describing the feature image",
    "excerpt": "text shown in listings and feeds",
    "series": "the name of a series of posts",
    "draft": "true or false",
    "lang": "a language code such as ko or en",
}
#: Other spellings we accept for a key, mapped to the contract's name.
ALIASES: dict[str, str] = {
    "categories": "category",
    "authors": "author",
    "feature_image": "image",
    "feature-img": "image",
    "language": "lang",
}
#: Keys other tools put in front matter; accepted and ignored.
PASSTHROUGH_KEYS = frozenset({"layout", "orphan", "tocdepth", "nosearch", "myst", "html_meta", "jekyll", "blogpost"})


class _Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader, leaving dates as text: we parse them ourselves, in the site's zone.

    The pure-Python loader, as MyST's ``read_topmatter`` uses (``yaml.safe_load``), not libyaml's,
    which is seven times faster but accepts what PyYAML refuses (``tags: [왜?]``, a tab in a flow
    list): a post we accepted would reach MyST as "Malformed YAML", with no title. Front matter
    is parsed once per file version (:func:`journal.content.posts.read_sources`), about 0.7 ms a post.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FENCE = re.compile(r"^---[ \t]*$")

# --- limits: input we did not write must not cost unbounded time or memory -----
#: Front matter larger than this is refused before YAML reads it (a long post's is under 2 KB).
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Values a front matter may hold once YAML aliases are expanded (``&a [*b, *b]`` doubles each level).
MAX_EXPANDED_VALUES = 10_000
#: Longest title, excerpt and label (tag, category, author, series) we accept, in characters.
MAX_TITLE = 300
MAX_EXCERPT = 2_000
MAX_LABEL = 100
#: Most tags (categories, authors) on one post.
MAX_LABELS = 50
#: Earliest year of a date: Python's datetime ends at year 1, and a year 1 date moved by
#: its offset, or written as a two-digit year in a feed, is nonsense long before that.
MIN_YEAR = 1000
_DATE_FORMS = ("YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS", "2025-04-12T10:00:00+09:00")
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True)
class FrontMatterProblem:
    """One thing wrong with a post's front matter, at a line of the source file (1-based)."""

    line: int
    key: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


@dataclass
class PostMeta:
    """A post's front matter after normalisation; dates are time-zone aware."""

    title: str | None = None
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)
    image: str | None = None
    image_alt: str | None = None
    excerpt: str | None = None
    series: str | None = None
    draft: bool = False
    lang: str | None = None
    #: Keys outside the contract that were kept as they were (e.g. ``jekyll``).
    extra: dict[str, Any] = field(default_factory=dict)

    def is_published(self, now: dt.datetime) -> bool:
        """True when the post belongs in listings, feeds and search at time *now*."""
        return not self.draft and self.date is not None and self.date <= now


@dataclass
class ParsedPost:
    meta: PostMeta
    problems: list[FrontMatterProblem]
    #: Line (1-based) of the front matter's first key; 1 when there is none.
    first_line: int = 1
    has_front_matter: bool = False
    #: Line (1-based) of each key as written.
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """Line of the contract key *name* (or of an alias of it); the first line when it is absent."""
        for key, line in self.key_lines.items():
            if ALIASES.get(key, key) == name:
                return line
        return self.first_line


def is_fence(line: str) -> bool:
    """``---`` alone on its line (spaces, tabs or a carriage return after it allowed)."""
    return bool(_FENCE.match(line.rstrip("\r")))


def closing_fence(lines: list[str]) -> int | None:
    """Index of the line closing the front matter that *lines* open with, or None when none is opened and closed.

    The caller splits the text into lines as its reader does: MyST's ``splitlines()`` for a post,
    Jekyll's ``\\n`` for the importer's input.
    """
    if not lines or not is_fence(lines[0]):
        return None
    for index in range(1, len(lines)):
        if is_fence(lines[index]) or lines[index].rstrip() == "...":
            return index
    return None


def split_front_matter(text: str) -> tuple[str | None, int]:
    """Return the YAML between the leading ``---`` fences and the line of its first row (1-based)."""
    lines = text.lstrip("\ufeff").splitlines()
    end = closing_fence(lines)
    if end is None:
        return None, 1
    return "\n".join(lines[1:end]), 2


def parse_post(text: str, tz: ZoneInfo, *, require_date: bool = True) -> ParsedPost:
    """Parse the front matter of a post's source *text*; naive times are read in *tz*."""
    yaml_text, offset = split_front_matter(text)
    if yaml_text is None:
        problem = FrontMatterProblem(1, None, "no front matter: a post starts with a '---' block")
        return ParsedPost(PostMeta(), [problem] if require_date else [])
    problems: list[FrontMatterProblem] = []
    size = len(yaml_text.encode("utf-8", "surrogatepass"))
    if size > MAX_FRONT_MATTER_BYTES:
        limit = MAX_FRONT_MATTER_BYTES
        message = f"front matter is {size:,} bytes; the limit is {limit:,} (move long text into the body)"
        return ParsedPost(PostMeta(), [FrontMatterProblem(offset, None, message)], offset, True)
    try:
        root, data = _load(yaml_text)
    except yaml.YAMLError as error:
        problems.append(_yaml_problem(error, yaml_text, offset))
        return ParsedPost(PostMeta(), problems, offset, True)
    except _TooLarge as error:
        problems.append(FrontMatterProblem(offset + error.line, error.key, str(error)))
        return ParsedPost(PostMeta(), problems, offset, True)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(FrontMatterProblem(offset, None, "front matter must be a mapping of 'key: value' lines"))
        return ParsedPost(PostMeta(), problems, offset, True)
    lines = _key_lines(root, offset)
    problems.extend(_repeated_keys(root, offset))
    meta = _build_meta(data, lines, tz, problems)
    if require_date and meta.date is None and not meta.draft and not _has_problem(problems, "date"):
        problems.append(
            FrontMatterProblem(offset, "date", f"missing; add e.g. 'date: {dt.date.today():%Y-%m-%d}' or 'draft: true'")
        )
    return ParsedPost(meta, problems, offset, True, lines)


#: Hints for PyYAML's most common complaints about hand-written front matter.
_YAML_HINTS = {
    "mapping values are not allowed": "put text containing ': ' in quotes, e.g. title: \"SDK: 첫 리뷰\"",
    "cannot start any token": "indent with spaces, not tabs; quote text starting with @ or `",
    "flow sequence": "write a list as [a, b] with the closing ']' on the same line",
    "flow mapping": "close '{' with '}' or quote the text",
    "quoted scalar": "close the quote, or use the other kind of quote inside",
}


def _load(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data, from one parse.

    The tree is measured before anything is built from it: YAML aliases share one node, so
    ten nested ``&a [*b, *b, ...]`` are a few hundred nodes that expand to billions of values
    for whatever walks the data as a tree (``repr``, JSON, a template); _TooLarge says so.
    """
    loader = _Loader(yaml_text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_expanded_size(root)
        return root, loader.construct_document(root)
    except RecursionError:  # PyYAML composes and builds nested values recursively
        raise _TooLarge("values nested too deep; write them flat", None, 0) from None
    finally:
        loader.dispose()


class _TooLarge(Exception):
    """Front matter whose aliases expand beyond :data:`MAX_EXPANDED_VALUES` (or refer to themselves)."""

    def __init__(self, message: str, key: str | None, line: int) -> None:
        super().__init__(message)
        self.key, self.line = key, line


def _check_expanded_size(root: yaml.Node) -> None:
    """Raise _TooLarge when a top-level value expands to more than MAX_EXPANDED_VALUES values."""
    sizes: dict[int, int] = {}
    entries = root.value if isinstance(root, yaml.MappingNode) else [(None, root)]
    total = 0
    for key_node, value_node in entries:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
        line = _file_line(key_node.start_mark) if key_node is not None else 0
        total += _expanded_size(value_node, sizes, set(), key, line)
        if total > MAX_EXPANDED_VALUES:
            message = f"YAML aliases expand to more than {MAX_EXPANDED_VALUES:,} values; write the values out"
            raise _TooLarge(message, key, line)


def _expanded_size(node: yaml.Node, sizes: dict[int, int], path: set[int], key: str | None, line: int) -> int:
    """How many values *node* stands for when every alias is written out (memoised per node)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in path:
        raise _TooLarge("a YAML alias refers to the value that contains it", key, line)
    size = 1
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        path.add(id(node))
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        for child in children:
            size += _expanded_size(child, sizes, path, key, line)
            if size > MAX_EXPANDED_VALUES:
                break  # no need to count further: the caller refuses it
        path.discard(id(node))
    sizes[id(node)] = size
    return size


def _yaml_problem(error: yaml.YAMLError, yaml_text: str, offset: int) -> FrontMatterProblem:
    """One problem for a YAML syntax error, at the line of the key whose value is broken."""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    context = getattr(error, "context", None) or ""
    # A flow list or a quoted text is reported where it ends; its key is where it starts.
    use_context = context_mark is not None and ("flow" in context or "quoted" in context)
    mark = context_mark if use_context else problem_mark or context_mark
    index = _file_line(mark) if mark else 0
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    hint = next((h for pattern, h in _YAML_HINTS.items() if pattern in f"{reason} {context}"), None)
    hint = hint or "every line is 'key: value'; quote text with special characters"
    key, key_index = _enclosing_key(yaml_text.splitlines(), index)
    return FrontMatterProblem(offset + key_index, key, f"invalid YAML ({reason}); {hint}")


_TOP_KEY = re.compile(r"^([^\s#:'\"\[{-][^:]*?)\s*:(?:\s|$)")


def _enclosing_key(lines: list[str], index: int) -> tuple[str | None, int]:
    """The top-level key whose value spans line *index*, and its line; (None, index) when there is none."""
    for at in range(min(index, len(lines) - 1), -1, -1):
        match = _TOP_KEY.match(lines[at])
        if match:
            return match.group(1), at
        if lines[at][:1] not in (" ", "\t", "") and not lines[at].startswith("#"):
            break
    return None, index


def _repeated_keys(root: yaml.Node | None, offset: int) -> list[FrontMatterProblem]:
    """YAML keeps only the last of two equal keys; we say so instead."""
    if not isinstance(root, yaml.MappingNode):
        return []
    first: dict[str, int] = {}
    problems = []
    for key_node, _ in root.value:
        key, line = str(key_node.value), offset + _file_line(key_node.start_mark)
        if key in first:
            problems.append(FrontMatterProblem(line, key, f"appears twice (first on line {first[key]}); keep one"))
        else:
            first[key] = line
    return problems


def _file_line(mark: yaml.Mark) -> int:
    """The 0-based line of *mark* as editors count lines: YAML also breaks lines at NEL, U+2028
    and U+2029 (inside quoted text too), so its own ``mark.line`` would point below the key."""
    buffer = getattr(mark, "buffer", None)
    return buffer.count("\n", 0, mark.index) if isinstance(buffer, str) else mark.line


def _has_problem(problems: list[FrontMatterProblem], key: str) -> bool:
    return any(p.key == key for p in problems)


def _key_lines(root: yaml.Node | None, offset: int) -> dict[str, int]:
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(k.value): offset + _file_line(k.start_mark) for k, _ in root.value if isinstance(k, yaml.ScalarNode)}


def _build_meta(
    data: dict[Any, Any], lines: dict[str, int], tz: ZoneInfo, problems: list[FrontMatterProblem]
) -> PostMeta:
    meta = PostMeta()
    seen: dict[str, str] = {}
    for raw_key, value in data.items():
        key = str(raw_key)
        line = lines.get(key, 1)
        name = ALIASES.get(key, key)
        if name in seen:
            problems.append(FrontMatterProblem(line, key, f"duplicates '{seen[name]}'; keep one of them"))
            continue
        seen[name] = key
        if name in PASSTHROUGH_KEYS:
            if name == "jekyll":
                meta.extra[name] = value
            continue
        if name not in KNOWN_KEYS:
            problems.extend(_unknown_key(key, line))
            meta.extra[key] = value
            continue
        try:
            _set_field(meta, name, value, tz)
        except ValueError as error:
            problems.append(FrontMatterProblem(line, key, str(error)))
    return meta


def _unknown_key(key: str, line: int) -> list[FrontMatterProblem]:
    """A likely typo of a contract key is an error; any other extra key is kept quietly."""
    candidates = list(KNOWN_KEYS) + list(ALIASES)
    close = difflib.get_close_matches(key.lower(), candidates, n=1, cutoff=0.75)
    if not close:
        return []
    return [FrontMatterProblem(line, key, f"unknown key; did you mean '{close[0]}'?")]


def _set_field(meta: PostMeta, name: str, value: Any, tz: ZoneInfo) -> None:
    if name in ("tags", "category", "author"):
        setattr(meta, name, to_labels(value, name))
    elif name in ("date", "updated"):
        setattr(meta, name, to_datetime(value, tz))
    elif name == "draft":
        meta.draft = to_bool(value)
    elif name == "image":
        meta.image = _image_path(value)
        if isinstance(value, dict) and value.get("alt"):
            meta.image_alt = _text(value["alt"], name)
    elif name == "lang":
        meta.lang = to_lang(value)
    else:
        # ABlog reads `excerpt: 2` as a paragraph count; ours is the text itself, so a number is a mistake.
        setattr(meta, name, _text(value, name, text_only=name == "excerpt"))


#: Longest text per key; labels are checked by :func:`to_labels`.
_MAX_LENGTH = {"title": MAX_TITLE, "excerpt": MAX_EXCERPT, "series": MAX_LABEL, "image_alt": MAX_TITLE, "image": 2048}


def _text(value: Any, name: str, *, text_only: bool = False) -> str:
    wrong = isinstance(value, bool) or value is None or isinstance(value, (list, dict, dt.date))
    if wrong or (text_only and not isinstance(value, str)):
        raise ValueError(f"expected {KNOWN_KEYS[name]}, got {_describe(value)}")
    text = clean_text(str(value))
    if not text:
        raise ValueError(f"is empty; expected {KNOWN_KEYS[name]}")
    limit = _MAX_LENGTH.get(name)
    if limit is not None and len(text) > limit:
        raise ValueError(f"is {len(text):,} characters long; the limit is {limit:,}")
    return text


#: Invisible characters that reorder the text around them (bidi embeddings, overrides and
#: isolates: "Trojan Source"): shown in a title, they make it read as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f\u0085\u2028\u2029")


def clean_text(text: str) -> str:
    """*text* as one line of NFC text: white space runs become one space; control characters
    (which XML cannot carry and a page would not show) and bidi controls are dropped."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        if char in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif char not in _BIDI_CONTROLS and unicodedata.category(char) not in ("Cc", "Cs"):
            kept.append(char)
    return " ".join("".join(kept).split())


def _image_path(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("path") or value.get("src")
    return _text(value, "image", text_only=True)


_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def to_lang(value: Any) -> str:
    """A BCP 47-like language code (``ko``, ``en``, ``en-US``)."""
    if not isinstance(value, str) or not _LANG.match(value.strip()):
        raise ValueError(f"expected {KNOWN_KEYS['lang']}, got {_describe(value)}")
    return value.strip()


def to_labels(value: Any, name: str = "tags") -> list[str]:
    """Tags, categories or authors as a list of NFC strings, from a list or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        items = [value]  # `tags: 2025`
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError(f"expected {KNOWN_KEYS[name]}, got {_describe(value)}")
    labels: list[str] = []
    for item in items:
        if isinstance(item, (list, dict)) or item is None or isinstance(item, bool):
            raise ValueError(f"expected {KNOWN_KEYS[name]} of plain names, got {_describe(item)} inside it")
        label = clean_text(str(item)).strip("'\"").strip()
        if len(label) > MAX_LABEL:
            raise ValueError(f"{label[:20]!r}… is {len(label):,} characters long; the limit is {MAX_LABEL}")
        if label and label not in labels:
            labels.append(label)
    if len(labels) > MAX_LABELS:
        raise ValueError(f"has {len(labels):,} names; the limit is {MAX_LABELS}")
    return labels


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
        return value.strip().lower() in ("true", "yes")
    raise ValueError(f"expected true or false, got {_describe(value)}")


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone *name* (``Asia/Seoul``); ValueError saying so when there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = name if len(name) <= 40 else f"{name[:40]}…"
        raise ValueError(f"{shown!r} is not an IANA time zone such as 'Asia/Seoul'") from None


def to_datetime(value: Any, tz: ZoneInfo) -> dt.datetime:
    """A front matter date as an aware datetime; a time without offset is read in *tz*."""
    if isinstance(value, dt.datetime):
        return _in_zone(value if value.tzinfo else value.replace(tzinfo=tz), tz, repr(value.isoformat()))
    if isinstance(value, dt.date):
        return _in_zone(dt.datetime(value.year, value.month, value.day, tzinfo=tz), tz, repr(value.isoformat()))
    if not isinstance(value, str):
        raise ValueError(f"expected a date ({', '.join(_DATE_FORMS)}), got {_describe(value)}")
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date; use one of {', '.join(_DATE_FORMS)}")
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "tz"}
    try:
        moment = dt.datetime(
            parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0)
        )
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error}); use one of {', '.join(_DATE_FORMS)}") from None
    offset = match.group("tz")
    try:
        zone = _fixed_offset(offset) if offset else tz
    except ValueError as error:
        raise ValueError(f"{value!r}: {error}") from None
    return _in_zone(moment.replace(tzinfo=zone), tz, repr(value))


def _in_zone(moment: dt.datetime, tz: ZoneInfo, shown: str) -> dt.datetime:
    """*moment* (aware) in *tz*; ValueError for years before MIN_YEAR and for the ends of the
    calendar, which overflow once their offset is applied (``9999-12-31 23:59-12:00``)."""
    if moment.year < MIN_YEAR:
        raise ValueError(f"{shown}: the year must be {MIN_YEAR} or later")
    try:
        moment.astimezone(dt.UTC)
        return moment.astimezone(tz)
    except (OverflowError, ValueError):
        raise ValueError(f"{shown} is outside the dates we can store; use a year from {MIN_YEAR} to 9998") from None


def _fixed_offset(text: str) -> dt.tzinfo:
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{text} is not a UTC offset (hours up to 23, minutes up to 59)")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


# --- writing ------------------------------------------------------------------

#: Order in which :func:`render_front_matter` writes keys.
WRITE_ORDER = ("title", "date", "updated", "tags", "category", "author", "image", "image_alt", "excerpt", "series")


def render_front_matter(meta: PostMeta) -> str:
    """The ``---`` block for *meta*, in the contract's own spelling; :func:`parse_post` reads it back equal."""
    data: dict[str, Any] = {}
    for key in WRITE_ORDER:
        value = getattr(meta, key)
        if value and isinstance(value, dt.datetime):
            data[key] = _RawYaml(_format_datetime(value))
        elif value:
            data[key] = value
    if meta.draft:
        data["draft"] = True
    if meta.lang:
        data["lang"] = meta.lang
    data.update(meta.extra)
    for key in ("category", "author"):
        if len(data.get(key, ())) == 1:
            data[key] = data[key][0]  # `author: bora` reads better than `author: [bora]`
    lines = [f"{_yaml_scalar(str(key))}: {_yaml_value(value)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _format_datetime(value: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS±HH:MM``: explicit offset, so the file means the same in any site zone.

    A local mean time offset (``+08:27:52`` in Seoul before 1908) has seconds, which no date form
    of the contract writes: such a moment is written in UTC."""
    offset = value.utcoffset()
    if offset is not None and offset.seconds % 60:
        value = value.astimezone(dt.UTC)
    return value.isoformat(sep=" ")


class _RawYaml(str):
    """Text written into YAML as it is (dates: our loader reads them back as text)."""


def _yaml_value(value: Any) -> str:
    if isinstance(value, _RawYaml):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "[" + ", ".join(_yaml_scalar(item) for item in value) + "]"
    if isinstance(value, str):
        return _yaml_scalar(value)
    # Anything else (kept keys of other tools: numbers, null, nested data) as YAML writes it.
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1 << 16)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _yaml_scalar(text: str) -> str:
    """A plain scalar when YAML reads it back as the same string, alone and inside a flow list
    (``tags: [a, b]``, where ``?`` and ``-`` mean more), else a double-quoted one."""
    if text and text.strip() == text and not re.search(r"[:#\[\]{},&*!|>'\"%@`?]", text):
        try:
            alone = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
            listed = yaml.load(f"[{text}]", Loader=_Loader)  # noqa: S506
            if alone == text and listed == [text]:
                return text
        except yaml.YAMLError:
            pass
    # JSON's escapes are YAML's too; YAML also refuses DEL, C1 controls and surrogates raw, and
    # reads NEL and the Unicode line and paragraph separators as line breaks.
    return _NOT_YAML_PRINTABLE.sub(_yaml_escape, json.dumps(text, ensure_ascii=False))


_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _yaml_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
