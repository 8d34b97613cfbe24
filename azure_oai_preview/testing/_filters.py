"""Azure's content filter, emulated: per-category verdicts, blocked prompts, filtered output.

By default nothing is flagged and every response carries Azure's all-clear results
(``hate``/``self_harm``/``sexual``/``violence`` at ``safe``, ``jailbreak`` not detected...).
Rules make it bite:

* :meth:`ContentFilters.block_prompt` - a prompt that matches is refused with HTTP 400
  ``content_filter`` and an ``innererror`` (``ResponsibleAIPolicyViolation``) carrying the
  per-category results in ``content_filter_result``, as the service spells them; an assistant
  run fails instead; DALL-E answers ``contentFilter`` with an ``inner_error`` carrying
  ``content_filter_results`` (its spelling).
* :meth:`ContentFilters.filter_completion` - generated text that matches is cut where the
  match starts and ends with ``finish_reason: content_filter``, its choice's
  ``content_filter_results`` flagging the category.

A pattern is a case-insensitive substring, a compiled regular expression, or a callable
taking the text and returning whether it matches.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ._errors import ServiceError

__all__ = ["Category", "ContentFilters", "FilterRule", "Pattern", "Severity"]

Category = Literal[
    "hate",
    "sexual",
    "violence",
    "self_harm",
    "profanity",
    "jailbreak",
    "indirect_attack",
    "protected_material_text",
    "protected_material_code",
]
Severity = Literal["low", "medium", "high"]
Pattern = str | re.Pattern[str] | Callable[[str], bool]

_SEVERITY_CATEGORIES = ("hate", "self_harm", "sexual", "violence")
_PROMPT_CATEGORIES = (*_SEVERITY_CATEGORIES, "profanity", "jailbreak", "indirect_attack")
_COMPLETION_CATEGORIES = (
    *_SEVERITY_CATEGORIES,
    "profanity",
    "protected_material_text",
    "protected_material_code",
)
_PROMPT_MESSAGE = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content "
    "management policy. Please modify your prompt and retry. To learn more about our "
    "content filtering policies please read our documentation: "
    "https://go.microsoft.com/fwlink/?linkid=2198766"
)
_IMAGE_MESSAGE = "Your task failed as a result of our safety system."


@dataclass(frozen=True)
class FilterRule:
    pattern: Pattern
    category: Category
    severity: Severity

    def find(self, text: str) -> int | None:
        """Where the pattern matches ``text`` (0 for a callable), or None."""
        if isinstance(self.pattern, str):
            index = text.lower().find(self.pattern.lower())
            return None if index < 0 else index
        if isinstance(self.pattern, re.Pattern):
            match = self.pattern.search(text)
            return None if match is None else match.start()
        return 0 if self.pattern(text) else None


class ContentFilters:
    """The content filter rules; reachable as ``emulator.filters``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prompt_rules: list[FilterRule] = []
        self._completion_rules: list[FilterRule] = []

    def block_prompt(
        self, pattern: Pattern, *, category: Category = "violence", severity: Severity = "high"
    ) -> None:
        """Refuse prompts matching ``pattern`` (HTTP 400 ``content_filter``).

        ``category`` is one the service reports on prompts: hate, sexual, violence,
        self_harm, profanity, jailbreak or indirect_attack (else ValueError).
        """
        _check_category(category, _PROMPT_CATEGORIES)
        with self._lock:
            self._prompt_rules.append(FilterRule(pattern, category, severity))

    def filter_completion(
        self, pattern: Pattern, *, category: Category = "violence", severity: Severity = "high"
    ) -> None:
        """Cut generated text matching ``pattern`` (``finish_reason: content_filter``).

        ``category`` is one the service reports on output: hate, sexual, violence,
        self_harm, profanity, protected_material_text or protected_material_code.
        """
        _check_category(category, _COMPLETION_CATEGORIES)
        with self._lock:
            self._completion_rules.append(FilterRule(pattern, category, severity))

    def clear(self) -> None:
        with self._lock:
            self._prompt_rules.clear()
            self._completion_rules.clear()

    def check_prompt(self, text: str) -> tuple[dict[str, Any], FilterRule | None]:
        """The prompt's results and the rule that blocks it, if any."""
        with self._lock:
            rules = list(self._prompt_rules)
        hit = next((rule for rule in rules if rule.find(text) is not None), None)
        return prompt_results(hit), hit

    def check_completion(self, text: str) -> tuple[str, dict[str, Any], bool]:
        """The text as sent (cut at the first match), its results, and whether it was cut."""
        with self._lock:
            rules = list(self._completion_rules)
        for rule in rules:
            at = rule.find(text)
            if at is not None:
                return text[:at], completion_results(rule), True
        return text, completion_results(None), False

    def prompt_blocked_error(self, results: dict[str, Any]) -> ServiceError:
        return ServiceError(
            400,
            "content_filter",
            _PROMPT_MESSAGE,
            param="prompt",
            inner_error={"code": "ResponsibleAIPolicyViolation", "content_filter_result": results},
        )

    def image_blocked_error(self, results: dict[str, Any]) -> ServiceError:
        return ServiceError(
            400,
            "contentFilter",
            _IMAGE_MESSAGE,
            inner_error={"code": "ResponsibleAIPolicyViolation", "content_filter_results": results},
            inner_error_key="inner_error",
        )


def _check_category(category: str, allowed: tuple[str, ...]) -> None:
    if category not in allowed:
        raise ValueError(f"category must be one of {', '.join(allowed)}")


def _verdict(category: str, rule: FilterRule | None) -> dict[str, Any]:
    flagged = rule is not None and rule.category == category
    if category in _SEVERITY_CATEGORIES:
        return {"filtered": flagged, "severity": rule.severity if flagged and rule else "safe"}
    return {"filtered": flagged, "detected": flagged}


def _results(base: tuple[str, ...], rule: FilterRule | None) -> dict[str, Any]:
    names = list(base)
    if rule is not None and rule.category not in names:
        names.append(rule.category)
    return {name: _verdict(name, rule) for name in names}


def prompt_results(rule: FilterRule | None) -> dict[str, Any]:
    """``contentFilterPromptResults`` with ``rule``'s category flagged."""
    return _results((*_SEVERITY_CATEGORIES, "jailbreak"), rule)


def completion_results(rule: FilterRule | None) -> dict[str, Any]:
    """``contentFilterChoiceResults`` with ``rule``'s category flagged."""
    return _results(
        (*_SEVERITY_CATEGORIES, "protected_material_text", "protected_material_code"), rule
    )


def image_results(rule: FilterRule | None) -> dict[str, Any]:
    """``dalleFilterResults`` (the prompt's) with ``rule``'s category flagged."""
    return _results((*_SEVERITY_CATEGORIES, "profanity", "jailbreak"), rule)


def image_output_results() -> dict[str, Any]:
    """``dalleContentFilterResults`` of a generated image: all clear."""
    return _results(_SEVERITY_CATEGORIES, None)
