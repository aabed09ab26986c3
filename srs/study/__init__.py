"""Daily study: scheduling with FSRS (pure), answering and undo, today's queue, the overview."""
