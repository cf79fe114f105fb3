"""The flows offer exactly what the core accepts, and skip contact questions without consent."""

from types import SimpleNamespace

from kiosk.core import ideas, question
from kiosk.core.checkin import REASONS
from kiosk.ui import flows


def test_choices_match_the_core():
    assert tuple(c.key for c in flows.THEME_CHOICES) == question.THEMES
    assert tuple(c.key for c in flows.CATEGORY_CHOICES) == ideas.CATEGORIES
    reason_step = next(s for s in flows.CHECKIN.steps if s.name == "checkin_reason")
    assert {c.key for c in reason_step.choices} <= set(REASONS)


def test_contact_steps_only_after_consent():
    name_step = next(s for s in flows.QUESTION.steps if s.name == "q_name")
    assert not name_step.when({"q_contact": "no"})
    assert name_step.when({"q_contact": "yes"})
    assert flows.contact_of("q", {"q_contact": "no", "q_name": "typed then went back"})["first_name"] == ""


def test_every_text_step_has_a_limit_and_every_step_a_unique_name():
    names = [s.name for flow in flows.FLOWS.values() for s in flow.steps]
    assert len(names) == len(set(names))
    assert all(s.max_length > 0 for flow in flows.FLOWS.values() for s in flow.steps if s.kind == "text")


def test_check_in_offers_todays_activities_by_name_instead_of_an_activity():
    step = next(s for s in flows.CHECKIN.steps if s.name == "checkin_reason")
    assert step.choices_for({}) == step.choices == flows.REASON_CHOICES
    walk = SimpleNamespace(uid="walk-1", pictogram="walking", title="Gezondheidswandeling")
    offered = step.choices_for({"_today": [walk]})
    assert [c.key for c in offered] == ["coffee", "question", "activity:walk-1"]
    assert offered[-1].label == "Gezondheidswandeling"
