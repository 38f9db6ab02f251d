"""Hart InterCivic Verity cast vote records: a zip with one XML file per card.

Each card's XML (namespace ``http://tempuri.org/CVRDesign.xsd``) has ``CvrGuid`` (the card's id),
``BatchNumber``, ``BatchSequence``, ``SheetNumber`` and ``Contests``; each ``Contest`` has its
``Name``, ``Undervotes`` and ``Options``, each ``Option`` its ``Name`` and ``Value`` (the votes
given to it, normally 1). A contest's vote limit is the most marks plus undervotes any card shows
(Hart writes no limit into the CVR). Other members of the zip (a scanned-ballot CSV, a manifest)
are ignored.

Every XML is parsed with ``defusedxml`` (no entity expansion, no external entities); the zip is
checked before anything is read: at most :data:`MAX_MEMBERS` members, :data:`MAX_MEMBER_BYTES` per
member and :data:`MAX_TOTAL_BYTES` uncompressed, no compression ratio over :data:`MAX_RATIO`.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .common import CvrError, CvrTally, check_no_formulas

NS = "{http://tempuri.org/CVRDesign.xsd}"
MAX_MEMBERS = 5_000_000
MAX_MEMBER_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024**3
MAX_RATIO = 200


def _text(element, tag: str) -> str:
    found = element.find(f"{NS}{tag}")
    if found is None:
        found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _all(element, path: str):
    found = element.findall("/".join(f"{NS}{p}" for p in path.split("/")))
    return found or element.findall(path)


def parse(path, name: str = "CVR") -> CvrTally:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CvrError(f"{name}: not a zip file ({exc})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise CvrError(f"{name}: {len(members):,} files in the zip, more than {MAX_MEMBERS:,}")
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > MAX_MEMBER_BYTES or (member.compress_size and member.file_size / member.compress_size > MAX_RATIO):
                raise CvrError(f"{name}, {member.filename}: {member.file_size:,} bytes uncompressed; a card's XML is a few kilobytes")
        if total > MAX_TOTAL_BYTES:
            raise CvrError(f"{name}: {total:,} bytes uncompressed, more than {MAX_TOTAL_BYTES:,}")
        cards = sorted((m for m in members if m.filename.lower().endswith(".xml")), key=lambda m: m.filename)
        if not cards:
            raise CvrError(f"{name}: no XML cast vote record in the zip")
        tally, seen = CvrTally("hart"), {}
        allowed: dict[str, int] = {}
        for member in cards:
            where = f"{name}, {member.filename}"
            try:
                root = ElementTree.fromstring(archive.read(member))
            except (ParseError, DefusedXmlException) as exc:
                raise CvrError(f"{where}: not a well-formed, safe XML cast vote record ({exc})") from None
            guid = _text(root, "CvrGuid")
            if not guid:
                raise CvrError(f"{where}: no CvrGuid (the card's id)")
            if guid in seen:
                raise CvrError(f"{where}: card {guid} appears twice (also in {seen[guid]})")
            seen[guid] = member.filename
            for contest_element in _all(root, "Contests/Contest"):
                contest_name = _text(contest_element, "Name")
                if not contest_name:
                    raise CvrError(f"{where}: a contest without a name")
                check_no_formulas([contest_name], lambda _i, _w=where: _w)
                marks = 0
                contest = tally.contest(contest_name, 1)
                contest.ballots += 1
                for option in _all(contest_element, "Options/Option"):
                    choice = _text(option, "Name")
                    value = _text(option, "Value") or "1"
                    if not choice or not value.isdigit():
                        raise CvrError(f"{where}: contest {contest_name!r} has an option without a name or with value {value!r}")
                    check_no_formulas([choice], lambda _i, _w=where: _w)
                    contest.choices[choice] = contest.choices.get(choice, 0) + int(value)
                    marks += int(value)
                undervotes = _text(contest_element, "Undervotes") or "0"
                if not undervotes.isdigit():
                    raise CvrError(f"{where}: contest {contest_name!r} has undervotes {undervotes!r}")
                allowed[contest_name] = max(allowed.get(contest_name, 1), marks + int(undervotes))
            tally.cards += 1
        for contest_name, limit in allowed.items():
            tally.contests[contest_name].votes_allowed = limit
            tally.contests[contest_name].choices = dict(sorted(tally.contests[contest_name].choices.items()))
        return tally
