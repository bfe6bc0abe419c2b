"""Voting rounds: an editor puts 2-5 groups to readers; the winner goes to its expert first.

Writes, in the shape of ``services.py`` (kept apart only for length). Integrity without
accounts: one vote per reader per round (the hash of a random id, from a signed cookie or,
inside a newsroom's page, from the browser's storage, is unique per round), at most
``ASKDESK_VOTES_PER_ADDRESS`` votes per round from one address and browser (a salted hash
that changes daily), and a rate limit in the view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from askdesk.accounts.models import Expert
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_public_changed
from askdesk.nlp.scrub import find_contact_details
from askdesk.questions.crypto import lookup_digest
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import QuestionRefused, group_apply, insert_once
from askdesk.readers.models import EditorAlert, OutgoingEmail, RoundOption, Vote, VoteSalt, VotingRound
from askdesk.readers.services import editor_alert_raise, outbox_add


@dataclass(frozen=True)
class OptionChoice:
    group: QuestionGroup
    label: str
    expert: Expert | None = None


@transaction.atomic
def round_create(
    *, callout: Callout, title: str, closes_at: dt.datetime, options: list[OptionChoice], actor: User
) -> VotingRound:
    """Open a round on 2-5 groups of one call-out, each shown in the wording the editor approved."""
    title = " ".join(title.split())
    if not title:
        raise QuestionRefused("Give the round a question for readers, like “Which should our experts answer first?”.")
    if not VotingRound.MIN_OPTIONS <= len(options) <= VotingRound.MAX_OPTIONS:
        raise QuestionRefused(
            f"Choose between {VotingRound.MIN_OPTIONS} and {VotingRound.MAX_OPTIONS} groups for a round."
        )
    if len({choice.group.pk for choice in options}) != len(options):
        raise QuestionRefused("Each group can be in a round once.")
    if any(choice.group.callout_id != callout.pk for choice in options):
        raise QuestionRefused("A round's groups must come from its call-out.")
    if closes_at <= timezone.now():
        raise QuestionRefused("The closing time must be in the future.")
    for choice in options:
        label = " ".join(choice.label.split())
        if not label:
            raise QuestionRefused("Every group needs the wording readers will see.")
        if find_contact_details(label):
            raise QuestionRefused(f"“{label[:60]}” contains contact details: remove them first.")
        if choice.expert is not None and choice.expert.newsroom_id != callout.story.newsroom_id:
            raise QuestionRefused("This expert belongs to another newsroom.")
    voting_round = VotingRound.objects.create(callout=callout, title=title[:200], closes_at=closes_at, created_by=actor)
    RoundOption.objects.bulk_create(
        RoundOption(
            round=voting_round,
            group=choice.group,
            label=" ".join(choice.label.split())[:300],
            source_question_id=choice.group.representative_id,
            expert=choice.expert,
            position=position,
        )
        for position, choice in enumerate(options)
    )
    audit_record(
        actor=actor,
        action="round.create",
        target=voting_round,
        groups=[c.group.pk for c in options],
        closes_at=str(closes_at),
    )
    callout_public_changed(callout_id=callout.pk)  # the story page and the embeds show the round
    return voting_round


def _today_salt(today: dt.date) -> str:
    stored = VoteSalt.objects.filter(day=today).values_list("salt", flat=True).first
    found = stored()
    if found is not None:
        return found
    salt, _ = insert_once(lambda: VoteSalt.objects.create(day=today, salt=secrets.token_hex(32)).salt, stored=stored)
    return salt


@sensitive_variables("address", "user_agent")
def vote_fingerprint(*, address: str, user_agent: str, now: dt.datetime | None = None) -> str:
    """A hash of address and browser under today's random salt: comparable today, unlinkable once the salt goes."""
    today = timezone.localdate(now or timezone.now())
    salt = _today_salt(today)
    return hmac.new(salt.encode(), f"{address}\n{user_agent[:300]}".encode(), hashlib.sha256).hexdigest()


def voter_hash(voter_id: str) -> str:
    """What is stored of the random id in a voter's cookie (not the same hash as for joins)."""
    return hashlib.sha256(f"askdesk-voter:{voter_id}".encode()).hexdigest()


@sensitive_variables("email")
def vote_cast(
    *,
    voting_round: VotingRound,
    option: RoundOption,
    voter_id: str,
    fingerprint: str,
    email: str = "",
    language: str = "",
) -> bool:
    """Count a reader's vote; False when this reader (or this address and browser, too often) voted already."""
    if option.round_id != voting_round.pk:
        raise QuestionRefused(gettext_lazy("This choice is not part of the round."))
    if not voting_round.is_open:
        raise QuestionRefused(gettext_lazy("This vote is closed."))
    voter = voter_hash(voter_id)
    email = email.strip()
    with transaction.atomic():
        # Taken in a row lock, so two votes at once from one address cannot both pass the count.
        VotingRound.objects.select_for_update().filter(pk=voting_round.pk).first()
        if Vote.objects.filter(round=voting_round, voter=voter).exists():
            return False
        same_address = Vote.objects.filter(round=voting_round, fingerprint=fingerprint).count()
        if fingerprint and same_address >= settings.ASKDESK_VOTES_PER_ADDRESS:
            return False
        try:
            with transaction.atomic():
                Vote.objects.create(
                    round=voting_round,
                    option=option,
                    voter=voter,
                    fingerprint=fingerprint,
                    email=email,
                    email_digest=lookup_digest(email),
                    language=language[:16],
                )
        except IntegrityError:
            return False
        RoundOption.objects.filter(pk=option.pk).update(votes=F("votes") + 1)
    return True


def _expert_for(option: RoundOption) -> Expert | None:
    """The expert chosen for the option, else the one most of its group's questions are assigned to."""
    if option.expert is not None:
        return option.expert
    if option.group_id is None:
        return None
    assigned = (
        Question.objects.filter(group_id=option.group_id, assigned_to__isnull=False)
        .values_list("assigned_to", flat=True)
        .order_by("assigned_to")
    )
    ids = list(assigned)
    if not ids:
        return None
    most = max(set(ids), key=ids.count)
    return Expert.objects.filter(pk=most).first()


@transaction.atomic
def round_close(*, voting_round: VotingRound, actor: User | None = None) -> VotingRound:
    """Close a round: the most voted group goes to its expert's queue; voters and editors are told."""
    voting_round = VotingRound.objects.select_for_update().select_related("callout__story").get(pk=voting_round.pk)
    if voting_round.closed_at is not None:
        return voting_round
    options = list(RoundOption.objects.filter(round=voting_round).select_related("expert", "group"))
    ranked = sorted(options, key=lambda o: (-o.votes, o.position))
    winner = ranked[0] if ranked and ranked[0].votes > 0 else None
    voting_round.closed_at = timezone.now()
    voting_round.winner = winner
    voting_round.save(update_fields=["closed_at", "winner"])
    # The daily hashes served their purpose: they are not kept past the round.
    Vote.objects.filter(round=voting_round).update(fingerprint="")
    assigned = 0
    expert = _expert_for(winner) if winner is not None else None
    if winner is not None and winner.group is not None and expert is not None:
        assigned, _ = group_apply(group=winner.group, action="assign", actor=actor, expert=expert)
    audit_record(
        actor=actor,
        action="round.close",
        target=voting_round,
        winner=winner.pk if winner else None,
        votes={o.pk: o.votes for o in options},
        assigned=assigned,
    )
    callout_public_changed(callout_id=voting_round.callout_id)  # the round leaves the public pages
    voters = Vote.objects.filter(round=voting_round).exclude(email_digest="").values_list("pk", "language")
    for vote_id, language in voters:
        outbox_add(
            key=f"round:{voting_round.pk}:vote:{vote_id}",
            kind=OutgoingEmail.Kind.ROUND_RESULT,
            vote_id=vote_id,
            context={"round": voting_round.pk},
            language=language,
        )
    if winner is None:
        outcome = "no votes"
    elif expert is None:
        outcome = f"won: “{winner.label[:100]}”, no expert assigned yet"
    else:
        outcome = f"won: “{winner.label[:100]}”, now in {expert.name}'s queue"
    editor_alert_raise(
        newsroom_id=voting_round.callout.story.newsroom_id,
        kind=EditorAlert.Kind.ROUND_CLOSED,
        key=f"round:{voting_round.pk}:closed",
        text=f"Vote closed: {voting_round.title[:100]}: {outcome}",
        url=reverse("readers:round_desk", args=[voting_round.pk]),
    )
    return voting_round


WITHDRAWN = "A question withdrawn by its reader"


@transaction.atomic
def round_options_forget(*, question_id: int) -> int:
    """A question was deleted: round wording offered from it becomes its group's label (made anew without it)."""
    changed = 0
    for option in RoundOption.objects.filter(source_question_id=question_id).select_related("group"):
        option.label = (option.group.label if option.group is not None else "") or WITHDRAWN
        option.source_question_id = option.group.representative_id if option.group is not None else None
        option.save(update_fields=["label", "source_question_id"])
        changed += 1
    return changed


def rounds_close_due(*, now: dt.datetime | None = None) -> list[VotingRound]:
    """Close every round whose closing time has passed (the periodic task)."""
    now = now or timezone.now()
    due = VotingRound.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("closes_at")
    closed = [round_close(voting_round=voting_round) for voting_round in due]
    VoteSalt.objects.filter(day__lt=timezone.localdate(now) - dt.timedelta(days=1)).delete()
    return closed
