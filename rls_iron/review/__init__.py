"""Clinical review: a printable packet for the reviewer, and sign-offs tied to the exact text.

``records`` fingerprints a file's body and keeps a copy of each reviewed body in
``content/.reviews/``; ``assess`` decides, from the front matter and that record, whether a
page may say it was reviewed. ``frontmatter`` rewrites only the review lines of a file,
``numbers`` finds the clinical numbers a reviewer must check, and ``packet`` puts every
patient file of a language into one document to print.
"""
