#!/usr/bin/python3
"""test/style/check_messages.py: every ereport in src/ follows the message
style guide.

Checks, per ereport(...) call in src/**/*.c:
  - it has an errcode(...)  (progress and debug messages included: a client
    filtering on SQLSTATE must be able to tell them apart);
  - errmsg: starts lower case (an acronym or identifier such as COPY, JSON
    or %s may start it), no final period, no line break;
  - errdetail / errhint: start upper case (or with a quoted name or a
    format), end with a period;
  - tables are named as table "%s", and 64-bit integers printed one way
    (INT64_FORMAT is refused: %lld with a (long long) cast is the form).
Prints one "ok"/"not ok" line per check and "N passed, M failed" last.
"""
import os
import re
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "src")


def calls(text, name):
	"""Yield (line, body) of every name(...) call, parentheses balanced."""
	for m in re.finditer(r"\b%s\s*\(" % name, text):
		i = m.end()
		depth = 1
		instr = None
		while i < len(text) and depth:
			c = text[i]
			if instr:
				if c == "\\":
					i += 1
				elif c == instr:
					instr = None
			elif c in "\"'":
				instr = c
			elif c == "(":
				depth += 1
			elif c == ")":
				depth -= 1
			i += 1
		yield text.count("\n", 0, m.start()) + 1, text[m.end():i - 1]


def literal(body, fn):
	"""The format string of fn("..." "..." ...) inside body, or None."""
	m = re.search(r"\b%s\s*\(\s*((?:\"(?:[^\"\\]|\\.)*\"\s*|[A-Z0-9_]+\s*)+)" % fn, body)
	if not m:
		return None
	parts = re.findall(r"\"((?:[^\"\\]|\\.)*)\"|([A-Z0-9_]+)", m.group(1))
	return "".join(s if s else "%d" for s, _ in parts)


def first_word_ok(msg):
	w = re.match(r"[^\s:(]*", msg).group(0)
	if not w or not w[0].isalpha() or w[0].islower():
		return True
	return w.isupper() or "_" in w		# acronym (COPY, JSON) or identifier


problems = []
count = 0
for root, _, files in os.walk(src):
	for f in sorted(files):
		if not f.endswith(".c"):
			continue
		path = os.path.join(root, f)
		rel = os.path.relpath(path, os.path.dirname(src))
		text = open(path, encoding="utf-8").read()
		# drop comments so examples in them are not checked
		text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
		for line, body in calls(text, "ereport"):
			count += 1
			where = "%s:%d" % (rel, line)
			if not re.search(r"\berrcode(_for_\w+)?\s*\(", body):
				problems.append("%s: ereport without errcode" % where)
			msg = literal(body, "errmsg")
			if msg is None:
				if "errmsg" in body:
					problems.append("%s: errmsg is not a string literal" % where)
				else:
					problems.append("%s: ereport without errmsg" % where)
			else:
				if not first_word_ok(msg):
					problems.append("%s: errmsg starts upper case: %r" % (where, msg[:60]))
				if msg.rstrip().endswith("."):
					problems.append("%s: errmsg ends with a period: %r" % (where, msg[-60:]))
				if "\\n" in msg:
					problems.append("%s: errmsg has a line break" % where)
			for fn in ("errdetail", "errhint"):
				s = literal(body, fn)
				if s is None or s.startswith("%"):
					continue		# the text comes from elsewhere (an error's message)
				if s and s[0].isalpha() and s[0].islower() and first_word_ok(s) and "_" not in s.split()[0]:
					problems.append("%s: %s starts lower case: %r" % (where, fn, s[:60]))
				if not s.rstrip().endswith("."):
					problems.append("%s: %s does not end with a period: %r" % (where, fn, s[-60:]))
		for m in re.finditer(r"\b[Tt]able %s", text):
			problems.append("%s:%d: unquoted table name (write table \\\"%%s\\\")"
							% (rel, text.count("\n", 0, m.start()) + 1))
		for m in re.finditer(r"INT64_FORMAT", text):
			problems.append("%s:%d: INT64_FORMAT (use %%lld and a (long long) cast)"
							% (rel, text.count("\n", 0, m.start()) + 1))

for p in problems:
	print("not ok  " + p)
print("%s  %d ereport calls checked" % ("ok" if count > 0 else "not ok", count))
failed = len(problems) + (1 if count == 0 else 0)
print("%d passed, %d failed" % (1 if failed == 0 else 0, failed))
sys.exit(1 if failed else 0)
