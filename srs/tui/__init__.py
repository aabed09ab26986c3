"""The Textual study app: a thin shell over the engines in `srs` (the only Textual user)."""
