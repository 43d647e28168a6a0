"""Clear the fuzzy flag (and msgmerge's previous msgid) from translated entries a person
has reviewed. Usage: python scripts/po_unfuzzy.py locale/pl/LC_MESSAGES/django.po"""

import sys

import polib

po = polib.pofile(sys.argv[1])
for entry in po:
    if "fuzzy" in entry.flags and (entry.msgstr or all(entry.msgstr_plural.values())):
        entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
po.save(sys.argv[1])
print(f"untranslated: {len(po.untranslated_entries())}, fuzzy: {len(po.fuzzy_entries())}")
