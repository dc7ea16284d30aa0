"""Git merge driver for the Arabic catalogue: keep every translation either side has.

Configured once per clone (the README says how):
    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"
`.gitattributes` routes `*.po` to it. The result is ours, plus every entry only theirs has, plus their
translation wherever ours is empty or fuzzy. Entries one side dropped stay until `make messages` runs.
"""

import sys

import polib


def key(entry):
    return (entry.msgctxt, entry.msgid)


def merge(ours_path, theirs_path):
    ours = polib.pofile(ours_path, wrapwidth=78)
    theirs = polib.pofile(theirs_path, wrapwidth=78)
    by_key = {key(entry): entry for entry in ours}
    for entry in theirs:
        mine = by_key.get(key(entry))
        if mine is None:
            ours.append(entry)
            by_key[key(entry)] = entry
        elif entry.translated() and (not mine.translated() or "fuzzy" in mine.flags):
            mine.msgstr, mine.msgstr_plural = entry.msgstr, entry.msgstr_plural
            mine.flags = [flag for flag in mine.flags if flag != "fuzzy"]
    ours.save(ours_path)


if __name__ == "__main__":
    _base, ours_path, theirs_path = sys.argv[1:4]
    merge(ours_path, theirs_path)
