"""Personal details on this kiosk (names, phone numbers, question texts), each with "Erase"."""

from __future__ import annotations

import logging

from kivy.app import App
from kivy.properties import BooleanProperty, DictProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.privacy import PERSONAL_FIELDS, personal_records
from kiosk.errors import KioskError
from kiosk.i18n import N_
from kiosk.ui.staff.page import StaffPage, phone_on_one_line

log = logging.getLogger(__name__)

#: How a record with personal details is named for staff.
KIND_WORDS = {
    "question": N_("Question {label}"),
    "signup": N_("Sign-up: {label}"),
    "idea": N_("Idea: {label}"),
}


class PersonalCard(BoxLayout):
    """One record with personal details. "Erase" asks once more before it erases."""

    record_id = StringProperty("")
    record_type = StringProperty("")
    day = StringProperty("")
    when = StringProperty("")
    """"20/04 10:42"."""

    kind = StringProperty("")
    """Message id naming the record, with ``{label}``."""

    label = StringProperty("")
    details = DictProperty()
    """field -> value: first_name, phone, text."""

    confirming = BooleanProperty(False)
    """True after the first tap on "Erase": the next tap erases."""

    def erase(self) -> None:
        if not self.confirming:
            self.confirming = True
            return
        App.get_running_app().staff.erase(self.day, self.record_id, self.record_type)

    def shown_details(self) -> str:
        parts = [self.details.get("first_name", ""), phone_on_one_line(self.details.get("phone", ""))]
        text = self.details.get("text", "")
        if text:
            parts.append("“" + (text if len(text) <= 80 else text[:77] + "...") + "”")
        return "  ·  ".join(part for part in parts if part)


class PersonalDataScreen(StaffPage):
    """Filled with :class:`kiosk.core.privacy.PersonalRecord` items through :meth:`show_records`."""

    def refresh(self) -> None:
        repo = self.staff.services.repo
        self.show_records(personal_records([r for day in repo.days() for r in repo.records_for_day(day)]))

    def erase(self, day: str, record_id: str, record_type: str) -> None:
        try:
            done = self.staff.services.repo.erase_personal(day, record_id, PERSONAL_FIELDS.get(record_type, ()))
        except KioskError as error:
            log.error("erasing personal details failed: %s", error)
            self.say(N_("This did not work."), "problem")
            return
        self.refresh()
        if done.uploaded:
            self.say(N_("Erased on this kiosk. The office already had these details: ask the office to erase them too."))
        else:
            self.say(N_("Erased. The numbers of the day stay."))

    def show_records(self, items) -> None:
        box = self.ids.cards
        box.clear_widgets()
        for item in items:
            box.add_widget(PersonalCard(
                record_id=item.id, record_type=item.type, day=item.day,
                when=f"{item.created_at[8:10]}/{item.created_at[5:7]} {item.created_at[11:16]}",
                kind=KIND_WORDS.get(item.type, "{label}"), label=item.label, details=item.details,
            ))

    def cards(self) -> list[PersonalCard]:
        return list(reversed(self.ids.cards.children))

    def reset(self) -> None:
        super().reset()
        self.ids.cards.clear_widgets()
