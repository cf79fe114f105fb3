"""A question with a ticket, an idea for the wall, and a save that fails: tapped in the real window."""

from conftest import at_every_window_size, new_records, press, record_count, screen, settle, tap, tile

from kiosk.errors import DiskFullError



@at_every_window_size
def test_question_with_consent_gets_the_next_ticket(app, window_size):
    before = record_count(app)
    tap(app, tile(app, "question"))
    assert app.current == "q_theme"
    tap(app, tile(app, "digital"))
    tap(app, tile(app, "yes"))
    assert app.current == "q_text"
    press(app, "shift", "I", "t", "s", "m", "e", "space", "?")
    tap(app, screen(app).ids.next)
    assert app.current == "q_contact"
    tap(app, tile(app, "yes"))
    assert app.current == "q_name"
    assert screen(app).keyboard.shift  # a name starts with a capital
    press(app, "M", "a", "r", "i", "a")
    tap(app, screen(app).ids.next)
    assert app.current == "q_phone"
    assert screen(app).keyboard.layer == "digits"  # a phone number: a number pad
    press(app, "0", "4", "7", "0", "space", "1", "2", "space", "3", "4", "space", "5", "6")
    tap(app, screen(app).ids.next)
    assert app.current == "done"
    [record] = new_records(app, before)
    assert record["type"] == "question"
    data = record["data"]
    assert (data["theme"], data["talk_today"], data["text"]) == ("digital", True, "Itsme ?")
    assert (data["first_name"], data["phone"]) == ("Maria", "0470 12 34 56")
    done = screen(app)
    assert done.fields == {"ticket": data["ticket"]}
    assert done.ids.ticket_title.text == "Uw nummer" and done.ids.ticket.text == str(data["ticket"])


def test_question_without_contact_never_asks_for_a_name(app):
    before = record_count(app)
    tap(app, tile(app, "question"))
    tap(app, tile(app, "paperwork"))
    tap(app, tile(app, "no"))
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert app.current == "done"
    [record] = new_records(app, before)
    assert record["data"]["text"] == "" and "first_name" not in record["data"]
    assert record["data"]["talk_today"] is False
    # back from the contact question skips nothing it should not: text step again
    tap(app, screen(app).ids.nav.ids.home)


def test_typed_text_is_wiped_when_going_home(app):
    tap(app, tile(app, "question"))
    tap(app, tile(app, "health"))
    tap(app, tile(app, "yes"))
    press(app, "p", "r", "i", "v", "é")
    assert screen(app).ids.field.text == "privé"
    tap(app, screen(app).ids.nav.ids.home)
    tap(app, tile(app, "question"))
    tap(app, tile(app, "health"))
    tap(app, tile(app, "yes"))
    assert screen(app).ids.field.text == ""


@at_every_window_size
def test_an_idea_reaches_the_wall(app, window_size, monkeypatch):
    import dataclasses

    monkeypatch.setattr(app.services, "config", dataclasses.replace(app.services.config, idea_wall="at_once"))
    before = record_count(app)
    tap(app, tile(app, "wall"))
    tap(app, screen(app).ids.new_idea)
    assert app.current == "i_category"
    tap(app, tile(app, "cooking"))
    press(app, "shift", "S", "o", "e", "p")
    tap(app, screen(app).ids.next)
    assert app.current == "i_text"
    tap(app, screen(app).ids.skip)
    tap(app, tile(app, "no"))
    assert app.current == "done"
    [idea] = new_records(app, before)
    assert idea["type"] == "idea" and idea["data"] == {"category": "cooking", "title": "Soep", "text": ""}
    app.end_visit()
    settle(app)
    tap(app, tile(app, "wall"))
    assert any(card.idea_id == idea["id"] and card.title == "Soep" for card in screen(app).ids.cards.children)


def test_a_failed_save_says_so_kindly_and_the_kiosk_goes_on(app, monkeypatch):
    def disk_full(record):
        raise DiskFullError("The disk is full")

    before = record_count(app)
    monkeypatch.setattr(app.services.repo, "add", disk_full)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "skip"))
    tap(app, tile(app, "coffee"))
    assert app.current == "done"
    assert screen(app).error == "This did not work."
    assert screen(app).ids.title.text == "Dit is niet gelukt."
    monkeypatch.undo()
    tap(app, screen(app).ids.nav.ids.home)
    tap(app, tile(app, "checkin"))
    tap(app, screen(app).ids.next)
    tap(app, tile(app, "skip"))
    tap(app, tile(app, "coffee"))
    assert screen(app).error == "" and len(new_records(app, before)) == 1
