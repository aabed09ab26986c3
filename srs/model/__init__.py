"""The values every part speaks: a deck's cards, a card's memory, a deck's settings.

Pure and immutable: no collection, no I/O. Everything else imports these; they import nothing of srs
but the clock.
"""
