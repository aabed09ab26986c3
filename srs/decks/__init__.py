"""The YAML deck format: the strict reader, the validator, import into a collection, export.

Deck files are untrusted input: every problem is reported at once as `path:line:col: message`,
and import is all or nothing.
"""
