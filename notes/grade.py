"""Rough reading grade of Markdown pages (temporary helper for writers).
Usage: .venv/bin/python notes/grade.py docs/knee.md [...]"""
import re, sys, textstat
for p in sys.argv[1:]:
    t = open(p, encoding="utf-8").read()
    t = re.sub(r"^---.*?---", "", t, flags=re.S)          # front matter
    t = re.sub(r"```.*?```", "", t, flags=re.S)            # fences
    t = re.sub(r"\[\^[^\]]+\]", "", t)                     # citations
    t = re.sub(r"\{[#:.][^}]*\}", "", t)                   # attr lists
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)         # links
    t = re.sub(r"^(\s*)(!!!|\?\?\?)\+? *\w+( \"[^\"]*\")?", "", t, flags=re.M)
    t = re.sub(r"^[#>*\-| ]+", "", t, flags=re.M)
    print(f"{p}: grade {textstat.flesch_kincaid_grade(t):.1f}")
