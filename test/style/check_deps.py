#!/usr/bin/python3
"""test/style/check_deps.py: the calls between seedkit's source files point
one way.

Reads the built objects (src/*.o, src/*/*.o; run after the build): an edge
a -> b where a.o uses a symbol b.o defines.  Checks that no files call each
other in a loop, that src/core calls no pipeline, and that a pipeline
reaches src/anon only through what src/anon/anon.h declares.
Prints one line per finding and exits 1 when there is one.
"""
import collections
import glob
import os
import re
import subprocess
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
objs = sorted(glob.glob(os.path.join(top, "src", "*.o")) +
			  glob.glob(os.path.join(top, "src", "*", "*.o")))
if not objs:
	print("not ok  no objects under src/ (build first)")
	sys.exit(1)

defs = {}
uses = collections.defaultdict(set)
for o in objs:
	out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
	for line in out.splitlines():
		parts = line.split()
		if len(parts) == 3 and parts[1] in "TDBRC":
			defs[parts[2]] = o
		elif len(parts) == 2 and parts[0] == "U":
			uses[o].add(parts[1])

edges = collections.defaultdict(set)		# file -> files it calls
symbols = collections.defaultdict(set)		# (a, b) -> symbols
for o, us in uses.items():
	for u in us:
		if u in defs and defs[u] != o:
			edges[o].add(defs[u])
			symbols[(o, defs[u])].add(u)


def name(o):
	return os.path.relpath(o, os.path.join(top, "src"))[:-2]


def folder(o):
	n = name(o)
	return n.split("/")[0] if "/" in n else ""


public = set(re.findall(r"^extern\s+[^;(]*?\**\s*(\w+)\s*\(",
						open(os.path.join(top, "src", "anon", "anon.h")).read(), re.M))
problems = []

# loops (Tarjan's strongly connected components)
index = {}
low = {}
onstack = set()
stack = []
counter = [0]


def strong(v):
	index[v] = low[v] = counter[0]
	counter[0] += 1
	stack.append(v)
	onstack.add(v)
	for w in edges[v]:
		if w not in index:
			strong(w)
			low[v] = min(low[v], low[w])
		elif w in onstack:
			low[v] = min(low[v], index[w])
	if low[v] == index[v]:
		comp = []
		while True:
			w = stack.pop()
			onstack.discard(w)
			comp.append(w)
			if w == v:
				break
		if len(comp) > 1:
			problems.append("files call each other in a loop: " + ", ".join(sorted(name(c) for c in comp)))


sys.setrecursionlimit(10000)
for o in objs:
	if o not in index:
		strong(o)

for a in objs:
	for b in edges[a]:
		fa, fb = folder(a), folder(b)
		if fa == "core" and fb not in ("core",):
			problems.append("core calls a pipeline: %s -> %s" % (name(a), name(b)))
		if fb == "anon" and fa not in ("anon", ""):
			private = sorted(symbols[(a, b)] - public)
			if private:
				problems.append("%s calls src/anon outside anon/anon.h: %s" % (name(a), ", ".join(private)))
		if fa == "restore" and fb == "snapshot" or fa == "snapshot" and fb == "restore":
			problems.append("pipelines call each other: %s -> %s" % (name(a), name(b)))

for p in problems:
	print("not ok  " + p)
if not problems:
	print("ok      %d files, %d calls between them: no loop, core calls no pipeline, anon reached only through anon/anon.h"
		  % (len(objs), sum(len(v) for v in edges.values())))
sys.exit(1 if problems else 0)
