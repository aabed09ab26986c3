"""The exam-day plan: a forecast to the exam date and the chance to pass on the day."""

from srs.plan.dates import clear_exam_date, pending_outcome, record_outcome, set_exam_date
from srs.plan.plan import ExamPlan, PlanDay, PlanError, exam_plan

__all__ = [
    "ExamPlan",
    "PlanDay",
    "PlanError",
    "clear_exam_date",
    "exam_plan",
    "pending_outcome",
    "record_outcome",
    "set_exam_date",
]
