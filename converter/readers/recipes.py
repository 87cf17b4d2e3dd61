"""Recipe cards, as the recipe plug-ins of food blogs write them (WP Recipe Maker, Tasty
Recipes, Mediavine Create), read as the recipe they hold, before the article is located.

    <div class="wprm-recipe-meta-container">
      <div class="wprm-recipe-block-container"><span class="wprm-recipe-details-label">Prep Time</span>
        <span class="wprm-recipe-details">25</span> <span>minutes</span></div> …
    ->  <ul><li>Prep Time: 25 minutes</li> …</ul>
    <ul class="wprm-recipe-instructions"><li>Poach the fish…</li> …
    ->  <ol><li>Poach the fish…</li> …</ol>
    <div class="wprm-recipe-rating">★★★★★ 4.8 from 112 votes</div>, the checkbox before each
    ingredient, "Jump to Recipe", "Print Recipe", "Tried this recipe? Tag us!"  ->  gone

A card's times and servings are a row of small label-and-value boxes, which the locator
takes for page furniture and drops: the edition lost how long the dish takes and whom it
feeds. Its steps are numbered on screen by the plug-in's style sheet, not by the markup. The
rating widget, the buttons, the ingredient checkboxes and the call to post a photo are the
page's controls, not the recipe.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# The controls of the recipe plug-ins, removed with their content.
CONTROL_CLASS = re.compile(
    r"^(?:wprm-recipe-rating|wprm-checkbox-container|wprm-call-to-action|wprm-recipe-jump(?:-video)?|"
    r"wprm-recipe-print|wprm-recipe-pin|wprm-recipe-add-to-collection|wprm-recipe-snippet|"
    r"wprm-unit-conversion-container|wprm-recipe-adjustable-servings-container|"
    r"tasty-recipes-rating|tasty-recipes-ratings|tasty-recipes-buttons|tasty-recipes-entry-footer|"
    r"tasty-recipes-quick-links|tasty-recipes-scale-container|tasty-recipes-convert-container|"
    r"mv-create-reviews|mv-create-rating|mv-create-print-button|mv-create-pin-button|mv-create-social|"
    r"mv-create-jtr-link|mv-create-jtr-button|tasty-recipes-jump-link)$")
# A card's row of details: the row, each detail, and a detail's label.
DETAILS_CLASS = re.compile(r"^(?:wprm-recipe-meta-container|mv-create-times)$")
DETAIL_CLASS = re.compile(r"^(?:wprm-recipe-block-container|mv-create-time)$")
LABEL_CLASS = re.compile(r"^(?:wprm-recipe-details-label|mv-create-time-label)$")
# The list of a card's steps (numbered by the plug-in's style sheet).
STEPS_CLASS = re.compile(r"^(?:wprm-recipe-instructions|tasty-recipes-instructions-list)$")
# The longest detail read as a label and a value.
DETAIL_MAX_CHARS = 120


def _has_class(el: etree._Element, pattern: re.Pattern[str]) -> bool:
    return isinstance(el.tag, str) and any(pattern.match(c) for c in (el.get("class") or "").split())


def _text(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def recipe_cards(root: etree._Element) -> int:
    """Read the recipe cards in ``root``: controls go, detail rows become lists, step lists
    are numbered. Returns how many elements were changed or removed (0 on a page with none)."""
    changed = 0
    for el in [el for el in root.iter() if _has_class(el, CONTROL_CLASS)]:
        if el.getparent() is not None and not any(_has_class(a, CONTROL_CLASS) for a in el.iterancestors()):
            _drop(el)
            changed += 1
    for row in [el for el in root.iter() if _has_class(el, DETAILS_CLASS)]:
        changed += _details_list(row)
    for steps in [el for el in root.iter("ul") if _has_class(el, STEPS_CLASS)]:
        steps.tag = "ol"
        changed += 1
    return changed


def _drop(el: etree._Element) -> None:
    """Remove ``el``, keeping the text after it."""
    parent = el.getparent()
    if el.tail and el.tail.strip():
        before = el.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _details_list(row: etree._Element) -> int:
    """A row of details as a list, an item per detail: "Prep Time: 25 minutes"."""
    items = []
    for detail in [el for el in row.iter() if _has_class(el, DETAIL_CLASS)]:
        if any(_has_class(a, DETAIL_CLASS) for a in detail.iterancestors()):
            continue
        label = next((el for el in detail.iter() if _has_class(el, LABEL_CLASS)), None)
        whole = _text(detail)
        if not whole or len(whole) > DETAIL_MAX_CHARS:
            continue
        if label is not None and _text(label):
            name = _text(label).rstrip(": ")
            value = whole[len(_text(label)):].strip(" :") if whole.startswith(_text(label)) else whole
            items.append(f"{name}: {value}" if value else name)
        else:
            items.append(whole)
    if not items:
        return 0
    ul = lxml_html.Element("ul")
    for item in items:
        etree.SubElement(ul, "li").text = item
    ul.tail = row.tail
    row.getparent().replace(row, ul)
    return 1
