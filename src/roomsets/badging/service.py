"""Badge questions of a room set and the answers users give to them.

A question is addressed by its title, unique in its set (case-insensitively). Replacing
the questions (B2) keeps the answers to questions whose title stays, as long as they still
fit the question; the others go.
"""

import re
import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from roomsets.badging.models import BadgeAnswer, BadgeQuestion, InputType
from roomsets.badging.schemas import BadgeAnswerCreate, BadgeData, BadgeQuestionCreate
from roomsets.kit.db import utcnow
from roomsets.kit.errors import Invalid
from roomsets.kit.paging import PageRequest
from roomsets.sets import permissions
from roomsets.users.models import User

SORTABLE = {"position": BadgeQuestion.position, "title": func.lower(BadgeQuestion.title)}
MAX_LENGTH = {InputType.TEXT: 225, InputType.PARAGRAPH: 2000}
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
SELECTS = (InputType.SINGLE_SELECT, InputType.MULTI_SELECT)

Answer = str | list[str] | None


def check_answer(question: BadgeQuestion, value: str | None, multi_values: list[str] | None) -> str | None:
    """Why this answer does not fit the question (a sentence naming the field), or None."""
    if question.input_type == InputType.MULTI_SELECT:
        if value is not None:
            return "value: a MULTI_SELECT question is answered in multiValues"
        chosen = multi_values or []
        unknown = [v for v in chosen if v not in question.options]
        if unknown:
            return f"multiValues: {unknown[0]!r} is not one of the options {question.options}"
        if len(set(chosen)) != len(chosen):
            return "multiValues: an option is chosen more than once"
        return None
    if multi_values:
        return f"multiValues: only a MULTI_SELECT question takes multiValues; this one is {question.input_type}"
    if value is None:
        return None
    if question.input_type in MAX_LENGTH and len(value) > MAX_LENGTH[question.input_type]:
        return f"value: a {question.input_type} answer has at most {MAX_LENGTH[question.input_type]} characters"
    if question.input_type == InputType.SINGLE_SELECT and value not in question.options:
        return f"value: {value!r} is not one of the options {question.options}"
    if question.input_type == InputType.NUMBER and not DECIMAL.match(value.strip()):
        return f"value: {value!r} is not a decimal number"
    return None


def is_answered(value: str | None, multi_values: list[str] | None) -> bool:
    """A blank text or an empty choice is no answer."""
    return bool(value and value.strip()) or bool(multi_values)


async def badge_data(
    session: AsyncSession, room_set_id: uuid.UUID, user: User, page: PageRequest | None = None
) -> tuple[list[BadgeData], int]:
    """The set's questions with the user's answers, in the host's order (or as `page` sorts)."""
    statement = (
        select(BadgeQuestion, BadgeAnswer.value, BadgeAnswer.multi_values)
        .outerjoin(BadgeAnswer, and_(BadgeAnswer.question_id == BadgeQuestion.id, BadgeAnswer.user_id == user.id))
        .where(BadgeQuestion.room_set_id == room_set_id)
    )
    total = await session.scalar(
        select(func.count()).select_from(BadgeQuestion).where(BadgeQuestion.room_set_id == room_set_id)
    )
    if page is None:
        statement = statement.order_by(BadgeQuestion.position, BadgeQuestion.id)
    else:
        statement = page.select_page(statement, SORTABLE, BadgeQuestion.id)
    rows = (await session.execute(statement)).all()
    return [BadgeData.from_question(q, value, multi_values) for q, value, multi_values in rows], total or 0


async def my_badge_data(
    session: AsyncSession, caller: User, room_set_id: uuid.UUID, page: PageRequest
) -> tuple[list[BadgeData], int]:
    """B1: the caller's answers to the questions of a set they can see."""
    await permissions.readable_set(session, caller, room_set_id)
    return await badge_data(session, room_set_id, caller, page)


async def replace_questions(
    session: AsyncSession, caller: User, room_set_id: uuid.UUID, items: Sequence[BadgeQuestionCreate]
) -> list[BadgeData]:
    """B2: the set's questions become `items`; answers to kept titles survive if still valid."""
    await permissions.editable_set(session, caller, room_set_id)
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = item.title.lower()
        if key in seen:
            raise Invalid(f"{i}.title", f"the title {item.title!r} is given twice; titles are unique in a set")
        seen.add(key)
        if item.input_type in SELECTS and not item.options:
            raise Invalid(f"{i}.options", f"a {item.input_type} question needs at least one option")
        if item.input_type not in SELECTS and item.options:
            raise Invalid(f"{i}.options", f"only select questions have options; this one is {item.input_type}")
        if len(set(item.options)) != len(item.options):
            raise Invalid(f"{i}.options", "an option is given twice")

    existing = {
        q.title.lower(): q
        for q in await session.scalars(select(BadgeQuestion).where(BadgeQuestion.room_set_id == room_set_id))
    }
    for key, question in existing.items():
        if key not in seen:
            await session.delete(question)
    for position, item in enumerate(items):
        question = existing.get(item.title.lower())
        if question is None:
            question = BadgeQuestion(room_set_id=room_set_id)
            session.add(question)
        question.position = position
        question.title = item.title
        question.description = item.description
        question.options = list(item.options)
        question.required = item.required
        question.featured = item.featured
        question.visibility = item.visibility
        question.input_type = item.input_type
    await session.flush()

    kept = [existing[k] for k in seen if k in existing]
    if kept:
        answers = await session.scalars(
            select(BadgeAnswer).where(BadgeAnswer.question_id.in_([q.id for q in kept]))
        )
        by_id = {q.id: q for q in kept}
        for answer in answers:
            if check_answer(by_id[answer.question_id], answer.value, answer.multi_values) is not None:
                await session.delete(answer)
        await session.flush()
    return (await badge_data(session, room_set_id, caller))[0]


async def answer_questions(
    session: AsyncSession, caller: User, room_set_id: uuid.UUID, items: Sequence[BadgeAnswerCreate]
) -> list[BadgeData]:
    """B3: the caller answers some questions of a set they can see; the others stay as they were."""
    await permissions.readable_set(session, caller, room_set_id)
    questions = {
        q.title.lower(): q
        for q in await session.scalars(select(BadgeQuestion).where(BadgeQuestion.room_set_id == room_set_id))
    }
    seen: set[str] = set()
    chosen: list[tuple[BadgeQuestion, BadgeAnswerCreate]] = []
    for i, item in enumerate(items):
        question = questions.get(item.title.strip().lower())
        if question is None:
            raise Invalid(f"{i}.title", f"the set has no badge question titled {item.title!r}")
        if question.id in seen:
            raise Invalid(f"{i}.title", f"the question {question.title!r} is answered twice")
        seen.add(question.id)
        problem = check_answer(question, item.value, item.multi_values) if is_answered(item.value, item.multi_values) else None
        if problem is not None:
            field, _, message = problem.partition(": ")
            raise Invalid(f"{i}.{field}", message)
        chosen.append((question, item))

    answers = {
        a.question_id: a
        for a in await session.scalars(
            select(BadgeAnswer).where(
                BadgeAnswer.user_id == caller.id, BadgeAnswer.question_id.in_([q.id for q, _ in chosen])
            )
        )
    }
    for question, item in chosen:
        answer = answers.get(question.id)
        if not is_answered(item.value, item.multi_values):
            if answer is not None:
                await session.delete(answer)
            continue
        if answer is None:
            answer = BadgeAnswer(question_id=question.id, user_id=caller.id)
            session.add(answer)
        answer.value = item.value.strip() if question.input_type == InputType.NUMBER else item.value
        answer.multi_values = list(item.multi_values) if question.input_type == InputType.MULTI_SELECT else None
        answer.answered_at = utcnow()
    await session.flush()
    return (await badge_data(session, room_set_id, caller))[0]


async def answers_by_title(session: AsyncSession, room_set_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, Answer]:
    rows = await session.execute(
        select(BadgeQuestion.title, BadgeAnswer.value, BadgeAnswer.multi_values)
        .join(BadgeAnswer, BadgeAnswer.question_id == BadgeQuestion.id)
        .where(BadgeQuestion.room_set_id == room_set_id, BadgeAnswer.user_id == user_id)
    )
    return {title: (multi if multi is not None else value) for title, value, multi in rows}


async def unanswered_required(session: AsyncSession, room_set_id: uuid.UUID, user_id: uuid.UUID) -> list[str]:
    """Titles of the set's required questions the user has not answered, in the host's order."""
    rows = await session.execute(
        select(BadgeQuestion.title, BadgeAnswer.value, BadgeAnswer.multi_values)
        .outerjoin(BadgeAnswer, and_(BadgeAnswer.question_id == BadgeQuestion.id, BadgeAnswer.user_id == user_id))
        .where(BadgeQuestion.room_set_id == room_set_id, BadgeQuestion.required.is_(True))
        .order_by(BadgeQuestion.position, BadgeQuestion.id)
    )
    return [title for title, value, multi in rows if not is_answered(value, multi)]
