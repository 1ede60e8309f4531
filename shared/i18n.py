"""What emails and the pages behind their links say, and dates written the way each
language writes them. The English source texts are here; every other language is a
gettext catalogue (``shared.catalogue``). Pure data and formatting; no I/O but reading
the catalogues.

A trainee chooses their email language on the form; a mentor gets their first listed
language when it is one we have, else English.
"""
from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_date, format_datetime, get_day_names
from babel.numbers import format_decimal
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from shared.catalogue import Messages, _m, _p, locales
from shared.geo import country_name, language_name
from shared.zones import zone


def locale_for(languages: list[str], chosen: str | None = None) -> str:
    ours = locales()
    if chosen in ours:
        return chosen
    return next((code for code in languages if code in ours), "en")


def when(iso: str, tz: str, locale: str) -> str:
    """A time in the recipient's zone and language, with the zone named: "mardi 24 novembre
    2026 à 19:00 (Europe/Paris, UTC+01:00)". The pattern (CLDR's, names from Babel) is
    each catalogue's ``when_format``: a 24-hour clock, the weekday spelled out."""
    dt = datetime.fromisoformat(iso).astimezone(zone(tz))
    offset = dt.strftime("%z")
    text = format_datetime(dt, T.text("when_format", locale), tzinfo=dt.tzinfo, locale=locale)
    return f"{text} ({tz}, UTC{offset[:3]}:{offset[3:]})"


def day(iso: str, tz: str, locale: str) -> str:
    """A date alone, short, as the locale writes it (Babel): "31 Mar 2027", "31 mars 2027"."""
    return format_date(datetime.fromisoformat(iso).astimezone(zone(tz)).date(), format="medium", locale=locale)


# Each message: its key → the English text, with {placeholders}.
T = Messages("", {
    # A CLDR date pattern (quoted words are literal): "Tuesday 24 November 2026, 19:00".
    "when_format": _m("EEEE d MMMM y, HH:mm"),
    "hello": _m("Hello {name},"),
    "signoff": _m("— Twoshot"),
    "your_zone": _m("in your time zone"),
    "video_room": _m("Video room"),
    "join": _m("Join the video room"),
    "calendar_note": _m("The attached invitation updates your calendar."),
    "cancel": _m("Cancel"),
    "reschedule": _m("Choose another time"),
    "accept": _m("Accept"),
    "decline": _m("Decline"),
    "propose": _m("Propose another time"),
    # The invite, to the mentor
    "invite_subject": _m("Critique session request from {trainee} — {when}"),
    "invite_intro": _m("{trainee} ({country}) would like a critique session with you, on {discipline}."),
    "wants": _m("They want to work on: {skills}"),
    "in_their_words": _m("In their words: {goals}"),
    "sample": _m("Their work sample: {url}"),
    "proposed_time": _m("Proposed time: {when} ({minutes} minutes)."),
    "answer_by": _m("Please answer by {when}."),
    # Reminder that an invite expires
    "expiring_subject": _m("Reminder: {trainee} is waiting for your answer"),
    # Confirmed, to both
    "confirmed_subject": _m("Confirmed: critique session with {other} — {when}"),
    "confirmed_body": _m("Your critique session on {discipline} with {other} is confirmed for {when}."),
    # Rescheduled, to both
    "moved_subject": _m("New time: critique session with {other} — {when}"),
    # Moved once both agreed: to whoever asked (the other accepted), and to the one who accepted
    "moved_body_self": _m("{other} accepted the new time: your critique session on {discipline} is now on {when}."),
    "moved_body": _m("You accepted the new time {other} asked for: your critique session on {discipline} is now "
                     "on {when}."),
    # A new time one of them asks for a confirmed session, to the other
    "move_subject": _m("{other} asks to move your critique session to {when}"),
    "move_body": _m("{other} asks to move your critique session on {discipline} from {now} to {new}. It stays on "
                    "{now} unless you accept the new time."),
    "move_accept": _m("Accept the new time"),
    "move_keep": _m("Keep the current time"),
    # The other keeps the current time, to whoever asked
    "move_kept_subject": _m("{other} keeps your critique session on {when}"),
    "move_kept_body": _m("{other} cannot make {new}, so your session stays on {now}. You can ask for another time."),
    # A slot the mentor proposed, to the trainee
    "slot_subject": _m("{other} proposes a time for your critique session — {when}"),
    "slot_body": _m("{other} cannot make the first time and proposes {when}. Does it suit you?"),
    # Cancelled, to both
    "cancel_subject": _m("Cancelled: critique session with {other} — {when}"),
    "cancel_body_self": _m("You cancelled your critique session on {discipline} with {other} on {when}."),
    "cancel_body": _m("{other} cancelled your critique session on {discipline} on {when}."),
    "cancel_body_programme": _m("Your critique session on {discipline} with {other} on {when} is cancelled: the "
                                "other person is no longer in the programme."),
    # Reminders before a confirmed session
    "soon_subject": _m("Reminder: critique session with {other} {lead} — {when}"),
    "lead_24h": _m("tomorrow"),
    "lead_1h": _m("in one hour"),
    # After the session
    "critique_subject": _m("How did it go with {other}? Write your critique"),
    "critique_body": _m("Thank you for mentoring {other}. Your critique helps them most while the session is fresh."),
    "write_critique": _m("Write the critique"),
    "rate_subject": _m("Rate your session with {other}"),
    "rate_body": _m("How useful was your session with {other}? Your rating improves future matches."),
    "status_link": _m("Your request's page (status, critique): {url}"),
    # As soon as a request is accepted: the way back to its page, whatever happens to the tab
    "received_subject": _m("We have your request for a mentor"),
    "received_body": _m("We have your request for a mentor in {discipline}. We are looking for one who shares a "
                        "language with you and has time in common with you; we will write to you at each step."),
    "received_cohort": _m("Your programme code is {code}: programme staff match your group together, so your "
                          "mentor may take a few days."),
    "received_keep": _m("Keep this email: its link opens your request's page on any device."),
    "received_button": _m("Follow your request"),
    "rate": _m("Rate the session"),
    "critique_ready_subject": _m("{other} has written your critique"),
    "next_steps": _m("Next steps"),
    "notes": _m("Notes on your reel"),
})


# The pages behind the links in emails (sessions service).
T.update({
    "page_accept": _m("Accept this critique session?"),
    "page_decline": _m("Decline this critique session?"),
    "page_propose": _m("Propose another time"),
    "page_accept-slot": _m("Does this new time suit you?"),
    "page_decline-slot": _m("Decline the proposed time?"),
    "page_cancel": _m("Cancel this session?"),
    "page_reschedule": _m("Choose another time"),
    "page_accept-move": _m("Accept the new time?"),
    "page_decline-move": _m("Keep the current time?"),
    "page_move_hint": _m("The session moves only when {name} accepts the new time; until then it stays as it is."),
    "page_critique": _m("Your critique"),
    "page_rate": _m("Rate your session"),
    "page_with": _m("Critique session on {discipline} with {name} ({country})."),
    "page_when": _m("When"),
    "page_current": _m("Current time"),
    "page_proposed": _m("Proposed time"),
    "page_zone": _m("Shown in your time zone."),
    "page_check": _m("Please check the field(s) marked below."),
    "page_times": _m("Times you can both make"),
    "page_no_times": _m("No other time fits both of you in the next weeks."),
    "page_message": _m("Message to {other} (optional; the programme reads it too)"),
    "page_reason": _m("Reason (optional; only the programme reads it)"),
    "their_message": _m("{other} wrote: “{message}”"),
    "page_propose_button": _m("Propose this time"),
    "page_move_button": _m("Ask for this time"),
    "page_button_accept": _m("Accept the session"),
    "page_button_decline": _m("Decline the session"),
    "page_button_accept-slot": _m("Accept the new time"),
    "page_button_decline-slot": _m("Decline the new time"),
    "page_button_cancel": _m("Cancel the session"),
    "page_button_accept-move": _m("Accept the new time"),
    "page_button_decline-move": _m("Keep the current time"),
    "page_score_hint": _m("Score each line from 1 (needs a lot of work) to 5 (excellent), and say why."),
    "page_score": _m("Score"),
    "page_comment": _m("Comment"),
    "page_choose": _m("Choose…"),
    "page_notes": _m("Notes on the reel, one per line as mm:ss (or h:mm:ss) and the note"),
    "page_note_unread": _m("Not understood: “{line}”"),
    "page_notes_hint": _m("e.g. 01:25 focus drifts off the eyes on the close-up"),
    "page_open_reel": _m("open the reel"),
    "page_send_critique": _m("Send the critique"),
    "page_how_useful": _m("How useful was the session?"),
    "page_comment_optional": _m("Comment (optional)"),
    "page_send_rating": _m("Send my rating"),
    "done_critique": _m("Critique sent"),
    "done_critique_body": _m("Thank you. {name} can read it now."),
    "done_rating": _m("Thank you for your rating"),
    "done_moved": _m("Session moved"),
    "done_move_asked": _m("New time asked for"),
    "done_move_asked_body": _m("We have asked {name} whether {when} suits them. Until they accept, your session "
                               "stays as it is."),
    "done_move_kept": _m("The session stays as it is"),
    "done_move_kept_body": _m("We have told {name} that you keep {when}."),
    "done_confirmed": _m("Session confirmed"),
    "done_meet": _m("You will meet {name} on {when}."),
    "done_emailed": _m("We have emailed you both a calendar invitation."),
    "done_proposed": _m("Time proposed"),
    "done_proposed_body": _m("We have asked {name} whether {when} suits them."),
    "done_cancelled": _m("Session cancelled"),
    "done_cancelled_body": _m("We have told {name}. The email we sent each of you removes it from your calendar "
                              "when opened."),
    "done_declined": _m("Session declined"),
    "done_declined_body": _m("Thank you for letting us know."),
    "done_next_mentor": _m("We will find {name} another mentor."),
})

# Any page, while a dependency is away (HTTP 503).
T.update({
    "unavailable_title": _m("Please try again in a moment"),
    "unavailable_body": _m("We cannot save anything right now because part of our service is restarting. Nothing "
                           "you sent was lost or saved twice: please send it again in a few seconds."),
})

# A JSON API's answer to a body its schema refuses (HTTP 422, shared.openapi.unprocessable);
# "fields" is the name of the answer's member that holds each field's messages.
T.update({
    "fields_invalid": _m("Some fields are not valid; see fields."),
})

# The intake form and status page (intake service).
T.update({
    "form_title": _m("Ask for a mentor"),
    "form_intro": _m("Tell us what you work on and when you are free. We match you with a mentor from a partner "
                     "country and set up a remote critique session."),
    "form_name": _m("Your name"),
    "form_email": _m("Your email address"),
    "form_country": _m("Country you work in"),
    "form_timezone": _m("Your time zone"),
    "form_timezone_hint": _m("We show every time to you in this zone."),
    "form_zones_here": _m("In the country you chose"),
    "form_zones_all": _m("All time zones"),
    "form_languages": _m("Languages you can be mentored in"),
    "form_locale": _m("Language for our emails"),
    "form_discipline": _m("Discipline"),
    "form_skills": _m("Skills you want to work on"),
    "form_skills_hint": _m("Separate them with commas, e.g. focus pulling, night exteriors on limited power, boom operation."),
    "form_goals": _m("What do you want to get better at?"),
    "form_reel": _m("Link to your reel or a work sample (optional)"),
    "form_cohort": _m("Programme code (optional)"),
    "form_cohort_hint": _m("If your exchange programme gave you a code, enter it: the programme then matches its trainees together."),
    "form_availability": _m("When are you free each week? (your local time)"),
    "form_from": _m("from"),
    "form_to": _m("to"),
    "form_about": _m("About you (optional)"),
    "form_about_hint": _m("Programmes use this only to make access to mentors fairer. Leave it empty if you prefer."),
    "form_gender": _m("Gender, in your own words"),
    "form_under": _m("Are you part of a group under-represented in your local industry?"),
    "form_prefer_not": _m("Prefer not to say"),
    "form_yes": _m("Yes"),
    "form_no": _m("No"),
    "form_background": _m("Anything else about your background you want the programme to know"),
    "form_consent": _m("I agree that Twoshot stores these answers and uses them for fairer matching."),
    "form_submit": _m("Ask for a mentor"),
    "form_check": _p("Please check the {n} field marked below.", "Please check the {n} fields marked below."),
    "status_title": _m("Your mentorship request"),
    "status_number": _m("Request number"),
    "status_keep": _m("keep this page's link to come back."),
    "status_history": _m("What happened"),
    "status_refresh": _m("This page updates by itself every few seconds."),
    "status_refresh_link": _m("Refresh now"),
    "status_critique": _m("Your critique"),
    "step_requested": _m("Requested"),
    "step_matched": _m("Matched"),
    "step_invited": _m("Invited"),
    "step_confirmed": _m("Confirmed"),
    "step_completed": _m("Completed"),
    "step_critiqued": _m("Critiqued"),
    # The status timeline: {name} {country} {when} {reason} {rating} {code} are filled at display time.
    "st_requested": _m("We have your request and are looking for a mentor."),
    "st_held": _m("We have your request. Your programme ({code}) matches its trainees together; you will hear from us when it does."),
    "st_matched": _m("We matched you with {name} ({country})."),
    "st_unmatched": _m("We could not find a mentor yet: {reason}"),
    "st_invited": _m("{name} has been invited to a session on {when}."),
    "st_confirmed": _m("Confirmed: your session is on {when}."),
    "st_declined": _m("The mentor could not take this session; we are finding another."),
    "st_no_overlap": _m("Your free times did not overlap with the mentor's; we are finding another."),
    "st_expired": _m("The mentor did not answer in time; we are finding another."),
    "st_slot": _m("{name} proposed another time, {when}: answer with the links in your email."),
    "st_moved": _m("Moved: your session is now on {when}."),
    "st_move_asked": _m("A new time was asked for, {when}; the session stays as it is until both agree."),
    "st_move_kept": _m("The new time was not taken: your session stays on {when}."),
    "st_cancelled_mentor": _m("The mentor cancelled the session. We are finding another mentor."),
    "st_cancelled_programme": _m("Your mentor is no longer in the programme, so the session is cancelled. We are "
                                 "finding another mentor."),
    "st_cancelled_trainee": _m("You cancelled the session."),
    "st_completed": _m("Your session has taken place. Your mentor will send a critique."),
    "st_critiqued": _m("{name} sent your critique."),
    "st_rated": _m("Thank you for rating the session ({rating}/5)."),
})

# Validation messages, by their English text (what the schemas say) → key.
ERRORS = Messages("error", {
    "Choose one of the languages on the list.": _m("Choose one of the languages on the list."),
    "Enter an email address like name@example.org.": _m("Enter an email address like name@example.org."),
    "Choose a country from the list.": _m("Choose a country from the list."),
    "Choose a time zone such as Africa/Lagos or America/Bogota.": _m("Choose a time zone such as Africa/Lagos or America/Bogota."),
    "Choose at least one language.": _m("Choose at least one language."),
    "Give at least one weekly time when you are free.": _m("Give at least one weekly time when you are free."),
    "Choose your discipline from the list.": _m("Choose your discipline from the list."),
    "Name between 1 and 12 skills you want to work on.": _m("Name between 1 and 12 skills you want to work on."),
    "Tell the mentor what you want to get better at (10 to 2000 characters).": _m("Tell the mentor what you want to get better at (10 to 2000 characters)."),
    "Enter a full link starting with https://, or leave it empty.": _m("Enter a full link starting with https://, or leave it empty."),
    "Tick the consent box to share this, or leave these answers empty.": _m("Tick the consent box to share this, or leave these answers empty."),
    "Give both a start and an end time, or neither.": _m("Give both a start and an end time, or neither."),
    "The window must end after it starts.": _m("The window must end after it starts."),
    "Missing data for required field.": _m("This is needed."),
    "A name cannot contain line breaks or control characters.": _m("A name cannot contain line breaks or control characters."),
    "Enter a name of up to 120 characters.": _m("Enter a name of up to 120 characters."),
    "Use the code your programme gave you (letters, digits, - and _).":
        _m("Use the code your programme gave you (letters, digits, - and _)."),
    "Use HH:MM, 24-hour.": _m("Use HH:MM, 24-hour."),
    # The mentor's sign-up and profile page.
    "Give a number of sessions from 0 to 40.": _m("Give a number of sessions from 0 to 40."),
    "Choose at least one discipline.": _m("Choose at least one discipline."),
    "Name at least one skill you can mentor, with its level.": _m("Name at least one skill you can mentor, with its level."),
    # The staff console's policy form (services/matching).
    "The minimum shares add up to more than 1.": _m("The minimum shares add up to more than 1."),
    "Not a mentor's id.": _m("Not a mentor's id."),
    "Not a valid number.": _m("Not a valid number."),
    "Must be between 0 and 1.": _m("Must be between 0 and 1."),
    "Change at least one weight or fairness setting.": _m("Change at least one weight or fairness setting."),
    "Say why, in 3 to 500 characters: the audit log keeps it.":
        _m("Say why, in 3 to 500 characters: the audit log keeps it."),
    # The sessions forms: a critique, a rating, another time (services/sessions).
    "Give a score from 1 to 5.": _m("Give a score from 1 to 5."),
    "Name the equipment or software (up to 200 characters).":
        _m("Name the equipment or software (up to 200 characters)."),
    "Give the recommended value or practice (up to 500 characters).":
        _m("Give the recommended value or practice (up to 500 characters)."),
    "Enter a full web address starting with https://.": _m("Enter a full web address starting with https://."),
    "Suggest next steps for the trainee (10 to 4000 characters).":
        _m("Suggest next steps for the trainee (10 to 4000 characters)."),
    "At most 100 notes.": _m("At most 100 notes."),
    "Choose from 1 to 5 stars.": _m("Choose from 1 to 5 stars."),
    "Choose one of the times.": _m("Choose one of the times."),
    "Write each note as mm:ss (or h:mm:ss) and the note, e.g. 01:25 soft focus on the close-up.":
        _m("Write each note as mm:ss (or h:mm:ss) and the note, e.g. 01:25 soft focus on the close-up."),
})

# What marshmallow itself says when a schema gives no message of its own (its default
# messages, with the numbers it fills in): matched by shape, so a value typed into a form
# that our messages do not foresee (text over a limit, a hand-made POST) is still answered
# in the reader's language. Keys are marshmallow's templates; tests/unit/test_form_errors.py
# checks them against the installed marshmallow.
LIBRARY_ERRORS = Messages("error_library", {
    "Field may not be null.": _m("This is needed."),
    "Not a valid string.": _m("Enter text here."),
    "Not a valid utf-8 string.": _m("Enter text here."),
    "Not a valid integer.": _m("Enter a whole number."),
    "Number too large.": _m("This number is too large."),
    "Special numeric values (nan or infinity) are not permitted.": _m("Enter a number."),
    "Not a valid list.": _m("This answer is not in a form we can read."),
    "Not a valid mapping type.": _m("This answer is not in a form we can read."),
    "Invalid type.": _m("This answer is not in a form we can read."),
    "Invalid input type.": _m("This answer is not in a form we can read."),
    "Not a valid boolean.": _m("Answer yes or no."),
    "Not a valid email address.": _m("Enter an email address like name@example.org."),
    "Not a valid URL.": _m("Enter a full web address starting with https://."),
    "Invalid value.": _m("This value is not accepted."),
    "Unknown field.": _m("This is not a field of the form."),
    "String does not match expected pattern.": _m("This is not in the form expected."),
    "Must be one of: {choices}.": _m("Choose one of the options offered."),
    "Shorter than minimum length {min}.": _m("Too short: at least {min} characters or entries."),
    "Longer than maximum length {max}.": _m("Too long: at most {max} characters or entries."),
    "Length must be between {min} and {max}.": _m("Give from {min} to {max} characters or entries."),
    "Length must be {equal}.": _m("Give exactly {equal} characters or entries."),
    "Must be greater than or equal to {min} and less than or equal to {max}.": _m("Give a number from {min} to {max}."),
    "Must be greater than or equal to {min}.": _m("Give a number of at least {min}."),
    "Must be less than or equal to {max}.": _m("Give a number of at most {max}."),
})


def _shape(template: str) -> re.Pattern:
    """A message template as a pattern: each ``{name}`` a group of that name."""
    parts = re.split(r"{(\w+)}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$")


_LIBRARY_SHAPES = [(_shape(key), key) for key in LIBRARY_ERRORS]


def _library_match(message: str) -> tuple[str, dict[str, str]] | None:
    """The ``LIBRARY_ERRORS`` key whose shape ``message`` has, and the values it filled in."""
    for shape, key in _LIBRARY_SHAPES:
        found = shape.match(message)
        if found:
            return key, found.groupdict()
    return None


def _number_or_text(value: str, locale: str) -> str:
    """A number marshmallow wrote ("2.0", "4000") as the locale writes it; other text as it is."""
    try:
        parsed = float(value)
    except ValueError:
        return value
    return number(int(parsed) if parsed.is_integer() else parsed, None, locale)


def number(value, places: int | None, locale: str) -> str:
    """``value`` as the locale writes numbers ("0,85"): with exactly ``places`` decimals, or
    up to three when ``places`` is None. Anything not a number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    pattern = "#,##0.###" if places is None else "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=locale)


def error(message: str, locale: str) -> str:
    """A validation message in ``locale``: ours, or one of marshmallow's by its shape; a
    message neither knows (none today: see tests/unit/test_form_errors.py) as it came."""
    if message in ERRORS:
        return ERRORS.text(message, locale)
    found = _library_match(message)
    if found is None:
        return message
    key, values = found
    return LIBRARY_ERRORS.text(key, locale).format(**{k: _number_or_text(v, locale) for k, v in values.items()})


def errors_in(errors: dict, locale: str) -> dict:
    """A form's or a JSON body's messages by field, each said in ``locale`` (``error``).
    Nested fields keep their shape (marshmallow's ``{"availability": {0: {"start": [...]}}}``)."""
    def said(value):
        if isinstance(value, dict):
            return {key: said(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [said(inner) for inner in value]
        return error(value, locale) if isinstance(value, str) else value
    return said(errors)


def known_error(message: str) -> bool:
    """Whether ``error`` can say ``message`` in every language."""
    return message in ERRORS or _library_match(message) is not None


def best_locale(accept_language: str) -> str:
    """The language of ours an Accept-Language header prefers, by werkzeug's parser:
    weights respected, ``q=0`` meaning "not this one", ``pt-BR`` served by ``pt`` and
    ``*`` by any we have; English when none fits."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(list(locales()), default="en")


def day_name(index: int, locale: str) -> str:
    """Monday is 0, as in ``datetime.weekday``."""
    name = get_day_names("wide", locale=locale)[index]
    return name[:1].upper() + name[1:]


# Why a sessions link or action cannot be used (services.sessions), by the English the
# service raised it with; anything else is said by its code (problem_<code>).
PROBLEMS = Messages("problem", {
    "No such mentorship.": _m("No such mentorship."),
    "No such session.": _m("No such session."),
    "That time was just taken. Please choose another.": _m("That time was just taken. Please choose another."),
    "The critique was already submitted.": _m("The critique was already submitted."),
    "The invitation has not expired yet.": _m("The invitation has not expired yet."),
    "The session has not ended yet.": _m("The session has not ended yet."),
    "There is no mentorship here yet.": _m("There is no mentorship here yet."),
    "There is no such action.": _m("There is no such action."),
    "There is no such link.": _m("There is no such link."),
    "There is no such note.": _m("There is no such note."),
    "This invitation has expired.": _m("This invitation has expired."),
    "This link is for another mentorship.": _m("This link is for another mentorship."),
    "This link is for another session.": _m("This link is for another session."),
    "This mentorship no longer exists.": _m("This mentorship no longer exists."),
    "This session no longer exists.": _m("This session no longer exists."),
    "This session was already rated.": _m("This session was already rated."),
    "This was answered at the same moment from somewhere else.":
        _m("This was answered at the same moment from somewhere else."),
    "This was changed at the same moment from somewhere else.":
        _m("This was changed at the same moment from somewhere else."),
    "You have no mentees yet.": _m("You have no mentees yet."),
})


def problem(message: str, code: str, locale: str) -> str:
    """What a sessions page says went wrong, in ``locale``: the message itself when the
    catalogues have it, else what its code means."""
    if message in PROBLEMS:
        return PROBLEMS.text(message, locale)
    return t(f"problem_{code}" if f"problem_{code}" in T else "problem_other", locale)


# Rubric lines, per discipline, as mentors read them.
RUBRIC_TERMS = Messages("rubric", {
    "composition": _m('composition'),
    "exposure": _m('exposure'),
    "movement": _m('movement'),
    "coverage": _m('coverage'),
    "clarity": _m('clarity'),
    "noise floor": _m('noise floor'),
    "perspective": _m('perspective'),
    "continuity": _m('continuity'),
    "motivation": _m('motivation'),
    "contrast ratio": _m('contrast ratio'),
    "power and safety": _m('power and safety'),
    "pacing": _m('pacing'),
    "story structure": _m('story structure'),
    "sound edit": _m('sound edit'),
    "balance": _m('balance'),
    "contrast": _m('contrast'),
    "skin tones": _m('skin tones'),
    "shot-to-shot consistency": _m('shot-to-shot consistency'),
    "integration": _m('integration'),
    "tracking": _m('tracking'),
    "compositing": _m('compositing'),
    "render quality": _m('render quality'),
    "planning": _m('planning'),
    "budget control": _m('budget control'),
    "scheduling": _m('scheduling'),
    "safety culture": _m('safety culture'),
    "risk assessment": _m('risk assessment'),
    "briefings": _m('briefings'),
    "equipment checks": _m('equipment checks'),
    "incident procedure": _m('incident procedure'),
    "specification compliance": _m('specification compliance'),
    "quality control": _m('quality control'),
    "metadata": _m('metadata'),
    "backups and redundancy": _m('backups and redundancy'),
})


def term(criterion: str, locale: str) -> str:
    return RUBRIC_TERMS.text_or_key(criterion, locale)


def t(key: str, locale: str, **values) -> str:
    """Message ``key`` in ``locale`` with its placeholders filled; a message with a plural
    takes its count from ``n``."""
    return say(T, key, locale, **values)


def say(messages: Messages, key: str, locale: str, **values) -> str:
    """A fraction among ``values`` is written as the reader writes numbers ("0,85" in
    French, up to three decimals); a message with a plural takes its form from ``n``."""
    shown = {k: number(v, None, locale) if isinstance(v, float) else v for k, v in values.items()}
    if isinstance(messages[key], tuple):
        return messages.plural(key, values["n"], locale).format(**shown)
    return messages.text(key, locale).format(**shown)

# Any page, past an abuse limit (HTTP 429).
T.update({
    # A time another session claimed a moment earlier (sessions' atomic claims).
    "slot_taken": _m("That time was just taken by another session. Please choose one of the times still free."),
    "too_many_title": _m("Too many attempts"),
    "too_many_body": _m("We received many requests from you in a short time, so we saved nothing from this one. "
                        "Please wait a little and try again."),
})

# The mentor's own pages (sign-up, confirmation, manage) and the emails with their links.
T.update({
    "mentor_join_title": _m("Become a Twoshot mentor"),
    "mentor_join_intro": _m("Give an hour now and then to a crew member from an exchange programme. We email you "
                            "to confirm this address before your profile goes live; every later change goes "
                            "through a link we email to you."),
    "mentor_manage_title": _m("Your mentor profile"),
    "mentor_email_fixed": _m("Email (this address names your profile; to use another, sign up again with it)"),
    "mentor_languages": _m("Languages you can mentor in"),
    "mentor_disciplines": _m("Disciplines you mentor"),
    "mentor_skills": _m("Skills you can mentor, with your level (1 = some, 5 = expert)"),
    "mentor_skill": _m("Skill {n}"),
    "mentor_level": _m("Level of skill {n}"),
    "mentor_bio": _m("A few lines about your work (trainees read this)"),
    "mentor_capacity": _m("Sessions a month you can give"),
    "mentor_availability": _m("When are you free each week? (your local time)"),
    "mentor_join_submit": _m("Sign up"),
    "mentor_inbox_title": _m("Check your inbox"),
    "mentor_inbox_body": _m("We have sent a link to the address you gave. Follow it within 7 days to confirm. If "
                            "you already have a profile, the email has a link to manage it instead."),
    "mentor_confirm_title": _m("Confirm your sign-up"),
    "mentor_confirm_body": _m("Press the button to confirm this address and make your profile live."),
    "mentor_confirm_button": _m("Confirm"),
    "mentor_live_title": _m("Your profile is live"),
    "mentor_live_body": _m("Thank you. You will get an email when a trainee is matched with you. Every email we "
                           "send you has a link to manage your profile."),
    "mentor_gone": _m("There is no profile for this link any more."),
    "manage_link": _m("Manage my profile"),
    "manage_link_note": _m("Pause invitations, edit your profile or erase your data: {url}"),
    "manage_save": _m("Save changes"),
    "manage_pause": _m("Pause invitations (holidays)"),
    "manage_resume": _m("Resume invitations"),
    "manage_is_paused": _m("Invitations are paused: nobody is matched with you until you resume."),
    "manage_withdraw": _m("Withdraw my answers about me"),
    "manage_paused": _m("Paused. No new invitations until you resume."),
    "manage_resumed": _m("Resumed. You can be matched again."),
    "manage_withdrawn": _m("Your answers about you were removed."),
    "manage_saved": _m("Saved."),
    "link_problem_title": _m("This link cannot be used"),
    "link_expired_session": _m("This link has expired. Use the link from your most recent email."),
    "problem_hint": _m("If you think this is a mistake, reply to the invitation email."),
    "problem_already_answered": _m("This was already answered or changed: this link can no longer be used."),
    "problem_wrong_state": _m("That is not possible at this point of the session."),
    "problem_other": _m("This cannot be done now."),
    "nav_language": _m("Language"),
    "status_progress": _m("Progress"),
    "link_expired": _m("This link has expired. Sign up again, or ask for a new link from the sign-up page."),
    "link_invalid": _m("This link is not valid. Use the link from your most recent email, in full."),
    "link_superseded": _m("This link was replaced by a newer one, or all your links were withdrawn. Use the link "
                          "in your most recent email, or ask for a new one on the sign-up page."),
    "links_revoke_title": _m("Withdraw every link to this page"),
    "links_revoke_explain": _m("If an email with your link was forwarded or seen by someone else, withdraw every "
                               "link. You can ask for a new one on the sign-up page with your address."),
    "links_revoke_button": _m("Withdraw all my links"),
    "links_revoked_title": _m("Your links were withdrawn"),
    "links_revoked_body": _m("No link sent to you before now opens your profile any more. Ask for a new one on the sign-up page."),
    "signup_erased_title": _m("This address was erased recently"),
    "signup_erased_body": _m("Everything about this address was erased from Twoshot in the last seven days, and "
                             "for those seven days we cannot start a new profile with it. Nothing you typed was "
                             "kept. Please sign up again after {date}."),
    "confirm_subject": _m("Confirm your Twoshot mentor sign-up"),
    "confirm_body": _m("Someone, we hope you, signed up as a Twoshot mentor with this address. Confirm it within 7 "
                       "days to make your profile live. If it was not you, ignore this email: nothing goes live."),
    "confirm_button": _m("Confirm my sign-up"),
    "manage_subject": _m("Your Twoshot mentor profile"),
    "manage_body": _m("Someone asked to sign up with this address, which already has a mentor profile. Nothing was "
                      "changed. To edit or pause your profile, use this link."),
})

# Erasure (GDPR art. 17), from the status page, the manage page or staff.
T.update({
    "erase_title": _m("Erase my data"),
    "erase_explain": _m("Every Twoshot service forgets you within a minute: your profile or request, sessions, "
                        "critiques, emails waiting to be sent and the answers about you. A session already booked "
                        "is cancelled and the other person told. This cannot be undone."),
    "erase_confirm": _m("Yes, erase everything about me"),
    "erase_button": _m("Erase my data"),
    "erase_confirm_needed": _m("Tick the box to confirm the erasure."),
    "erased_title": _m("Your data is being erased"),
    "erased_body": _m("Within a minute no Twoshot service holds your name, address or anything you told us."),
})

# Disciplines, as a sentence names them ("une séance de critique en montage").
DISCIPLINE_NAMES = Messages("discipline", {
    "camera": _m("camera"),
    "lighting": _m("lighting"),
    "sound": _m("sound"),
    "editing": _m("editing"),
    "colour": _m("colour"),
    "vfx": _m("VFX"),
    "production": _m("production"),
    "safety": _m("safety"),
    "delivery": _m("delivery"),
})


def discipline(code: str, locale: str, capital: bool = False) -> str:
    """A discipline's name in ``locale`` (its code when we have no name for it)."""
    name = DISCIPLINE_NAMES.text_or_key(code, locale)
    return name[:1].upper() + name[1:] if capital else name


# The regions countries are grouped in (shared/geo: the UN geoscheme, merged where
# programmes asked), named in the reader's language on staff pages.
REGION_NAMES = Messages("region", {
    "Central Africa": _m("Central Africa"),
    "Central Asia": _m("Central Asia"),
    "East Africa": _m("East Africa"),
    "East Asia": _m("East Asia"),
    "Europe": _m("Europe"),
    "Latin America & Caribbean": _m("Latin America & Caribbean"),
    "North Africa & Middle East": _m("North Africa & Middle East"),
    "North America": _m("North America"),
    "Oceania": _m("Oceania"),
    "South Asia": _m("South Asia"),
    "Southeast Asia": _m("Southeast Asia"),
    "Southern Africa": _m("Southern Africa"),
    "West Africa": _m("West Africa"),
})


def region(name: str, locale: str) -> str:
    """A region's name in ``locale``; any other group (a profile attribute's value) as it is."""
    return REGION_NAMES.text_or_key(name, locale)


def disciplines(locale: str) -> dict[str, str]:
    """Code → name, for a form's choices, in ``locale``'s alphabetical order."""
    names = {code: discipline(code, locale, capital=True) for code in DISCIPLINE_NAMES}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))

# Why two people were matched (services.matching.explain), for each of them.
T.update({
    "why_title": _m("Why you were matched"),
    "why_skill_trainee": _m("{name} mentors {skills}, what you asked to work on."),
    "why_skill_mentor": _m("{name} wants to work on {skills}, which you mentor."),
    "why_discipline_trainee": _m("{name} mentors in {discipline}, your discipline."),
    "why_discipline_mentor": _m("{name} works in {discipline}, which you mentor."),
    "why_level_trainee": _m("{name} rates their own level in these skills {level} out of 5."),
    "why_level_mentor": _m("Your level in these skills: {level} out of 5."),
    "why_language_first_trainee": _m("{name} mentors in {language}, your first language."),
    "why_language_trainee": _m("{name} mentors in {language}, a language you speak."),
    "why_language_mentor": _m("You both speak {language}."),
    # The count is {hours}, maybe a fraction (1.5: "one" in French, "other" in English).
    "why_availability": _p("You share {hours} free hour a week.", "You share {hours} free hours a week."),
    "why_region_same": _m("You both work in the same region."),
    "why_region_cross_trainee": _m("{name} works in {country}: an exchange across borders."),
    "why_region_cross_mentor": _m("An exchange across borders, as the programme wants."),
})


def reasons(why: list[dict], audience: str, locale: str, other: str) -> list[str]:
    """The reasons a match was made, as sentences for ``audience`` ("trainee" or
    "mentor"), ``other`` being the other person's name."""
    out = []
    for reason in why:
        code, params = reason.get("code", ""), dict(reason.get("params") or {})
        key = {"skill": f"why_skill_{audience}", "discipline": f"why_discipline_{audience}",
               "level": f"why_level_{audience}", "availability": "why_availability",
               "region_same": "why_region_same", "region_cross": f"why_region_cross_{audience}",
               "language": ("why_language_first_trainee" if params.get("first") else "why_language_trainee")
               if audience == "trainee" else "why_language_mentor"}.get(code)
        if key is None or key not in T:
            continue
        if "skills" in params:
            params["skills"] = ", ".join(params["skills"])
        if "discipline" in params:
            params["discipline"] = discipline(params["discipline"], locale)
        if "language" in params:
            params["language"] = language_name(params["language"], locale)
        if "country" in params:
            params["country"] = country_name(params["country"], locale)
        if isinstance(params.get("hours"), int | float):
            params["n"] = params["hours"]                                       # the plural's count
            params["hours"] = format_decimal(params["hours"], locale=locale)    # 1,5 in French
        out.append(t(key, locale, name=other, **params))
    return out


# Mentorships: the pair that meets on (services.sessions.mentoring), their emails, pages
# and the trainee's status page.
T.update({
    "mentoring_page": _m("Your mentoring page"),
    "mentoring_footer_trainee": _m("Your mentoring page, to book your next session and read every critique: {url}"),
    "mentoring_footer_mentor": _m("Your page for this mentee, with every session and critique: {url}"),
    "st_mentoring": _m("Your mentorship with {name} has begun; it runs until {when}. Book your next sessions and "
                       "read every critique on your mentoring page."),
    "st_ended_trainee": _m("You ended your mentorship with {name}."),
    "st_ended_mentor": _m("{name} ended the mentorship."),
    "st_ended_term": _m("Your mentorship with {name} reached the end of its term."),
    "st_ended_programme": _m("The programme ended your mentorship with {name}."),
    "st_ended_rematch": _m("Your mentorship with {name} has ended; we are finding you a new mentor. Your history "
                           "stays on your mentoring page."),
    "book_next": _m("Book the next session"),
    "fu_declined_subject": _m("{other} cannot make {when}"),
    "fu_proposed_body": _m("{other} proposes your next session on {when}. Does it suit you?"),
    "fu_declined_body": _m("{other} could not take the session on {when}. Choose another time on your mentoring page."),
    "ended_subject": _m("Your mentorship with {other} has ended"),
    "ended_body_self": _m("You ended your mentorship with {other}. Thank you for the time you gave it."),
    "ended_body_other": _m("{other} ended your mentorship."),
    "ended_body_term": _m("Your mentorship with {other} has reached the end of its term. Thank you both: your "
                          "sessions and critiques stay on your mentoring page."),
    "ended_body_programme": _m("The programme ended your mentorship with {other}."),
    "ended_reason": _m("Their reason: {reason}"),
    "ended_rematch": _m("We are finding you a new mentor (not the same one) and will write when they accept."),
    "nudge_subject": _m("Time for your next session with {other}?"),
    "nudge_body": _m("Your last session with {other} was {weeks} weeks ago and nothing is booked yet. Choose a "
                     "time in one click."),
    # The mentoring pages (sessions service).
    "mp_title": _m("Mentoring with {other}"),
    "mp_term": _m("Active until {when}."),
    "mp_state_paused": _m("Paused: no new sessions until you resume it."),
    "mp_state_ended": _m("Ended on {when}."),
    "mp_book": _m("Book the next session"),
    "mp_book_hint": _m("Times you and {other} are both free, in your time zone ({tz}). {other} is invited and "
                       "confirms."),
    "mp_no_times": _m("No common free time in the coming weeks. Widen your availability, or write to the programme."),
    "mp_booked": _m("Booked: {other} is invited for {when}. You will get an email when they answer."),
    "mp_sessions": _m("Sessions"),
    "mp_session_state": _m("{when}: {state}"),
    "mp_scores": _m("Scores over time"),
    "mp_updates": _m("Technical updates"),
    "mp_addressed": _m("addressed"),
    "mp_mark_addressed": _m("Mark as addressed"),
    "mp_unmark_addressed": _m("Mark as still open"),
    "mp_cadence": _m("Propose the next session after each critique"),
    "mp_cadence_none": _m("No, we book each one"),
    "mp_cadence_weeks": _m("Every {n} weeks"),
    "mp_save": _m("Save"),
    "mp_pause": _m("Pause the mentorship"),
    "mp_resume": _m("Resume the mentorship"),
    "mp_end": _m("End the mentorship"),
    "mp_end_reason": _m("Why (the programme reads this)"),
    "mp_end_share": _m("Share my reason with {other} too"),
    "mp_end_rematch": _m("Find me a new mentor (not {other})"),
    "mp_ended_done": _m("The mentorship has ended. {other} has been told."),
    "mp_saved": _m("Saved."),
    "mp_previous": _m("Earlier mentorship with {other}"),
    "mp_equipment": _m("Equipment or software"),
    "mp_setting": _m("Setting"),
    "mp_value": _m("Recommended value or practice"),
    "mp_link": _m("Link"),
    "mp_date": _m("Date"),
    "state_invited": _m("invited, waiting for an answer"),
    "state_slot_proposed": _m("another time proposed"),
    "state_confirmed": _m("confirmed"),
    "state_completed": _m("held"),
    "state_declined": _m("declined"),
    "state_expired": _m("not answered in time"),
    "state_cancelled": _m("cancelled"),
})

T.update({
    "page_updates_hint": _m("Optional: camera settings, codecs, LUTs, HDR practice. The trainee keeps them as a running list."),
})

# The mentor's page of every mentee (sessions service).
T.update({
    "mt_title": _m("Your mentees"),
    "mt_state_active": _m("active"),
    "mt_state_paused": _m("paused"),
    "mt_state_ended": _m("ended"),
    "mt_next": _m("Next session: {when}"),
    "survey_ask": _m("Two minutes, three questions: how did it go? Only the programme team reads your answers."),
    "survey_button": _m("Answer the closing survey"),
    "sv_title": _m("How did your mentorship with {other} go?"),
    "sv_intro": _m("Only the programme team reads your answers; {other} does not."),
    "sv_useful": _m("How useful were the sessions to you?"),
    "sv_useful_1": _m("1 — not useful"),
    "sv_useful_5": _m("5 — very useful"),
    "sv_again": _m("Would you take part in a mentorship again?"),
    "sv_yes": _m("Yes"),
    "sv_no": _m("No"),
    "sv_comment": _m("Anything the programme should know (optional)"),
    "sv_send": _m("Send my answers"),
    "sv_pick": _m("Choose from 1 to 5."),
    "sv_pick_again": _m("Choose yes or no."),
    "sv_thanks": _m("Thank you. Your answers of {when} are with the programme team."),
    "sv_not_yet": _m("The closing survey opens when the mentorship ends."),
    # A link that was already used, or whose moment has passed: what happened, what now.
    "used_title": _m("This link has done its job"),
    "used_invited": _m("{other} has not answered this invitation yet."),
    "used_slot_proposed": _m("A new time is waiting for an answer: {proposed}."),
    "used_confirmed": _m("This session is confirmed for {when}."),
    "used_declined": _m("This session was declined, so it will not take place."),
    "used_expired": _m("This invitation expired without an answer."),
    "used_cancelled": _m("This session was cancelled."),
    "used_completed": _m("This session took place on {when}."),
    "used_critique": _m("The critique of this session was already sent. Thank you."),
    "used_rate": _m("This session was already rated. Thank you."),
    "used_superseded": _m("This link is from an older email: the session has changed since."),
    "used_move_passed": _m("The new time asked for has already begun, so it can no longer be accepted. The "
                           "session stays at its time."),
    "used_next_page": _m("Everything about your sessions together is on your mentoring page:"),
    "used_next_mail": _m("The most recent email about this session has the links you can use now."),
    "mt_book": _m("Propose the next session to {name}"),
    "mt_no_next": _m("No session booked."),
    "mt_last_critique": _m("Last critique: the session of {when}"),
    "mt_no_critique": _m("No critique yet."),
    "mt_open": _m("Sessions, notes and choices with {name}"),
    "mentees_footer": _m("All your mentees: {url}"),
})
