#!/usr/bin/env python3
"""Checks the relative links of the repository's Markdown files: each must name a file or directory that exists, and
an #anchor into a Markdown file must name one of its headings (GitHub's slugs). Links with a scheme (https:, mailto:)
are not followed. Code blocks and code spans are skipped. Exits 1 when a link is broken.

    python3 scripts/check_doc_links.py [files...]      (default: every tracked *.md file)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def prose_lines(path):
    """The file's lines outside fenced code blocks, with code spans blanked."""
    fenced = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if not fenced:
                yield number, re.sub(r"`[^`]*`", "``", line)


def slug(heading):
    text = re.sub(r"`", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen = {}
    result = set()
    for _, line in prose_lines(path):
        match = HEADING.match(line.replace("``", ""))
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f"{base}-{count}")
    return result


def main():
    files = sys.argv[1:] or subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files += [f for f in ("README.md",) if f not in files]
    checked = broken = 0
    for name in files:
        path = os.path.join(ROOT, name)
        for number, line in prose_lines(path):
            for target in LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue
                checked += 1
                file_part, _, anchor = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                problem = None
                if not os.path.exists(resolved):
                    problem = "no such file"
                elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                    problem = "no such heading"
                if problem:
                    broken += 1
                    print(f"{name}:{number}: {target}: {problem}")
    print(f"{checked} relative links in {len(files)} files, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
