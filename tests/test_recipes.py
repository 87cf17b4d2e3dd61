"""Recipe cards of food blogs (WP Recipe Maker, Tasty Recipes, Mediavine Create): the times
and servings survive the locator as a list, the steps are numbered, the plug-in's controls
go."""

from __future__ import annotations

from lxml import html as lxml_html

from converter.readers import read_string
from converter.readers.recipes import recipe_cards

WPRM_CARD = """
<div class="wprm-recipe-container"><div class="wprm-recipe">
<h2 class="wprm-recipe-name">Saltcote Fish Pie</h2>
<div class="wprm-recipe-rating"><span>★★★★★</span><div class="wprm-recipe-rating-details">4.8 from 112 votes</div></div>
<div class="wprm-recipe-meta-container">
<div class="wprm-recipe-block-container"><span class="wprm-recipe-details-label">Prep Time</span>
<span class="wprm-recipe-details">25</span> <span class="wprm-recipe-details-unit">minutes</span></div>
<div class="wprm-recipe-block-container"><span class="wprm-recipe-details-label">Servings: </span>
<span class="wprm-recipe-details">6</span></div></div>
<h3>Ingredients</h3><ul class="wprm-recipe-ingredients">
<li class="wprm-recipe-ingredient"><span class="wprm-checkbox-container"><input type="checkbox"><label>▢</label></span>600 g white fish</li>
<li class="wprm-recipe-ingredient"><span class="wprm-checkbox-container"><input type="checkbox"><label>▢</label></span>500 ml milk</li></ul>
<h3>Instructions</h3><ul class="wprm-recipe-instructions">
<li class="wprm-recipe-instruction">Poach the fish in the milk.</li><li class="wprm-recipe-instruction">Bake it.</li></ul>
<div class="wprm-call-to-action"><span>Tried this recipe?</span><span>Mention @harbourkitchen!</span></div>
</div></div>"""

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Saltcote Fish Pie</title></head><body>
<nav><a href="/">Home</a> <a href="/recipes">Recipes</a></nav>
<article><h1>Saltcote Fish Pie</h1>
<p>This is the pie the harbour café has served every Friday since 1987. The trick is a loose sauce
and a mash that is not too stiff, so that the top browns in ridges under the grill.</p>
<p>Smoked haddock gives it depth; if you cannot get it, use more white fish and a pinch of smoked
paprika in the sauce, which does much the same job for a fraction of the price.</p>
{card}</article><footer>© Harbour Kitchen</footer></body></html>"""


def _root(fragment: str):
    return lxml_html.fromstring(f"<html><body>{fragment}</body></html>")


def test_a_wprm_card_loses_its_controls_and_keeps_its_details_and_numbered_steps():
    root = _root(WPRM_CARD)
    assert recipe_cards(root) > 0
    text = " ".join(root.text_content().split())
    for gone in ("★", "112 votes", "▢", "Tried this recipe", "@harbourkitchen"):
        assert gone not in text
    (details,) = [ul for ul in root.iter("ul") if "Prep Time" in ul.text_content()]
    assert [li.text for li in details] == ["Prep Time: 25 minutes", "Servings: 6"]
    (steps,) = root.findall(".//ol")
    assert [li.text for li in steps] == ["Poach the fish in the milk.", "Bake it."]
    assert [" ".join(li.text_content().split()) for li in root.find(".//ul[@class='wprm-recipe-ingredients']")] \
        == ["600 g white fish", "500 ml milk"]


def test_the_details_survive_the_locator_on_a_whole_page():
    doc = read_string(PAGE.format(card=WPRM_CARD), "html")
    lists = [[" ".join(li.text_content().split()) for li in ul] for ul in doc.body.iter("ul", "ol")]
    assert ["Prep Time: 25 minutes", "Servings: 6"] in lists
    assert ["Poach the fish in the milk.", "Bake it."] in lists
    assert doc.body.find(".//ol") is not None
    assert "112 votes" not in doc.body.text_content()


def test_mediavine_times_and_tasty_controls():
    root = _root("""<div class="mv-create-card"><div class="mv-create-times">
        <div class="mv-create-time mv-create-time-prep"><span class="mv-create-time-label">Prep Time</span>
        <span class="mv-create-time-format">20 minutes</span></div>
        <div class="mv-create-time"><span class="mv-create-time-label">Yield</span> 40 crackers</div></div>
        <div class="mv-create-reviews">4.9 from 37 reviews</div></div>
        <div class="tasty-recipes"><div class="tasty-recipes-buttons"><a href="/print">Print Recipe</a></div>
        <ol><li>Rub the butter into the flour.</li></ol></div>""")
    recipe_cards(root)
    (details,) = root.findall(".//ul")
    assert [li.text for li in details] == ["Prep Time: 20 minutes", "Yield: 40 crackers"]
    text = root.text_content()
    assert "37 reviews" not in text and "Print Recipe" not in text and "Rub the butter" in text


def test_a_page_without_a_recipe_card_is_left_alone():
    fragment = ('<div class="meta"><div class="block"><span class="label">Prep Time</span> 25 minutes</div></div>'
                '<ul class="steps"><li>One.</li></ul><div class="rating">★★★★★</div>')
    root = _root(fragment)
    before = lxml_html.tostring(root)
    assert recipe_cards(root) == 0
    assert lxml_html.tostring(root) == before
