"""The SQLite collection: opening and checking it, the schema and its migrations, one module of
queries per table group, settings and backups. The only package that writes SQL.
"""
