"""The author line of an entry as shown: names (with their marks, the site's owners
and homepages) and the separators between them, cut at ``max_authors`` with a
control that shows everyone.  Free of docutils."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_pubs.core.model import Person, Publication
from sphinx_pubs.core.names import key_of, matches, split_mark
from sphinx_pubs.view import format as fmt
from sphinx_pubs.view.options import Labels, ListOptions


@dataclass(frozen=True)
class NameView:
    """One author as shown: the name, its marks (``*``, ``†`` ...: superscripts),
    whether it is one of the site's owners, and its homepage."""

    name: str
    mark: str = ""
    own: bool = False
    url: str = ""

    def __str__(self) -> str:
        return self.name + self.mark


#: names and the separators between them ("A", ", ", "B", ", and ", "C")
Pieces = tuple[str | NameView, ...]


def plain_pieces(pieces: Pieces) -> str:
    """*pieces* as plain text: the names (with their marks) and separators."""
    return "".join(str(piece) for piece in pieces)


@dataclass(frozen=True)
class AuthorsView:
    """The author line: ``lead``, then (when names are hidden) the label of the
    control that shows ``everyone``, the full line, then ``suffix`` (", editors")."""

    lead: Pieces
    more: str = ""
    everyone: Pieces = ()
    suffix: str = ""

    @property
    def line(self) -> str:
        """The line as shown before anything is expanded."""
        return plain_pieces(self.lead) + self.more + self.suffix


def authors_view(record: Publication, options: ListOptions) -> AuthorsView | None:
    """The author line of *record* (its editors' when it has no authors), or None."""
    line = fmt.author_line(record, options.max_authors)
    if line is None:
        return None
    labels = options.labels
    suffix = ""
    if line.role == "editor":
        suffix = ", " + (labels.editors if len(line.everyone) > 1 else labels.editor)
    shown = [_name(person, options) for person in line.shown]
    if not line.hidden:
        return AuthorsView(_listed(shown, labels, line.et_al), suffix=suffix)
    hidden = [_name(person, options) for person in line.hidden]
    everyone = _listed(shown + hidden, labels, line.et_al)
    lead, kept = _lead_with_owners(shown, hidden)
    count = len(hidden) - kept
    if not count:  # the owners were the names the cut left out
        return AuthorsView(everyone, suffix=suffix)
    more = (
        labels.more_author
        if count == 1
        else fmt.fill(labels.more_authors, Labels.more_authors, n=count)
    )
    lead.append(("," if len(lead) > 1 else "") + f" {labels.and_word} ")
    return AuthorsView(tuple(lead), more, everyone, suffix)


def _lead_with_owners(
    shown: list[NameView], hidden: list[NameView]
) -> tuple[list[str | NameView], int]:
    """The names shown before the "more" control, and how many of *hidden* are among
    them: the site's owners stay in sight when the cut would hide them (al-folio
    #701): "A, B, C, …, Owner"; "…" marks names left out before them."""
    lead: list[str | NameView] = []
    for index, name in enumerate(shown):
        lead += [", "] if index else []
        lead.append(name)
    follows = 0  # the index in hidden of the name that follows the last one shown
    kept = 0
    for index, name in enumerate(hidden):
        if name.own:
            lead += [", " if index == follows else ", …, ", name]
            follows = index + 1
            kept += 1
    return lead, kept


def _listed(names: list[NameView], labels: Labels, et_al: bool) -> Pieces:
    """ "A, B, and C"; a list that ended in BibTeX's "and others" is "A, B, C, et al."
    ("A et al." for one name): the last name named is not the last author."""
    if not et_al:
        return tuple(_joined(names, labels.and_word))
    out: list[str | NameView] = []
    for index, name in enumerate(names):
        out += [", "] if index else []
        out.append(name)
    return (*out, (", " if len(names) > 1 else " ") + labels.et_al)


def _name(person: Person, options: ListOptions) -> NameView:
    person, mark = split_mark(person)
    if not options.highlight and not options.author_links:
        return NameView(person.display, mark)  # nothing to match the name against
    key = key_of(person)
    own = any(matches(key, wanted) for wanted in options.highlight)
    url = next((url for wanted, url in options.author_links if matches(key, wanted)), "")
    return NameView(person.display, mark, own, url)


def _joined(names: list[NameView], conj: str) -> list[str | NameView]:
    """ "A", "A and B", "A, B, and C", with the names kept as objects."""
    out: list[str | NameView] = []
    last = len(names) - 1
    for index, name in enumerate(names):
        if index:
            if last == 1:
                out.append(f" {conj} ")
            else:
                out.append(f", {conj} " if index == last else ", ")
        out.append(name)
    return out
