"""Mock exams: the form, the stored attempt, the engine that runs one, results, and readiness
(the chance to pass), with its probability maths kept pure in `probability`.
"""
