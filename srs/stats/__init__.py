"""Statistics: what the learner did, what is coming, how well they remember, by topic."""
