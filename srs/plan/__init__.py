"""The exam-day plan: a forecast to the exam date and the chance to pass on the day."""
