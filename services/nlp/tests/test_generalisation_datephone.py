"""Date, time and phone phenomena first met in tests/corpus/batches/datephone-*.jsonl,
checked here in other words than the batch lines that revealed them."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


# --- times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # The 24-hour clock, in digits or words.
        ("Wednesday, 1645 if possible.", "2026-11-25", "16:45"),
        ("Could you do 0815 on Friday?", "2026-11-27", "08:15"),
        ("Tuesday at thirteen fifteen.", "2026-11-24", "13:15"),
        ("Thursday, fourteen hundred hours.", "2026-11-26", "14:00"),
        ("Oh eight hundred, Monday.", "2026-11-30", "08:00"),
        # Recognition dropped the colon.
        ("Friday at 245.", "2026-11-27", "14:45"),
        ("Around 1030 on Wednesday.", "2026-11-25", "10:30"),
    ],
)
def test_24_hour_and_colonless_times(text: str, date: str | None, time: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    "text",
    ["We moved here in 2019, is Thursday okay?", "Unit 1204, Thursday works.",
     "Thursday, I'm in room 1410 at the hospital till then."],
)
def test_years_and_room_numbers_are_not_times(text: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == ("2026-11-26", None)


@pytest.mark.parametrize(
    ("text", "part_of_day"),
    [
        ("Tuesday, near the end of the day.", "afternoon"),
        ("Tuesday, right before you close.", "afternoon"),
        ("Tuesday, your last slot of the day.", "afternoon"),
        ("Tuesday, late in the day works best.", "afternoon"),
        ("Tuesday after supper, if you're open that late.", "evening"),
        ("Tuesday around dinnertime.", "evening"),
    ],
)
def test_end_of_day_and_suppertime(text: str, part_of_day: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == ("2026-11-24", None, part_of_day)


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # A label picked after two labelled numbers.
        ("Office is 416-555-0107, mobile is 647-555-0119. Mobile's better.", "+16475550119"),
        ("My landline's 250-555-0124 and my cell is 250-555-0186, best to call the landline.",
         "+12505550124"),
        ("Work is 780-555-0111, home is 780-555-0193, try home first.", "+17805550193"),
        # No pick: the first number stays.
        ("Cell is 416-555-0107 or home, 416-555-0155.", "+14165550107"),
    ],
)
def test_caller_picks_a_number_by_its_label(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # An area code (or a whole group) said again after a pause or a false start.
        ("Five one four... five one four, five five five, oh one three two.", "+15145550132"),
        ("Seven oh five. Seven oh five, five five five, oh one one eight.", "+17055550118"),
        # "one" as a pronoun is not a digit.
        ("The home one is 204-555-0161.", "+12045550161"),
        ("Hold on one sec. Okay, 604-555-0172.", "+16045550172"),
        ("The new one is four three eight, five five five, oh one four nine.", "+14385550149"),
    ],
)
def test_restated_groups_and_pronoun_one(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 02 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # Provincial and territorial names for holidays.
        ("Fête des Patriotes, at 9.", "2027-05-24", "09:00"),
        ("National Indigenous Peoples Day, in the morning.", "2027-06-21", None),
        ("The Tuesday after Discovery Day.", "2027-08-17", None),
        # "the day after next" is the day after tomorrow; a named day after it is not.
        ("The day after next, at 2.", "2026-11-25", "14:00"),
        # A bare hour set off by a comma after the day.
        ("Thursday the 26th, 9.", "2026-11-26", "09:00"),
        ("Tomorrow, 4, if that works.", "2026-11-24", "16:00"),
        ("Wednesday, at 10, please.", "2026-11-25", "10:00"),
    ],
)
def test_more_holidays_and_bare_hours(text: str, date: str, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A day after "till/until/since" bounds the caller's own plans.
        ("Thursday's good. My sister's visiting until Tuesday, but that's fine.", "2026-11-26"),
        ("Friday, I've been swamped since Monday.", "2026-11-27"),
        ("Can I come the 2nd? I'm travelling through the 1st.", "2026-12-02"),
        # Without another day, a bound names a range of days, not one.
        ("Sometime before Friday.", None),
    ],
)
def test_a_bound_on_the_callers_plans_is_not_the_day(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "part_of_day"),
    [
        ("Thursday, from 9 till noon.", "morning"),
        ("Thursday, between noon and 4.", "afternoon"),
        ("Thursday from noon to 2 pm.", "afternoon"),
    ],
)
def test_ranges_ending_or_starting_at_noon(text: str, part_of_day: str) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == ("2026-11-26", None, part_of_day)


# --- batch 03 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        # a.m./p.m. with no hour is a part of day; with an hour (words or digits) a time.
        ("Wednesday a.m. is best.", "2026-11-25", None, "morning"),
        ("Sometime in the p.m. on Thursday.", "2026-11-26", None, "afternoon"),
        ("Thursday PM.", "2026-11-26", None, "afternoon"),
        ("Nine a.m. Thursday.", "2026-11-26", "09:00", None),
        ("Thursday, quarter past ten a.m.", "2026-11-26", "10:15", None),
        ("I am free Thursday.", "2026-11-26", None, None),
    ],
)
def test_am_pm_without_an_hour(text: str, date: str, time: str | None,
                               part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A day the caller can't do or is busy on.
        ("Could you fit me in Friday? We couldn't make Thursday.", "2026-11-27"),
        ("Tuesday works. Wednesday's no good, I'm in Calgary.", "2026-11-24"),
        ("Friday. Thursday I'm working a double.", "2026-11-27"),
        ("I can't do Friday.", None),
        # Someone else's plans, said after the caller's day.
        ("The 2nd at 10. My daughter has her recital on the 4th.", "2026-12-02"),
        ("Tuesday, and she's away Thursday so it has to be Tuesday.", "2026-11-24"),
        # ... but a day someone else suggests is the day.
        ("Monday? Actually my wife says Wednesday is better.", "2026-11-25"),
        # "I've got the day off": free, not busy.
        ("Tuesday at 9? No, Thursday, I have off Thursday.", "2026-11-26"),
    ],
)
def test_busy_days_and_other_peoples_plans(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


def test_newfoundland_discovery_day_is_in_june() -> None:
    june = dt.datetime.fromisoformat("2027-06-01T10:00:00-02:30")
    assert run("Discovery Day, at 9.", "datetime", june, "America/St_Johns")["date"] == "2027-06-21"
    # Yukon's (and the default) is the third Monday of August.
    assert run("Discovery Day, at 9.", "datetime", june, "America/Whitehorse")["date"] == (
        "2027-08-16")


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Home is 204-555-0171, the cell is 204-555-0126, cell's quickest.", "+12045550126"),
        ("Office 613-555-0114, mobile 613-555-0178, the mobile's more reliable.", "+16135550178"),
        # A fallback is not a pick, and "no" in "if no answer" is not a correction.
        ("Home is 306-555-0145. If I don't pick up, try my cell, 306-555-0189.", "+13065550145"),
        ("Work's 587-555-0120, or if there's no answer, home, 587-555-0133.", "+15875550120"),
        # A group said again from its start after a pause, without "sorry".
        ("Four three eight, five five five, oh two... hang on... oh two six one.",
         "+14385550261"),
        ("Two oh four, five five... let me think... five five five, oh one four four.",
         "+12045550144"),
    ],
)
def test_labels_fallbacks_and_restarts(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 04 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # Months as a unit, and days of a month named relative to this one.
        ("Two months from now.", "2027-01-23"),
        ("In six months' time, for my next cleaning.", "2027-05-23"),
        ("A month from tomorrow.", "2026-12-24"),
        ("In a month or so.", None),
        ("The 3rd of next month.", "2026-12-03"),
        ("This month, the 30th.", "2026-11-30"),
        ("The last day of next month.", "2026-12-31"),
        ("The last business day of January.", "2027-01-29"),
        # "that's a Sunday" names the weekday of a day already said.
        ("The 29th? No wait, that's a Sunday. The Monday after, then.", "2026-11-30"),
        # ... but "on a Monday" after an offset is still the Monday of that week.
        ("In two weeks, on a Thursday.", "2026-12-10"),
    ],
)
def test_months_and_restated_weekdays(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


def test_month_arithmetic_keeps_to_the_months_last_day() -> None:
    jan31 = dt.datetime.fromisoformat("2027-01-31T10:00:00-05:00")
    assert run("A month from today.", "datetime", jan31)["date"] == "2027-02-28"


@pytest.mark.parametrize(
    ("text", "time"),
    [
        # The clinic's hours and the caller's own day are not the time asked for.
        ("Tuesday at 10:30. Do you open at 9?", "10:30"),
        ("Thursday, 4:15. I'm done work at 3:30.", "16:15"),
        ("Monday at 5, I get off at 4.", "17:00"),
        ("Wednesday at 9. Lunch is at 12, right?", "09:00"),
        # ... but a time after "you open" alone is still the time.
        ("What time do you open? 8? Then at 8.", "08:00"),
    ],
)
def test_hours_remarks_do_not_replace_the_time(text: str, time: str) -> None:
    assert run(text, "datetime")["time"] == time


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("416-555-0111 or 647-555-0199, use the second one.", "+16475550199"),
        ("Either 902-555-0131 or 902-555-0177, the first is better.", "+19025550131"),
        ("It's 403-555-0108, and 587-555-0166, try the latter.", "+15875550166"),
    ],
)
def test_number_picked_by_its_place(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 05 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # Day and month without an ordinal suffix.
        ("3 February, at 2.", "2027-02-03", "14:00"),
        ("On 7 January, morning.", "2027-01-07", None),
        ("The 2 of December.", "2026-12-02", None),
        ("On the 12 of May.", "2027-05-12", None),
        ("I may be 5 minutes late, Thursday at 2.", "2026-11-26", "14:00"),
        # "after N days" is "in N days"; "<weekday> fortnight" is two weeks on.
        ("After three days, at 10.", "2026-11-26", "10:00"),
        ("Friday fortnight.", "2026-12-11", None),
        ("A fortnight on Tuesday.", "2026-12-08", None),
        # A bare hour opening the sentence, then the day.
        ("Nine on Friday?", "2026-11-27", "09:00"),
        ("Okay. 4 Thursday, if that's free.", "2026-11-26", "16:00"),
    ],
)
def test_day_month_and_short_forms(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A lone day after "after/before/by" is a range of days.
        ("Anytime after the 10th.", None),
        ("Sometime before Christmas.", None),
        ("By the 4th, ideally.", None),
        # A holiday's week is a week, not the holiday.
        ("Easter week, if you can.", None),
        ("Thanksgiving week, the Wednesday.", "2027-10-13"),
        # ... but "the day after" a holiday and "the Tuesday after" stay days.
        ("The day after Boxing Day.", "2026-12-27"),
        ("After Christmas, so the 28th.", "2026-12-28"),
    ],
)
def test_ranges_bounded_by_a_day(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Thursday at 10:15, I have to pick up my son at 12.", "10:15"),
        ("Friday at 2, my shift starts at 4.", "14:00"),
        ("Monday, 9:30. My bus gets in at 9.", "09:30"),
    ],
)
def test_errands_do_not_replace_the_time(text: str, time: str) -> None:
    assert run(text, "datetime")["time"] == time


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Five one nine, that's the area code, then five five five, oh one seven two.",
         "+15195550172"),
        ("My previous number was 613-555-0115, it doesn't work anymore.", None),
        ("The old one, 613-555-0115, still works.", "+16135550115"),
        ("It used to be 902-555-0140 but they changed it, I'll call back with the new one.",
         None),
    ],
)
def test_area_code_remarks_and_old_numbers(text: str, phone: str | None) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 06 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # An offset counted from the date that follows it.
        ("Three days after Boxing Day.", "2026-12-29"),
        ("A week before the 18th of December.", "2026-12-11"),
        ("Two weeks after Family Day, at 10.", "2027-03-01"),
        ("Ten days from the 1st.", "2026-12-11"),
        # A weekday asked about in general is not a date.
        ("Have you got a Friday open?", None),
        ("Any Thursday works for me.", None),
        # Someone else's appointment, said with a possessive.
        ("Monday the 30th at 9. My son's checkup is the 2nd, separately.", "2026-11-30"),
    ],
)
def test_offsets_from_a_date_and_generic_weekdays(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "time", "part_of_day"),
    [
        ("Wednesday, as early as possible.", None, "morning"),
        ("Wednesday, early please.", None, "morning"),
        ("Wednesday, the earlier the better, I work at noon.", None, "morning"),
        ("Early next week.", None, None),
        ("Wednesday at 5:15, I'm off work at 5.", "17:15", None),
        ("Wednesday at 4, I'm done at 3.", "16:00", None),
    ],
)
def test_early_and_finishing_times(text: str, time: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["time"], got["part_of_day"]) == (time, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Area code 250. Okay? And the rest is 555-0117.", "+12505550117"),
        ("Seven oh nine. Then five five five, oh one six three.", "+17095550163"),
    ],
)
def test_area_code_then_the_rest_said_apart(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 07 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("May long weekend, on the Tuesday.", "2027-05-25"),
        ("The long weekend in August, the Friday.", "2027-07-30"),
        ("The Tuesday after the long weekend in May.", "2027-05-25"),
    ],
)
def test_holidays_named_by_their_weekend(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Thursday at 10, I have class at 1.", "10:00"),
        ("Friday at 3:30, I've got practice at 6.", "15:30"),
        ("Monday at 8, I have a meeting at 9:30.", "08:00"),
    ],
)
def test_caller_engagements_do_not_replace_the_time(text: str, time: str) -> None:
    assert run(text, "datetime")["time"] == time


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # A number the caller rules out.
        ("Home's 905-555-0114, don't use that one, I'm never there. Cell 905-555-0152.",
         "+19055550152"),
        ("416-555-0130 is disconnected. Use 416-555-0171.", "+14165550171"),
        ("Try 780-555-0124. Not 780-555-0142, that one doesn't work anymore.", "+17805550124"),
        # A complete number ends at the full stop; digits after it are something else.
        ("Six one three, five five five, oh one four four. Six one three's Ottawa.",
         "+16135550144"),
        ("Two oh four, five five five, oh one two two. Eighty two years old, me.",
         "+12045550122"),
    ],
)
def test_ruled_out_numbers_and_sentence_ends(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 08 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("Tuesday's out. Wednesday. 10.", "2026-11-25", "10:00"),
        ("Friday, okay? 3?", "2026-11-27", "15:00"),
        ("Friday the 4th. Two people.", "2026-12-04", None),
    ],
)
def test_an_hour_said_as_its_own_sentence(text: str, date: str, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


# --- batch 09 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("Earth Day, in the morning.", "2027-04-22", None),
        ("The day after Groundhog Day, at 3.", "2027-02-03", "15:00"),
        ("The same day next week, if you can.", "2026-11-30", None),
        ("Tomorrow week, at 9.", "2026-12-01", "09:00"),
        ("In a few weeks, no rush.", None, None),
        ("In a couple of days.", "2026-11-25", None),
        # A repair that corrects the time keeps the day said before it.
        ("Quarter to 4 on Wednesday, sorry, I mean quarter past 4.", "2026-11-25", "16:15"),
        # A bare hour closing the sentence after a comma.
        ("The day after Christmas Eve, 11.", "2026-12-25", "11:00"),
        ("The Wednesday after Remembrance Day, 2.", "2027-11-17", "14:00"),
    ],
)
def test_more_named_days_and_repairs(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # The caller's own line over the main one, wherever the label is said.
        ("The reception number is 613-555-0100, my direct line is 613-555-0147.",
         "+16135550147"),
        ("416-555-0100 is the switchboard. Mine's 416-555-0163.", "+14165550163"),
        ("Work's 403-555-0110, but reach me on my personal, 403-555-0176.", "+14035550176"),
        # "that's ..." after a number is a remark, not glue.
        ("Seven eight zero, five five five, oh one one two, that's seven eight zero.",
         "+17805550112"),
        # A final "oh" completes a ten-digit number.
        ("Two five oh five five five oh one six oh, that's home.", "+12505550160"),
    ],
)
def test_own_line_remarks_and_final_oh(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 10 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("Jan. third, 9:30.", "2027-01-03", "09:30", None),
        ("Thursday, anywhere around 1 to 3.", "2026-11-26", None, "afternoon"),
        ("Thursday, around 10 to 4.", "2026-11-26", "15:50", None),
        ("Christmas's a Friday, so the Thursday before.", "2026-12-24", None, None),
        ("Easter's on a Sunday, obviously, so the Tuesday after.", "2027-03-30", None, None),
        ("The Saturday of the Family Day weekend.", "2027-02-13", None, None),
        ("The Tuesday after the long weekend, at 9.", "2027-02-16", "09:00", None),
        ("The Friday before the long weekend.", "2027-02-12", None, None),
    ],
)
def test_month_abbreviations_ranges_and_weekends(text: str, date: str, time: str | None,
                                                  part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


def test_a_new_number_then_the_old_one() -> None:
    text = "The new one's 289-555-0117. The previous one was 289-555-0171."
    assert run(text, "phone")["phone"] == "+12895550117"


# --- batch 11 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("Wednesday, 11 15.", "2026-11-25", "11:15", None),
        ("On the 9, in the morning.", "2026-12-09", None, "morning"),
        ("On the 3 of us? No, just me. Thursday.", "2026-11-26", None, None),
        ("Thursday, 11 or noon.", "2026-11-26", None, "morning"),
        ("Thursday, noon or 2.", "2026-11-26", None, "afternoon"),
        # "next" on its own: the weekday just said, a week on.
        ("Friday. No, next.", "2026-12-04", None, None),
        ("Wednesday after next.", "2026-12-02", None, None),
        # Daylight saving changes anchor a day but are never the day.
        ("The Monday after the clocks spring forward.", "2027-03-15", None, None),
        ("The day after daylight saving ends.", "2027-11-08", None, None),
        ("Tuesday at 9. The clocks change this weekend, right?", "2026-11-24", "09:00", None),
        # A part of day the caller is busy in is not the one asked for.
        ("Thursday afternoon, because mornings I work.", "2026-11-26", None, "afternoon"),
        ("Evenings are bad. Thursday, late morning.", "2026-11-26", None, "morning"),
        ("Thursday, but I can't do the morning, I'll take the evening.", "2026-11-26", None,
         "evening"),
    ],
)
def test_colonless_times_next_dst_and_busy_parts(text: str, date: str | None, time: str | None,
                                                 part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # Homophones of digits inside a number.
        ("Two five oh, five five five, oh one too nine.", "+12505550129"),
        ("Six one three, five five five, oh won for seven.", "+16135550147"),
        ("for three eight, five five five, oh one one one", "+14385550111"),
        # ... but not "to" between a number and a time.
        ("416-555-0123, 2 to 3 is best.", "+14165550123"),
        # Where the caller says they are picks the number.
        ("Cell's 306-555-0101, home's 306-555-0190, I'm usually home.", "+13065550190"),
        # One number in two pieces with a hesitation between.
        ("Five one four, five five five, oh one, um, hold on, seven two.", "+15145550172"),
        # Said back to front.
        ("The last four is 0199, and the first part is 902 555.", "+19025550199"),
    ],
)
def test_homophones_whereabouts_and_pieces(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # A group begun, then said again whole, in one run of digits.
        ("Seven oh five, five five five, zero one... zero one eight two.", "+17055550182"),
        # A tail after a whole number is a correction only when it is one.
        ("519-555-0143, 0134, sorry.", "+15195550134"),
        ("519-555-0143, 9 to 5 weekdays.", "+15195550143"),
    ],
)
def test_restarts_and_tails_in_one_run(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 12 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        # An ordinal word after a weekday or a correction is a day of the month.
        ("Wednesday second, at 10.", "2026-12-02", "10:00"),
        ("The 10th, sorry, eleventh.", "2026-12-11", None),
        ("Friday, second thing, is it a cleaning?", "2026-11-27", None),
        # A weekday said to check a date restates it.
        ("The 3rd? What day is that, Thursday? Okay, the 3rd.", "2026-12-03", None),
        ("The 10th, I think that's a Thursday. Thursday, yes. At 4.", "2026-12-10", "16:00"),
        # A part of day belongs to its own day.
        ("Friday morning, 10, or Tuesday at 4, either.", ["2026-11-27", "2026-11-24"],
         "16:00"),
        # Someone else's time after the caller's.
        ("Thursday at 3, and my son at 3:30 if you can.", "2026-11-26", "15:00"),
        ("Thursday at 3? My wife says 4 is better.", "2026-11-26", "16:00"),
    ],
)
def test_ordinal_words_restated_weekdays_and_others_times(text: str, date: str | list[str],
                                                          time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"] in date if isinstance(date, list) else got["date"] == date)
    assert got["time"] == time


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Four one six, five five five, oh one four four, or was it oh one four seven? Oh one "
         "four seven.", "+14165550147"),
        ("Seven oh five... oh... five five five... oh one three three.", "+17055550133"),
        # A zero said plainly stays a digit.
        ("Seven oh five, oh five five five, oh one three.", None),
    ],
)
def test_or_was_it_and_hesitant_oh(text: str, phone: str | None) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 13 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        # Ages and head counts are not hours.
        ("Thursday, my daughter is 4, so mornings are easier.", "2026-11-26", None, "morning"),
        ("Any openings for 2 on Friday?", "2026-11-27", None, None),
        # Hyphenated "half-past", Quebec's "9h45".
        ("Friday at quarter-to-four.", "2026-11-27", "15:45", None),
        ("Friday, 9h45.", "2026-11-27", "09:45", None),
        ("Friday at 16h.", "2026-11-27", "16:00", None),
        # "so N" closing the thought.
        ("Friday, I have a call at 10, so 1?", "2026-11-27", "13:00", None),
        # "earlier is better", "the Wednesday after this one".
        ("Wednesday, earlier is better.", "2026-11-25", None, "morning"),
        ("The Wednesday after this one.", "2026-12-02", None, None),
        # "X's the day before" states a fact.
        ("Saturday the 26th of December, Christmas is the day before, right? At 10.",
         "2026-12-26", "10:00", None),
    ],
)
def test_ages_quebec_times_and_facts(text: str, date: str, time: str | None,
                                     part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("416-555-0155 is my fax, my phone is 416-555-0156.", "+14165550156"),
        ("Seven eight oh, five five five... how does it go... oh one two one.", "+17805550121"),
    ],
)
def test_fax_numbers_and_forgetful_pauses(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 14 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A second weekday joined by "or" stays in the week just named.
        ("Next week, Tuesday or Wednesday.", ["2026-12-01", "2026-12-02"]),
        ("Wednesday next week, or Thursday.", ["2026-12-02", "2026-12-03"]),
        # A weekday after "after/before <holiday>" is on that side of it.
        ("After Christmas, maybe the Wednesday.", ["2026-12-30"]),
        ("Just before New Year's, like the Tuesday.", ["2026-12-29"]),
    ],
)
def test_weekdays_tied_to_a_week_or_a_holiday(text: str, date: list[str]) -> None:
    assert run(text, "datetime")["date"] in date


# --- batch 15 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        # Recurring days and spans of weekdays are not one date.
        ("Each Friday at 9, if that's possible.", None, "09:00", None),
        ("Every other Wednesday, mornings.", None, None, "morning"),
        ("Tuesday to Thursday, any time after 3.", None, None, "afternoon"),
        ("From Monday till Wednesday.", None, None, None),
        # "N or M from now" is not an hour.
        ("Three or four days from now.", "2026-11-27", None, None),
        ("Thursday, mid-day.", "2026-11-26", "12:00", None),
        ("Thursday, the last thing you have.", "2026-11-26", None, "afternoon"),
    ],
)
def test_recurring_spans_and_midday(text: str, date: str | None, time: str | None,
                                    part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Two five oh, five five five, oh one four... one? No, two. Oh one four two.",
         "+12505550142"),
        ("You guys called from 905-555-0100 yesterday. Mine's 905-555-0166.", "+19055550166"),
        ("I got a call from your number, 613-555-0100, but reach me at 613-555-0129.",
         "+16135550129"),
    ],
)
def test_restated_last_group_and_the_clinics_own_number(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 16 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "part_of_day"),
    [
        ("The earliest appointment Thursday.", "2026-11-26", "morning"),
        ("Earliest on Friday, please.", "2026-11-27", "morning"),
        ("What's the earliest?", None, None),
        # Advice about when to come back is not the day asked for.
        ("The hygienist said to come back in 3 months, so, whenever.", None, None),
        ("In two months, please.", "2027-01-23", None),
    ],
)
def test_earliest_on_a_day_and_recall_advice(text: str, date: str | None,
                                             part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["part_of_day"]) == (date, part_of_day)


# --- batch 17 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "part_of_day"),
    [
        ("During the Easter break, whenever.", None, None),
        ("Over the Thanksgiving holiday.", None, None),
        ("Christmas Eve, morning.", "2026-12-24", "morning"),
        ("Wednesday, before breakfast if you open that early.", "2026-11-25", "morning"),
    ],
)
def test_holiday_seasons_and_breakfast(text: str, date: str | None,
                                       part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["part_of_day"]) == (date, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # Counts are not digits.
        ("It's ten digits: 613 555 0188.", "+16135550188"),
        ("Two kids, one phone: 204-555-0170.", "+12045550170"),
        ("I've got three numbers, use the first, 780-555-0101, 780-555-0102, 780-555-0103.",
         "+17805550101"),
        # Two whole numbers joined by "and" stay two numbers.
        ("It's 306-555-0111 and 306-555-0122 is my husband's.", "+13065550111"),
        # The area code said after the rest.
        ("555-0161 is the rest, and 902's the area code.", "+19025550161"),
        ("226-555-0114, area code 226.", "+12265550114"),
        # A short group with "sorry" after it corrects the tail.
        ("647-555-0163, uh, 0136, sorry.", "+16475550136"),
        ("The second one is my cell: 416-555-0117 or 416-555-0171. The second, use that.",
         "+14165550171"),
    ],
)
def test_counts_pairs_and_late_area_codes(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 18 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("Thursday, 8 morning.", "2026-11-26", "08:00", None),
        ("Thursday, 7 evening.", "2026-11-26", "19:00", None),
        ("Thursday at 1? Or 2. 1 works.", "2026-11-26", "13:00", None),
        ("Thursday morning, we're driving back at 3.", "2026-11-26", None, "morning"),
        ("Next month, the first week, Tuesday.", "2026-12-01", None, None),
        ("The 2nd week of December.", None, None, None),
    ],
)
def test_hour_before_part_of_day_judged_hours_and_week_ordinals(
        text: str, date: str | None, time: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


# --- batch 19 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "part_of_day"),
    [
        ("Could you see me right away?", "2026-11-23", None),
        ("I don't know right now, I'll call back.", None, None),
        ("Friday, once you're open.", "2026-11-27", "morning"),
        ("Wednesday, opening time.", "2026-11-25", "morning"),
        ("Wednesday, if you're open.", "2026-11-25", None),
    ],
)
def test_right_now_and_opening_time(text: str, date: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["part_of_day"]) == (date, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Apartment 9, 613-555-0190.", "+16135550190"),
        ("Suite 12, 416-555-0173.", "+14165550173"),
    ],
)
def test_a_short_number_before_the_phone_number(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 20 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "time", "part_of_day"),
    [
        ("Friday, after 1 ideally, I start at 6.", None, "afternoon"),
        ("Friday, between 9 and 11, I have class at 12.", None, "morning"),
        ("Friday at 3, I start at 6.", "15:00", None),
    ],
)
def test_a_lone_remark_time_leaves_the_span(text: str, time: str | None,
                                            part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["time"], got["part_of_day"]) == (time, part_of_day)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Six one three, five five five, oh one four seven, is it four seven or seven four? "
         "Seven four.", "+16135550174"),
        ("Four three eight, five five five, oh one two two, the Montreal one.", "+14385550122"),
        ("Seven oh five, five five five, oh one nine one, that one.", "+17055550191"),
        # "one" between digits is still a digit.
        ("Seven oh five, five five five, one one nine one.", "+17055551191"),
    ],
)
def test_questions_between_groups_and_pronoun_one(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 21 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Not this Friday but the one after.", "2026-12-04"),
        ("Not Christmas but the day after.", "2026-12-26"),
    ],
)
def test_but_turning_to_the_day_after(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


# --- batch 22 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("Thursday, ten 'til four.", "2026-11-26", "15:50"),
        ("The weekend of the 5th.", None, None),
        ("From the 7th onwards, any day.", None, None),
        ("From the 7th, at 10.", "2026-12-07", "10:00"),
    ],
)
def test_clipped_til_weekends_and_onward(text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Plus three three, six, one two, three four, five six, seven eight.", "+33612345678"),
        ("Plus one six one three, five five five, oh one two two.", "+16135550122"),
        ("519-555-0101 is my cell, 519-555-0110 is the house, the house is better.",
         "+15195550110"),
    ],
)
def test_spoken_plus_and_labels_after_each_number(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 23 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Home is 306-555-0140, work is 306-555-0104. Work, mostly.", "+13065550104"),
        ("Cell 204-555-0177, home 204-555-0171, preferably the home.", "+12045550171"),
    ],
)
def test_a_label_said_with_mostly_or_preferably(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


# --- batch 24 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("The Wednesday between Christmas and New Year's.", "2026-12-30"),
        ("The last Monday before Christmas.", "2026-12-21"),
        ("The last Thursday after Labour Day?", "2027-09-09"),
        ("The last Friday of the month.", "2026-11-27"),
    ],
)
def test_weekday_tied_to_a_range_or_holiday(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


def test_a_count_inside_the_pause_between_groups() -> None:
    text = "Four three eight, five five five, oh one... that's eight numbers... six six."
    assert run(text, "phone")["phone"] == "+14385550166"


# --- batch 25 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "time", "part_of_day"),
    [
        # A span across most of the day names no part of it.
        ("Thursday, any time between 8 and 4.", None, None),
        ("Thursday, 2 to 4.", None, "afternoon"),
        ("Thursday, 8 to 10.", None, "morning"),
        # "ten to four", "five to six" stay times.
        ("Thursday, 10 to 4.", "15:50", None),
        ("Thursday at 5 to 6.", "17:55", None),
        ("10 tonight? Too late? Then Thursday, 8 tonight.", "20:00", None),
    ],
)
def test_spans_of_hours_and_minutes_to(text: str, time: str | None,
                                       part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["time"], got["part_of_day"]) == (time, part_of_day)


# --- batch 26 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Boxing Day, you're closed, right? The day after then.", "2026-12-27"),
        ("The 4th is a Friday? The Monday after then.", "2026-12-07"),
    ],
)
def test_the_day_after_then(text: str, date: str) -> None:
    assert run(text, "datetime")["date"] == date


# --- batch 27 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "tz"),
    [
        ("The Friday after moving day.", "2027-07-02", "America/Montreal"),
        ("The day after Memorial Day.", "2027-07-02", "America/St_Johns"),
        ("The day after Memorial Day.", "2027-06-01", TORONTO),
        ("Sometime in the new year.", None, TORONTO),
        ("After the new year, the 5th.", "2027-01-05", TORONTO),
        ("The day after New Year's Day.", "2027-01-02", TORONTO),
    ],
)
def test_moving_day_memorial_day_and_the_new_year(text: str, date: str | None, tz: str) -> None:
    now = dt.datetime.fromisoformat("2026-11-23T10:15:00-05:00")
    assert run(text, "datetime", now, tz)["date"] == date


def test_a_french_repair_cue_corrects_the_tail() -> None:
    text = ("Quatre cinq zero... four five oh, five five five, oh one two one, pardon, oh one one"
            " two.")
    assert run(text, "phone")["phone"] == "+14505550112"


# --- batch 30 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # "but" as a contrast keeps the day; "any day but" rules it out.
        ("Mornings are hard, but Thursday I could do.", "2026-11-26"),
        ("Any day but Thursday.", None),
        # A weekday after "after that", and "the morning after".
        ("Christmas is the busy one, so after that, the Tuesday.", "2026-12-29"),
        ("Boxing Day? The morning after, then.", "2026-12-27"),
        ("After the long weekend, so Tuesday.", "2027-02-16"),
    ],
)
def test_contrast_after_that_and_the_morning_after(text: str, date: str | None) -> None:
    assert run(text, "datetime")["date"] == date


# --- batch 31 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time", "part_of_day"),
    [
        ("This Friday's no good. Next Friday, 10.", "2026-12-04", "10:00", None),
        ("Not this Wednesday, next Wednesday.", "2026-12-02", None, None),
        ("Thursday, no later than 2.", "2026-11-26", None, "afternoon"),
        ("Thursday, not after noon.", "2026-11-26", None, "morning"),
        ("Thursday at 3? Or 4. 3's best.", "2026-11-26", "15:00", None),
    ],
)
def test_next_after_this_latest_bounds_and_judged_hours(
        text: str, date: str, time: str | None, part_of_day: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"], got["part_of_day"]) == (date, time, part_of_day)


def test_a_group_fixed_then_said_again_whole() -> None:
    text = "Six one three, five five five, oh one eight... no wait, eight one. Oh one eight one."
    assert run(text, "phone")["phone"] == "+16135550181"


# --- batch 32 ----------------------------------------------------------------------------


def test_a_bus_arriving_is_a_remark() -> None:
    assert run("Friday at 11, my train arrives at 10:15.", "datetime")["time"] == "11:00"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Mine's 416-555-0177, but his is 416-555-0171, call him, he books everything.",
         "+14165550171"),
        # Without "call her", the caller's own number stays.
        ("My cell is 416-555-0177, or my husband's, 416-555-0171.", "+14165550177"),
    ],
)
def test_call_her_picks_the_other_persons_number(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


def test_xmas_eve() -> None:
    assert run("The day before Xmas Eve, 9 a.m.", "datetime")["date"] == "2026-12-23"


def test_may_two_four_in_words() -> None:
    assert run("The May two-four weekend, the Saturday.", "datetime")["date"] == "2027-05-22"


# --- batch 36 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("My exams are the 7th to the 11th, so the week after, Tuesday.", "2026-12-15", None),
        ("The 9th is my surgery. The week before, then.", None, None),
        ("Saint Paddy's Day, at 10.", "2027-03-17", "10:00"),
        ("Thanksgiving's the 11th, so the Friday before, the 8th, at 2.", "2027-10-08", "14:00"),
        ("Friday morning, 9 if you can.", "2026-11-27", "09:00"),
    ],
)
def test_week_before_after_restated_day_and_hour_after_part_of_day(
        text: str, date: str | None, time: str | None) -> None:
    got = run(text, "datetime")
    assert (got["date"], got["time"]) == (date, time)


def test_a_label_preference_with_one_labelled_number() -> None:
    text = "I'm at 613-555-0150, or my mobile, 613-555-0105. Mobile's quicker."
    assert run(text, "phone")["phone"] == "+16135550105"


def test_a_weekday_after_the_time_change() -> None:
    now = dt.datetime.fromisoformat("2027-02-22T10:00:00-05:00")
    got = run("After the clocks go forward, the Wednesday.", "datetime", now)
    assert got["date"] == "2027-03-17"


# --- batch 39 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Two oh four, five five five, oh one, and the last two are nine one.", "+12045550191"),
        ("Five one four, cinq cinq cinq, oh one two eight.", "+15145550128"),
        ("Six four seven, five five five, oh one, deux trois.", "+16475550123"),
        # ... but not a French word with no digits beside it.
        ("Un moment... 416-555-0193.", "+14165550193"),
    ],
)
def test_the_last_two_are_and_french_digits(text: str, phone: str) -> None:
    assert run(text, "phone")["phone"] == phone


@pytest.mark.parametrize(
    "text", ["416-555-0123 for the file.", "Call 416-555-0123 to book.", "416-555-0123, un moment."]
)
def test_a_homophone_after_a_whole_number_is_a_word(text: str) -> None:
    assert run(text, "phone")["phone"] == "+14165550123"
