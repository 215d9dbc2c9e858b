"""Parse the built site's feeds with third-party clients, strictly.

Usage: python3 .ci/check_feeds.py SITE_DIR
- calendar.ics must parse in `icalendar` and in `vobject` (which validates
  every component), have CRLF line ends and lines of at most 75 octets, unique
  UIDs, and a VTIMEZONE for every TZID used;
- feed.xml must parse in `feedparser` without a "bozo" (malformed) flag.
"""
import sys
from pathlib import Path

import feedparser
import icalendar
import vobject

site = Path(sys.argv[1])
problems = []

raw = (site / "calendar.ics").read_bytes()
text = raw.decode("utf-8")
if "\n" in text.replace("\r\n", ""):
    problems.append("calendar.ics: a line does not end with CRLF")
for i, line in enumerate(raw.split(b"\r\n"), 1):
    if len(line) > 75:
        problems.append(f"calendar.ics:{i}: {len(line)} octets, more than 75")

cal = icalendar.Calendar.from_ical(text)
events = [c for c in cal.walk("VEVENT")]
uids = [str(e["UID"]) for e in events]
if len(uids) != len(set(uids)):
    problems.append("calendar.ics: duplicate UIDs")
tzids = {str(c["TZID"]) for c in cal.walk("VTIMEZONE")}
for e in events:
    start = e.get("DTSTART")
    tzid = start.params.get("TZID") if start is not None else None
    if tzid and tzid not in tzids:
        problems.append(f"calendar.ics: {e['UID']} uses TZID {tzid} with no VTIMEZONE")
    if start is None or "SUMMARY" not in e or "DTSTAMP" not in e:
        problems.append(f"calendar.ics: {e.get('UID')} lacks DTSTART, SUMMARY or DTSTAMP")

parsed = vobject.readOne(text, validate=True)
parsed.validate()
vevents = list(parsed.vevent_list)
if len(vevents) != len(events):
    problems.append(f"vobject saw {len(vevents)} events, icalendar {len(events)}")
for ev in vevents:
    ev.dtstart.value  # resolves the TZID against the VTIMEZONE

feed = feedparser.parse((site / "feed.xml").read_bytes())
if feed.bozo:
    problems.append(f"feed.xml: {feed.bozo_exception}")
if feed.version != "atom10":
    problems.append(f"feed.xml: not Atom 1.0 ({feed.version})")
if not feed.entries:
    problems.append("feed.xml: no entries")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"feeds ok: {len(events)} calendar events in {len(tzids)} timezone(s), {len(feed.entries)} Atom entries")
