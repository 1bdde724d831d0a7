"""App Home: an absent member signs the agreement from Home; an outsider sees a friendly empty state."""

from __future__ import annotations

from storage.models import Signature
from tests.harness import CHANNEL
from tests.steps import card_text, posted, set_up_group, start_meeting


def _home_text(fake, user):
    return " ".join(
        b.get("text", {}).get("text", "") if isinstance(b.get("text"), dict) else ""
        for b in (fake.home_view(user) or {}).get("blocks", []))


def test_an_absent_member_signs_the_agreement_from_app_home(bot, driver, fake, db):
    set_up_group(driver, fake)
    driver.command("UCHAIR", CHANNEL, "/group", "role <@UHW> member organisation Healthwatch")
    start_meeting(driver, fake)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto agreement")
    card = posted(fake, "Partnership agreement", after=mark)
    driver.click_button("UCHAIR", CHANNEL, card["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UCHAIR", fake.last_view("UCHAIR"), {"text": "We listen, and we follow through."})
    published = posted(fake, "Partnership agreement · version 1", after=mark)

    mark = fake.mark()
    driver.app_home_opened("UHW")
    fake.wait_for("views.publish", after=mark, user_id="UHW")
    shown = _home_text(fake, "UHW")
    assert "Southwark Care Home Strategy Group" in shown and "waiting for your signature" in shown
    assert "We listen, and we follow through." in shown

    mark = fake.mark()
    driver.click_home_button("UHW", "Sign the agreement")
    fake.wait_for("views.publish", after=mark, user_id="UHW")
    assert db.one(Signature).user_id == "UHW"
    assert "waiting for your signature" not in _home_text(fake, "UHW")
    fake.wait_until(lambda: "Signed (1):* Grace Lee" in card_text(fake, published))
    fake.wait_until(lambda: any("you have signed version 1" in (m.get("text") or "") for m in fake.dms("UHW")))


def test_someone_in_no_group_sees_how_they_will_get_one(bot, driver, fake):
    mark = fake.mark()
    driver.app_home_opened("UOUTSIDER")
    fake.wait_for("views.publish", after=mark, user_id="UOUTSIDER")
    assert "not in a Care Home Strategy Group yet" in _home_text(fake, "UOUTSIDER")
