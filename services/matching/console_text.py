"""Every word of the staff console: the English source texts; every other language is a
gettext catalogue (``shared.catalogue``).

Templates call ``t(key, **values)`` (bound to the reader's language by the console
blueprint); the views call ``say(key, locale, **values)``. Group names (regions,
countries, profile attributes) are data and stay as stored.
"""
from __future__ import annotations

from shared import i18n
from shared.catalogue import Messages, _m, _p, locales


def say(key: str, locale: str, **values) -> str:
    return i18n.say(TEXT, key, locale if locale in locales() else "en", **values)



TEXT = Messages("", {
    # --- every page -------------------------------------------------------------------
    "staff": _m("Twoshot staff"),
    "nav": _m("Console"),
    "nav_language": _m("Language"),
    "nav_policy": _m("Matching policy"),
    "nav_report": _m("Fairness report"),
    "nav_requests": _m("Requests"),
    "nav_cohorts": _m("Cohorts"),
    "nav_audit": _m("Audit log"),
    "signed_in_as": _m("Signed in as {name} ({role})"),
    "role_viewer": _m("viewer"),
    "role_editor": _m("editor"),
    "sign_out": _m("Sign out"),
    "form_check": _p("Please check the {n} field marked below.", "Please check the {n} fields marked below."),
    "utc": _m("UTC"),
    "too_few": _m("too few decisions to judge"),
    "ci95": _m("95%\u00a0interval {low}–{high}"),
    "download_csv": _m("download CSV"),
    "reason_needed": _m("Say why, in 3 to 500 characters: the history keeps it."),
    "reason_needed_audit": _m("Say why, in 3 to 500 characters: the audit log keeps it."),
    "not_allowed_title": _m("Not allowed"),
    "not_allowed_body": _m("This needs the {role} role; you have the {current} role."),

    # --- sign-in ----------------------------------------------------------------------
    "login_title": _m("Staff sign-in"),
    "login_login": _m("Login"),
    "login_password": _m("Password"),
    "login_submit": _m("Sign in"),
    "login_failed": _m("That login and password do not match an active account."),
    "login_hint": _m("Accounts and passwords are made by an operator:"),

    # --- the policy page --------------------------------------------------------------
    "policy_title": _m("Matching policy"),
    "in_force_defaults": _m("Version {version} is in force (the built-in defaults)."),
    "in_force": _m("Version {version} is in force, set by {author} on {at} UTC: “{reason}”."),
    "weights": _m("Weights"),
    "weights_hint": _m("Each criterion's weight, 0 to 1. Only their proportions matter: they are scaled to add up "
                       "to 1."),
    "fairness": _m("Fairness"),
    "region_preference": _m("Region preference"),
    "pref_same_region": _m("same region"),
    "pref_cross_border": _m("cross border"),
    "pref_neutral": _m("neutral"),
    "min_overlap_hours": _m("Min overlap hours"),
    "exposure_boost": _m("Exposure boost"),
    "group_attribute": _m("Groups measured over"),
    "min_share": _m("Minimum share per mentor group"),
    "access_boost": _m("Access boost per trainee region"),
    "excluded_mentors": _m("Mentors never proposed"),
    "preview": _m("Preview"),
    "apply_title": _m("Apply"),
    "apply": _m("Apply"),
    "apply_reason": _m("Why (kept in the history and the audit log)"),
    "applied": _m("Version {version} is now in force."),
    "unchanged": _m("Nothing changed: these settings are already version {version}."),
    "defaults": _m("the built-in defaults"),
    "version_n": _m("version {version}"),
    "rolled_back": _m("Rolled back to {label}: in force as version {version}."),
    "rollback_unchanged": _m("Nothing changed: {label} is what is in force already (version {version})."),
    "rollback_reason_needed": _m("Say why you roll back, in 3 to 500 characters."),
    "choose_version": _m("Choose a version."),
    # the preview
    "preview_title": _m("What this change would do"),
    "preview_replayed": _m("Replayed on the last {n} requests, with the policy in force and with the change, on "
                           "the same mentors."),
    "preview_few": _m("Too few requests to judge: treat these figures as a rough sign only."),
    "attention_title": _m("Attention each group of mentors receives"),
    "attention_hint": _m("1.0 means a group is shown as often as its share of eligible mentors would give it; "
                         "below 0.8 (the four-fifths line) it is under-exposed."),
    "chart_exposure_title": _m("Exposure ratio by mentor group, now and with the change"),
    "chart_now_change": _m("{group}: now {now}, with the change {change}."),
    "chart_legend_change": _m("grey: now · blue: with the change"),
    "chart_caption_change": _m("Bars: exposure ratio; dashed line: the four-fifths line."),
    "none": _m("none"),
    "group": _m("Group"),
    "now": _m("Now"),
    "with_change": _m("With the change"),
    "quality_title": _m("Ranking quality and the first choice"),
    "figure": _m("Figure"),
    "q_disparity": _m("Least-exposed group's ratio (four-fifths rule: at least 0.8)"),
    "q_ndcg": _m("Ranking quality kept, judged with today's weights (NDCG@10, 1.0 = unchanged)"),
    "q_first": _m("Mean score of each trainee's first choice, judged with today's weights"),
    "q_matched": _m("Requests with a mentor"),
    "moved": _m("{moved} of {n} requests would get a different top three."),
    "moved_sample": _m("Request {id}: top three now {before}; with the change {after}"),
    "preview_vs_report": _m("The preview replays recent requests; the fairness report counts what matching "
                            "actually did since it started, so their exposure figures differ until the change has "
                            "been in force for a while."),
    # history
    "history": _m("History"),
    "h_version": _m("Version"),
    "h_who": _m("Who, when"),
    "h_why": _m("Why"),
    "h_what": _m("What changed"),
    "h_rollback": _m("Roll back"),
    "h_defaults": _m("(built-in defaults)"),
    "h_in_force": _m("in force"),
    "rollback_reason": _m("Why roll back to version {version}"),
    "rollback_button": _m("Roll back to version {version}"),
    "change_weight": _m("{criterion} weight: {before} → {after}"),

    # --- criteria, their help, and the fairness settings' help --------------------------
    "c_skill": _m("skill"),
    "c_level": _m("level"),
    "c_language": _m("language"),
    "c_availability": _m("availability"),
    "c_region": _m("region"),
    "c_load": _m("load"),
    "c_equity": _m("equity"),
    "w_skill": _m("Skill weight"),
    "w_level": _m("Level weight"),
    "w_language": _m("Language weight"),
    "w_availability": _m("Availability weight"),
    "w_region": _m("Region weight"),
    "w_load": _m("Load weight"),
    "w_equity": _m("Equity weight"),
    "help_skill": _m("How closely the mentor's skills match what the trainee wants to work on."),
    "help_level": _m("How experienced the mentor says they are in those skills."),
    "help_language": _m("Whether they share a language; the trainee's first language counts more."),
    "help_availability": _m("How many free hours a week the two have in common."),
    "help_region": _m("Same region or across borders, as the region preference below says."),
    "help_load": _m("Prefers mentors with fewer sessions this month, so the work is shared."),
    "help_equity": _m("Priority for trainees who said, with consent, that they are under-represented."),
    "help_region_preference": _m("Prefer mentors from the trainee's own region, from another country, or neither."),
    "help_min_overlap_hours": _m("Mentors with less free time in common each week are not considered."),
    "help_exposure_boost": _m("How strongly groups shown less than their share of eligible mentors are moved up "
                              "(0: not at all; 2: strongly)."),
    "help_group_attribute": _m("The mentor attribute fairness is measured over (region, country, or a profile "
                               "attribute)."),
    "help_min_share": _m("At least this share of every trainee's list goes to the group, from the top down, "
                         "whenever it has eligible mentors (0.2: one in five). Blank: no minimum. The shares may "
                         "add up to 1 at most."),
    "help_access_boost": _m("Added to every score for trainees from this region, so they are proposed first when "
                            "mentors are scarce (a cohort or a catch-up term). Blank: none."),
    "help_excluded_mentors": _m("Mentors never proposed, one id per line (for example while a complaint is looked "
                                "into). A request's page shows the id of each mentor proposed. Their sessions "
                                "already booked stay."),

    # --- the fairness report ----------------------------------------------------------
    "report_title": _m("Fairness report"),
    "report_intro": _m("Policy version {version} in force; scoring: {scoring}. Groups of mentors by {attribute}. "
                       "Generated {at} UTC."),
    "report_rule": _m("Every figure gives the number of decisions behind it. Below {rankings} rankings, {outcomes} "
                      "answered invites or {requests} requests a figure is shown without a verdict: too few "
                      "decisions to judge. Intervals are 95 %."),
    "exposure_hint": _m("1.0: a group is shown in rankings as often as its share of eligible mentors would give it "
                        "(higher places count more). The four-fifths line is {line}: below it a group is "
                        "under-exposed. These are the decisions matching actually made; the policy preview replays "
                        "recent requests instead, so the two differ until a change has been in force for a while."),
    "exposure_sentence": _m("{group} mentors receive {value} of the attention their share of eligible mentors "
                            "would give them ({ci}; {n} rankings)"),
    "below_line": _m("below the four-fifths line"),
    "no_rankings": _m("{group}: no rankings counted yet."),
    "chart_ci_title": _m("Exposure ratio by mentor group with 95%\u00a0intervals"),
    "chart_ci_point": _m("{group}: {value}, from {low} to {high}."),
    "chart_ci_few": _m("{group}: {value}, too few decisions."),
    "chart_ci_legend": _m("blue: enough decisions (black line: 95%\u00a0interval) · grey: too few to judge"),
    "exposure_caption": _m("Exposure by mentor group"),
    "pool_share": _m("Share of the pool"),
    "exposure_share": _m("Share of exposure"),
    "exposure_ratio_ci": _m("Exposure ratio (95%\u00a0interval)"),
    "rankings": _m("Rankings"),
    "disparity": _m("Least-exposed group against the most exposed (four-fifths rule): {value}."),
    "not_enough_rankings": _m("not enough rankings yet"),
    "access_title": _m("How good a first match trainees get"),
    "access_hint": _m("The mean score of the first mentor proposed to each trainee, by the trainee's region and by "
                      "whether they said (with consent) they are under-represented."),
    "access_caption": _m("Trainee access"),
    "trainees": _m("Trainees"),
    "mean_first": _m("Mean first-choice score (95%\u00a0interval)"),
    "requests": _m("Requests"),
    "no_proposed": _m("No requests proposed yet."),
    "acceptance_title": _m("How often mentors accept"),
    "acceptance_caption": _m("Acceptance by mentor group"),
    "mentors": _m("Mentors"),
    "accepted_ci": _m("Accepted (95%\u00a0interval)"),
    "answered": _m("Answered invites"),
    "no_answered": _m("No answered invites yet."),
    "load_title": _m("How evenly the work is shared"),
    "load_sentence": _m("In {month}, {proposals} proposals went to {mentors} active mentors; the Gini coefficient "
                        "of that load is {gini} (0: perfectly even, 1: one mentor gets everything)"),
    "load_few": _m(", from too few proposals to judge"),
    "whole_csv": _m("The whole report as one CSV"),

    # --- request look-up and the request page ---------------------------------------------
    "lookup_title": _m("Find a request"),
    "lookup_label": _m("Request number, trainee's name or email"),
    "lookup_find": _m("Find"),
    "lookup_none": _m("No request matches “{q}”."),
    "request_title": _m("Request {id}"),
    "request_facts": _m("languages {languages} · wants to work on {skills}"),
    "programme": _m("programme {code}"),
    "proposals": _m("Proposals"),
    "attempt": _m("Attempt {n}: {mentor} — score {score}"),
    "mentor_id": _m("Mentor id (to exclude them, in the policy):"),
    "attempt_hint": _m("policy version {version}"),
    "cohort_n": _m("cohort {id}"),
    "bars_hint": _m("Each bar is what one criterion added to the score; they add up to it."),
    "bars_title": _m("Contribution of each criterion to attempt {n}"),
    "next_in_line": _m("Next in line: {n} mentors."),
    "no_proposal": _m("No proposal yet."),
    "no_proposal_cohort": _m("No proposal yet: held for the programme's cohort."),
    "skipped_title": _m("Mentors left out by the hard filters (now)"),
    "skipped_line": _m("{n} mentors {why}"),
    "and_more": _m("and {n} more"),
    "f_language": _m("share no language with the trainee"),
    "f_capacity": _m("have no capacity left this month"),
    "f_time": _m("have too little free time in common"),
    "f_excluded": _m("are excluded by staff"),
    "f_tried": _m("were already proposed for this request"),
    "emails": _m("Emails"),
    "when_utc": _m("When (UTC)"),
    "what": _m("What"),
    "to": _m("To"),
    "result": _m("Result"),
    "no_email": _m("No email reported yet."),
    "emails_hint": _m("Emails as notifications reported them (a copy matching keeps of its events)."),
    "unknown_request": _m("Matching does not know this request (or it was erased)."),

    # --- cohorts --------------------------------------------------------------------------
    "cohorts_title": _m("Cohorts"),
    "cohorts_intro": _m("Trainees who entered a programme code on the form wait until staff assign them together: "
                        "the best assignment for the whole cohort under every mentor's capacity, which no "
                        "one-by-one matching can promise."),
    "programme_code": _m("Programme code"),
    "draft": _m("Draft the assignment"),
    "editor_needed": _m("Drafting and confirming cohorts needs the editor role."),
    "no_held": _m("No requests are waiting under this programme code."),
    "no_cohort": _m("No such cohort."),
    "cohort_title": _m("Cohort {id}: {status}"),
    "status_draft": _m("draft"),
    "status_confirmed": _m("confirmed"),
    "drafted_by": _m("Drafted by {who} on {at} UTC under policy version {version}."),
    "confirmed_by": _m("Confirmed by {who} on {at} UTC: invitations are going out."),
    "coverage": _m("Coverage"),
    "coverage_value": _m("{assigned} of {total} trainees get a mentor ({pct} %)"),
    "utility": _m("Total score (utility)"),
    "per_trainee": _m("{value} a trainee"),
    "mentors_used": _m("Mentors used"),
    "mentors_used_value": _m("{n}; most trainees for one mentor: {most}"),
    "assignment": _m("Assignment"),
    "trainee": _m("Trainee"),
    "mentor": _m("Mentor"),
    "score": _m("Score"),
    "without_mentor": _m("Without a mentor"),
    "load_per_mentor": _m("Load per mentor"),
    "in_cohort": _m("Trainees in this cohort"),
    "skipped_at_confirm": _m("Skipped at confirmation (changed since the draft): {n}."),
    "confirm_reason": _m("Why confirm (kept in the audit log)"),
    "confirm": _m("Confirm: send the invitations"),
    "gone": _m("(gone)"),

    # --- the audit log ---------------------------------------------------------------------
    "cohorts_waiting": _m("Programme codes with trainees waiting"),
    "waiting_trainees": _m("Trainees waiting"),
    "cohorts_waiting_none": _m("No trainee is waiting for a cohort."),
    # --- dead letters ------------------------------------------------------------------
    "nav_dead": _m("Dead letters"),
    "dead_title": _m("Dead letters"),
    "dead_intro": _m("Events a service could not handle, newest first, with the reason. They are kept here even "
                     "when the message bus loses its copy. Once the cause is fixed, replay one: it is sent to its "
                     "topic again and the audit log records who did it and why."),
    "dead_topic": _m("Topic"),
    "dead_group": _m("Service"),
    "dead_reason": _m("Reason"),
    "dead_failed_at": _m("Failed (UTC)"),
    "dead_content": _m("Beginning of the record"),
    "dead_replays": _m("Replayed"),
    "dead_replay_reason": _m("Why replay it (kept in the audit log)"),
    "dead_replay_button": _m("Replay"),
    "dead_none": _m("No event has failed."),
    "dead_stub": _m("Only the beginning of this record was kept (it was too big to copy), so it cannot be replayed."),
    "dead_replayed": _m("Sent to its topic again."),
    "audit_title": _m("Audit log"),
    "action": _m("Action"),
    "every_action": _m("Every action"),
    "who_part": _m("Who (part of the name)"),
    "filter": _m("Filter"),
    "who": _m("Who"),
    "why": _m("Why"),
    "versions": _m("Versions"),
    "no_entries": _m("No entries."),
})

# --- mentorship health (services.matching.mentorship_health) -----------------------------
TEXT.update({
    "nav_mentorships": _m("Mentorships"),
    "mh_title": _m("How mentorships go"),
    "mh_intro": _m("{pairs} pairs so far, {active} active. A mentorship continues unless the trainee, the mentor "
                   "or the programme ended it before its term; active pairs count as continuing so far."),
    "mh_sessions": _m("Sessions per pair: {value}"),
    "mh_quiet": _m("Days since the last session (active pairs): median {median}, longest {longest}"),
    "mh_by_mentor": _m("Continuation by mentor group"),
    "mh_by_trainee": _m("Continuation by trainee group"),
    "mh_group": _m("Group"),
    "mh_pairs": _m("Pairs"),
    "mh_ended_early": _m("Ended early"),
    "mh_continuation": _m("Continuing (95%\u00a0interval)"),
    "mh_per_pair": _m("Sessions per pair"),
    "mh_early_title": _m("Ended early, and why"),
    "mh_by": _m("Ended by"),
    "mh_reason": _m("Reason"),
    "mh_none": _m("No mentorship has ended early."),
})
TEXT.update({
    "ender_trainee": _m("the trainee"),
    "ender_mentor": _m("the mentor"),
    "ender_programme": _m("the programme"),
    "mh_waiting_title": _m("Follow-up sessions waiting for an answer"),
    "mh_waiting_none": _m("No follow-up session is waiting for an answer."),
    "mh_mentor": _m("Mentor"),
    "mh_waiting_on": _m("Waiting for"),
    "mh_days_waiting": _m("Days waiting"),
    "mh_session_at": _m("Session (UTC)"),
    "mh_reminded": _m("Reminder sent"),
    "mh_survey_title": _m("Closing surveys"),
    "mh_survey_line": _m("{who}: {n} answers; usefulness {useful} of 5 ({ci_useful}); would take part again "
                         "{again} ({ci_again})"),
    "mh_comment": _m("Comment"),
    "mh_from": _m("From"),
    "yes": _m("yes"),
    "no": _m("no"),
})
