"""The staff overview and the CSV download, on a real server, read back as a person and Excel would."""

from __future__ import annotations

import base64
import csv
import io
from html.parser import HTMLParser

from kiosk.core import daylog
from office_support import ADMIN_PASSWORD, KIOSK, OTHER_KIOSK, office, record, start_office  # noqa: F401 (fixture)


class Page(HTMLParser):
    """The table rows (cell texts), the links and the whole text of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: dict[str, str] = {}
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._href: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self._href = dict(attrs)["href"]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._href is not None:
            self.links.setdefault(data.strip(), self._href)
            self._href = None


def day_of_visits():
    """Records of two days as a kiosk sends them: 3 check-ins, 2 questions, 1 idea; then 1 check-in, 1 smiley."""
    day1 = [
        record(seq=1, created_at="2027-04-20T09:31:00+02:00"),
        record(seq=2, created_at="2027-04-20T09:45:10+02:00", type="question",
               data={"theme": "paperwork", "talk_today": True, "text": "=HYPERLINK(\"http://x\")"}),
        record(seq=3, created_at="2027-04-20T10:02:00+02:00", data={"adults": 1, "children": 3}),
        record(seq=4, created_at="2027-04-20T10:15:00+02:00", type="idea", data={"title": "Soep op woensdag; één keer"}),
        record(seq=5, created_at="2027-04-20T11:00:00+02:00", type="question", data={"theme": "digital"}),
        record(seq=6, created_at="2027-04-20T11:30:00+02:00", data={"adults": 1, "children": 0}),
    ]
    day2 = [
        record(seq=7, created_at="2027-04-21T09:00:00+02:00"),
        record(seq=8, created_at="2027-04-21T09:05:00+02:00", type="feedback", data={"smiley": 4}),
    ]
    return day1, day2


def test_the_overview_is_for_staff_only(office):
    assert office.get("/").status_code == 401
    wrong = office.get("/", auth=("kantoor", "koffie"))
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Basic")
    assert "office password" in wrong.json()["error"]
    assert office.get("/export/%s/2027-04-20.csv" % KIOSK).status_code == 401
    # requests sends Latin-1, browsers send UTF-8 (the page asks for it): both work.
    assert office.get("/", staff=True).status_code == 200
    utf8 = base64.b64encode(f"kantoor:{ADMIN_PASSWORD}".encode("utf-8")).decode()
    assert office.get("/", headers={"Authorization": f"Basic {utf8}"}).status_code == 200


def test_without_a_password_the_overview_is_off(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_OFFICE_ADMIN_PASSWORD", raising=False)
    office = start_office(tmp_path, admin_password=None)
    try:
        response = office.get("/", auth=("kantoor", ""))
        assert response.status_code == 403
        assert "KIOSK_OFFICE_ADMIN_PASSWORD" in response.json()["error"]
        assert office.get("/export/%s/2027-04-20.csv" % KIOSK).status_code == 403
    finally:
        office.server.close()


APRIL = "/?period=custom&from=2027-04-01&to=2027-04-30"


def test_the_overview_counts_per_kiosk_and_day_and_shows_the_last_report(office):
    day1, day2 = day_of_visits()
    status = {"pending": 12, "version": "<script>alert(1)</script>", "clock_ok": False, "free_disk_bytes": 2_500_000_000}
    assert len(office.upload(day1 + day2, status=status).json()["accepted"]) == 8
    with office.store() as store:
        store.add_kiosk(OTHER_KIOSK)

    response = office.get(APRIL, staff=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    page = Page(html)
    start = page.rows.index(["Dag", "Aanmeldingen", "Vragen", "Ideeën", "Steun voor ideeën", "Tevredenheid",
                             "Inschrijvingen", "Afgehandeld", "Inschrijvingen geannuleerd", "Aanwezig gemeld",
                             "Ideeënmuur: beslissingen", "Bezoekers bij aanmelding", "Download"])
    assert page.rows[start + 1:start + 3] == [
        ["wo 21/04/2027", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "3", "CSV"],
        ["di 20/04/2027", "3", "2", "1", "0", "0", "0", "0", "0", "0", "0", "8", "CSV"],
    ]
    text = " ".join(page.text)
    assert f"Kiosk {KIOSK}" in text and f"Kiosk {OTHER_KIOSK}" in text
    assert "nog nooit" in text  # the other kiosk never sent anything
    # The kiosk said 12 to send with a batch of 8: 4 remain, said just now.
    kiosks = page.rows.index(["Kiosk", "Bezoeken", "Personen", "Vragen", "Ideeën", "Laatst gezien", "Nog te versturen"])
    theirs, ours = page.rows[kiosks + 1], page.rows[kiosks + 2]  # by name
    assert ours[:5] == [KIOSK, "4", "11", "2", "1"] and ours[6] == "4 (gemeld zonet)"
    assert theirs[0] == OTHER_KIOSK and theirs[6] == "nog niets ontvangen"
    for shown in ("Nog te versturen", "4 (gemeld zonet)", "Klok juist", "nee", "2.5 GB", "<script>alert(1)</script>"):
        assert shown in text
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_csv_download_is_the_kiosks_own_day_log(office):
    day1, _ = day_of_visits()
    office.upload(list(reversed(day1)))  # the order of arrival does not matter: the kiosk's order counts
    page = Page(office.get(APRIL, staff=True).text)
    link = page.links["CSV"]
    assert link == f"/export/{KIOSK}/2027-04-20.csv"

    response = office.get(link, staff=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="ter-plekke-{KIOSK}-2027-04-20.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content == daylog.to_csv(day1).encode("utf-8")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Tijdstip", "Soort", "Locatie", "Volgnummer", "Klok juist", "Kiosk", "Id"]
    assert [row[6] for row in rows[1:-1]] == [r["id"] for r in day1]
    assert rows[1][:2] == ["20/04/2027 09:31:00", "aanmelding"]
    assert rows[2][1] == "vraag" and "'=HYPERLINK(\"http://x\")" in rows[2]
    assert "Soep op woensdag; één keer" in rows[4]
    assert rows[-1] == [daylog.PRIVACY_REMINDER]


def test_a_day_without_records_is_an_empty_log_and_strangers_are_404(office):
    empty = office.get(f"/export/{KIOSK}/2027-05-01.csv", staff=True)
    assert empty.status_code == 200 and empty.content == daylog.to_csv([]).encode("utf-8")
    for path in (f"/export/{OTHER_KIOSK}/2027-04-20.csv", f"/export/{KIOSK}/yesterday.csv",
                 f"/export/{KIOSK}/2027-02-30.csv"):
        response = office.get(path, staff=True)
        assert response.status_code == 404, path
        assert response.json()["error"]


def test_staff_decisions_on_the_idea_wall_show_per_day_and_in_the_report(office):
    """Approving and hiding ideas on the kiosk sends ``moderation`` records: the overview counts them."""
    idea = record(seq=1, type="idea", created_at="2027-04-20T10:15:00+02:00", data={"title": "Petanque"})
    decisions = [record(seq=2, type="moderation", created_at="2027-04-20T11:00:00+02:00",
                        data={"idea": idea["id"], "action": "approve"}),
                 record(seq=3, type="moderation", created_at="2027-04-20T11:05:00+02:00",
                        data={"idea": idea["id"], "action": "hide"}),
                 record(seq=4, type="moderation", created_at="2027-04-20T11:06:00+02:00",
                        data={"idea": idea["id"], "action": "approve"})]
    assert len(office.upload([idea, *decisions]).json()["accepted"]) == 4
    page = Page(office.get(APRIL, staff=True).text)
    heading = next(row for row in page.rows if row and row[0] == "Dag")
    [day] = [row for row in page.rows if row and row[0] == "di 20/04/2027"]
    assert day[heading.index("Ideeënmuur: beslissingen")] == "3" and day[heading.index("Ideeën")] == "1"
    assert ["Ideeën op de muur gezet", "2"] in page.rows and ["Ideeën verborgen", "1"] in page.rows
    report = office.get("/report.json?from=2027-04-01&to=2027-04-30", staff=True).json()
    assert (report["ideas"], report["ideas_approved"], report["ideas_hidden"]) == (1, 2, 1)
