"""Daily study: scheduling with FSRS (pure), answering and undo, today's queue, the overview,
the card browser, the review log in and out, and personal parameters fitted to it."""
