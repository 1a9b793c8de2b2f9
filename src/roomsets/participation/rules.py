"""Entry rules of CUSTOM_RULES: which properties and operators exist, and how a rule holds.

A rule is `{property, operator, value}`. Properties describe the caller:

| property | value of the caller |
|---|---|
| `emailAddress` | the e-mail address (lowercase) |
| `emailDomain` | the part after `@` |
| `companyName` | the name of the caller's company, absent without one |
| `timeZone` | the IANA time zone name |
| `emailVerified` | true or false |
| `badge:<question title>` | the caller's answer to that badge question of the set |

Operators: `EQUALS`, `NOT_EQUALS`, `CONTAINS` (substring; for a MULTI_SELECT answer: one of the
chosen options), `IN` (value is a list; for a MULTI_SELECT answer: any chosen option is in it),
`GREATER_THAN`, `LESS_THAN` (decimal comparison; the value must be a number). Text compares
case-insensitively. A missing value (no company, an unanswered question) satisfies only
`NOT_EQUALS`.
"""

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from roomsets.kit.errors import Invalid
from roomsets.users.models import User

BADGE_PREFIX = "badge:"


class Operator(enum.StrEnum):
    EQUALS = "EQUALS"
    NOT_EQUALS = "NOT_EQUALS"
    CONTAINS = "CONTAINS"
    IN = "IN"
    GREATER_THAN = "GREATER_THAN"
    LESS_THAN = "LESS_THAN"


PROFILE_PROPERTIES = ("emailAddress", "emailDomain", "companyName", "timeZone", "emailVerified")
ORDERED = (Operator.GREATER_THAN, Operator.LESS_THAN)

Value = str | bool | list[str] | None


@dataclass(frozen=True)
class Profile:
    """What rules are checked against: the caller and their answers by question title."""

    values: Mapping[str, Value]

    @classmethod
    def of(cls, user: User, company_name: str | None, answers: Mapping[str, Value]) -> "Profile":
        values: dict[str, Value] = {
            "emailAddress": user.email,
            "emailDomain": user.email.partition("@")[2],
            "companyName": company_name,
            "timeZone": user.time_zone,
            "emailVerified": user.email_verified,
        }
        values.update({f"{BADGE_PREFIX}{title.lower()}": value for title, value in answers.items()})
        return cls(values)

    def get(self, prop: str) -> Value:
        if prop.startswith(BADGE_PREFIX):
            prop = BADGE_PREFIX + prop[len(BADGE_PREFIX) :].lower()
        return self.values.get(prop)


def validate_rules(rules: Sequence[Any], question_titles: Sequence[str]) -> list[dict[str, Any]]:
    """The rules as stored, or `Invalid` naming `rules.<i>.property`, `.operator` or `.value`."""
    titles = {t.lower() for t in question_titles}
    stored = []
    for i, rule in enumerate(rules):
        prop, operator, value = rule.property, rule.operator, rule.value
        if prop.startswith(BADGE_PREFIX):
            if prop[len(BADGE_PREFIX) :].lower() not in titles:
                raise Invalid(f"rules.{i}.property", f"the set has no badge question titled {prop[len(BADGE_PREFIX):]!r}")
        elif prop not in PROFILE_PROPERTIES:
            known = ", ".join((*PROFILE_PROPERTIES, "badge:<question title>"))
            raise Invalid(f"rules.{i}.property", f"unknown property {prop!r}; known properties: {known}")
        if operator not in Operator.__members__:
            raise Invalid(
                f"rules.{i}.operator", f"unknown operator {operator!r}; known operators: {', '.join(Operator)}"
            )
        operator = Operator(operator)
        if prop == "emailVerified" and operator not in (Operator.EQUALS, Operator.NOT_EQUALS):
            raise Invalid(f"rules.{i}.operator", "emailVerified takes only EQUALS or NOT_EQUALS")
        field = f"rules.{i}.value"
        if operator == Operator.IN:
            if not isinstance(value, list) or not value:
                raise Invalid(field, "IN needs a non-empty list of strings")
        elif isinstance(value, list) or value is None:
            raise Invalid(field, f"{operator} needs a single value")
        elif operator in ORDERED and (isinstance(value, bool) or _decimal(value) is None):
            raise Invalid(field, f"{operator} needs a number")
        elif prop == "emailVerified" and _boolean(value) is None:
            raise Invalid(field, "emailVerified compares with true or false")
        stored.append({"property": prop, "operator": operator.value, "value": value})
    return stored


def holds(rule: Mapping[str, Any], profile: Profile) -> bool:
    operator, expected = Operator(rule["operator"]), rule["value"]
    actual = profile.get(rule["property"])
    if actual is None or actual == []:
        return operator == Operator.NOT_EQUALS
    if isinstance(actual, bool):
        equal = actual == _boolean(expected)
        return equal if operator == Operator.EQUALS else not equal
    chosen = [actual] if isinstance(actual, str) else actual
    if operator == Operator.EQUALS:
        return len(chosen) == 1 and _same(chosen[0], expected)
    if operator == Operator.NOT_EQUALS:
        return not (len(chosen) == 1 and _same(chosen[0], expected))
    if operator == Operator.CONTAINS:
        if isinstance(actual, list):
            return any(_same(c, expected) for c in chosen)
        return str(expected).lower() in actual.lower()
    if operator == Operator.IN:
        return any(_same(c, e) for c in chosen for e in expected)
    number, limit = _decimal(chosen[0]) if len(chosen) == 1 else None, _decimal(expected)
    if number is None or limit is None:
        return False
    return number > limit if operator == Operator.GREATER_THAN else number < limit


def describe(rule: Mapping[str, Any]) -> str:
    return f"{rule['property']} {rule['operator']} {json.dumps(rule['value'])}"


def _same(actual: str, expected: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        a, e = _decimal(actual), _decimal(expected)
        return a is not None and e is not None and a == e
    return actual.lower() == str(expected).lower()


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(str(value).strip().lower())
