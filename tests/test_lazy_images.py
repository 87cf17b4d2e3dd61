"""Lazy-loaded images get their real address before the page is read (readers/lazy_images):
the placeholder in ``src`` is replaced by the picture a script would have loaded."""

from __future__ import annotations

from lxml import etree

from converter.readers import read_string
from converter.readers.html import parse_html
from converter.readers.lazy_images import fix_lazy_images

PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def fixed(fragment: str) -> tuple[list[dict[str, str]], list[str]]:
    root = parse_html(f"<html><body>{fragment}</body></html>")
    changes = fix_lazy_images(root)
    return [dict(img.attrib) for img in root.iter("img")], [c.rule for c in changes]


def test_noscript_copy_replaces_the_placeholder_before_it():
    images, rules = fixed(
        '<div><img src="https://cdn.example/max/60/hall.png?q=20" alt="The hall"></div>'
        '<img alt="The hall" width="1144"><noscript><img src="https://cdn.example/max/2288/hall.png" '
        'alt="The hall"></noscript>')
    # The empty slot a script fills is gone; the noscript image took the thumbnail's place.
    assert images == [{"src": "https://cdn.example/max/2288/hall.png", "alt": "The hall",
                       "data-old-src": "https://cdn.example/max/60/hall.png?q=20"}]
    assert rules == ["images.lazy"]


def test_noscript_without_an_image_before_it_is_left_alone():
    images, rules = fixed('<p>Text</p><noscript><img src="https://cdn.example/tracker.png"></noscript>')
    assert images == [{"src": "https://cdn.example/tracker.png"}] and rules == []


def test_data_src_replaces_a_pixel_placeholder():
    images, rules = fixed(f'<img src="{PIXEL}" data-src="/photos/hall.jpg" alt="Hall">')
    assert images == [{"data-src": "/photos/hall.jpg", "alt": "Hall", "src": "/photos/hall.jpg"}]
    assert rules == ["images.lazy"]


def test_data_srcset_and_lazy_class():
    images, _ = fixed('<img class="lazyload" src="/thumbs/hall-20.jpg" '
                      'data-srcset="/photos/hall-800.jpg 800w, /photos/hall-1600.jpg 1600w" '
                      'data-original="/photos/hall-1600.jpg">')
    assert images[0]["srcset"] == "/photos/hall-800.jpg 800w, /photos/hall-1600.jpg 1600w"
    assert images[0]["src"] == "/photos/hall-1600.jpg"


def test_an_image_with_a_real_src_is_not_touched():
    images, rules = fixed('<img src="/photos/hall.jpg" data-src="/photos/other.jpg" alt="Hall">')
    assert images == [{"src": "/photos/hall.jpg", "data-src": "/photos/other.jpg", "alt": "Hall"}]
    assert rules == []


def test_small_svg_data_url_is_a_picture_not_a_placeholder():
    svg = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
    images, rules = fixed(f'<img src="{svg}" data-src="/photos/hall.jpg">')
    assert images[0]["src"] == svg and rules == []


def test_pixel_without_a_real_address_becomes_its_alt_text():
    root = parse_html(f'<html><body><figure><img src="{PIXEL}" alt="A harbour crane">'
                      '<figcaption>Photo: Port</figcaption></figure></body></html>')
    assert [c.rule for c in fix_lazy_images(root)] == ["images.placeholder"]
    assert root.find(".//img") is None
    assert root.find(".//span").text == "A harbour crane"


def test_read_html_records_the_changes_and_keeps_the_real_picture():
    page = ("<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
            "<p>The harbour crane was moved on Monday, the port authority said in a statement.</p>"
            f'<p><img src="{PIXEL}" data-src="crane.jpg" alt="The crane"></p>'
            "<p>Work on the new quay starts next month and will take about a year to finish.</p>"
            "</article></body></html>")
    doc = read_string(page, "html")
    assert [img.get("src") for img in doc.body.iter("img")] == ["crane.jpg"]
    assert any(c.rule == "images.lazy" and c.after == "crane.jpg" for c in doc.changes)
    assert etree.tostring(doc.body).count(b"base64") == 0


def test_one_artboard_of_a_responsive_graphic_stays():
    images, rules = fixed(
        '<div class="g-chart">'
        '<div class="g-artboard" data-min-width="600"><img data-src="/charts/debt-Artboard_2.png" '
        f'src="{PIXEL}"><p>Interest, in billions</p></div>'
        '<div class="g-artboard" data-min-width="300" data-max-width="599"><img '
        f'data-src="/charts/debt-Artboard_3.png" src="{PIXEL}"><p>Interest, in billions</p></div>'
        '</div>')
    assert [img["src"] for img in images] == ["/charts/debt-Artboard_2.png"]
    assert rules.count("images.artboard") == 1


def test_artboards_for_narrow_screens_only_keep_the_widest():
    images, _ = fixed('<div><div data-min-width="0" data-max-width="299"><img src="/a-small.png"></div>'
                      '<div data-min-width="300" data-max-width="599"><img src="/a-medium.png"></div></div>')
    assert [img["src"] for img in images] == ["/a-medium.png"]


def test_site_root_addresses_resolve_against_the_page_address():
    story = ("<p>The harbour crane was moved on Monday, the port authority said in a statement.</p>"
             '<figure><img src="/photo/2018/crane.jpg" alt="The crane"></figure>'
             "<p>Work on the new quay starts next month and will take about a year to finish.</p>")
    head = ('<link rel="canonical" href="https://news.example.org/harbour/crane.html">'
            '<meta property="og:url" content="https://other.example.org/x">')
    doc = read_string(f"<html><head><title>Crane</title>{head}</head><body><article>"
                      f"<h1>Crane</h1>{story}</article></body></html>", "html")
    assert [img.get("src") for img in doc.body.iter("img")] == ["https://news.example.org/photo/2018/crane.jpg"]
    assert any(c.rule == "images.site-address" for c in doc.changes)
    # Without an address the page gives for itself, a root path stays as written (and is
    # left out later as outside the source folder); a relative one is a file beside the page.
    doc = read_string(f"<html><head><title>Crane</title></head><body><article><h1>Crane</h1>{story}"
                      '<p><img src="crane_files/quay.jpg" alt="Quay"></p></article></body></html>', "html")
    assert [img.get("src") for img in doc.body.iter("img")] == ["/photo/2018/crane.jpg", "crane_files/quay.jpg"]


def test_relative_address_with_no_file_beside_the_page_is_a_web_address(tmp_path):
    from converter.readers.html import read_html

    (tmp_path / "crane_files").mkdir()
    (tmp_path / "crane_files" / "quay.jpg").write_bytes(b"\xff\xd8\xff")
    page = tmp_path / "crane.html"
    page.write_text(
        '<html><head><title>Crane</title><base href="https://news.example.org/harbour/"></head>'
        "<body><article><h1>Crane</h1><p>The harbour crane was moved on Monday, the port "
        'authority said in a statement today.</p><p><img src="crane_files/quay.jpg" alt="Quay">'
        '</p><p><img src="images/crane.jpg" alt="Crane"> <img src="../../etc/x.jpg" alt="X"></p>'
        "<p>Work on the new quay starts next month and will take about a year.</p></article>"
        "</body></html>", encoding="utf-8")
    doc = read_html(page.read_text(encoding="utf-8"), page)
    assert [img.get("src") for img in doc.body.iter("img")] == [
        "crane_files/quay.jpg",  # saved beside the page: a file
        "https://news.example.org/harbour/images/crane.jpg",  # not there: the site's
        "../../etc/x.jpg",  # climbing out of the folder: a path, refused later as outside it
    ]


def test_an_empty_slot_with_alt_text_and_no_copy_keeps_its_alt_text():
    root = parse_html('<html><body><p>Before <img alt="Map of the harbour" width="600"> after.</p>'
                      '<p><img width="10"> and <img alt="Quay" class="x"><noscript><img src="q.jpg" '
                      'alt="Quay"></noscript></p></body></html>')
    fix_lazy_images(root)
    assert [s.text for s in root.iter("span")] == ["Map of the harbour"]
    assert [img.get("src") for img in root.iter("img")] == ["q.jpg"]
    assert "Before Map of the harbour after." == " ".join(root.find(".//p").text_content().split())


def test_amp_images_become_images_and_their_fallback_goes_with_them():
    images, rules = fixed(
        '<figure><amp-img src="/photos/bus.jpg" width="800" height="450" layout="responsive" '
        'alt="A bus in the valley"><noscript><img src="/photos/bus.jpg" alt="A bus"></noscript></amp-img>'
        '<figcaption>The number 12.</figcaption></figure>'
        '<amp-img layout="fill"><noscript><img src="/photos/depot.jpg" alt="The depot"></noscript></amp-img>')
    assert images == [{"src": "/photos/bus.jpg", "alt": "A bus in the valley", "width": "800", "height": "450"},
                      {"src": "/photos/depot.jpg", "alt": "The depot"}]
    assert rules == ["images.amp", "images.amp"]


def test_links_that_start_at_the_site_root_resolve_against_the_page_address(tmp_path):
    from converter.readers.html import read_html

    (tmp_path / "part-2.html").write_text("<p>Part two</p>", encoding="utf-8")
    page = tmp_path / "crane.html"
    page.write_text(
        '<html><head><title>Crane</title><link rel="canonical" href="https://news.example.org/harbour/crane.html">'
        "</head><body><article><h1>Crane</h1><p>The harbour crane was moved on Monday, the "
        '<a href="/authority/">port authority</a> said in a <a href="statement.html">statement</a> '
        'today, and <a href="part-2.html">part two</a> follows. See <a href="#quay">the quay</a>, '
        '<a href="//maps.example.org/quay">the map</a> and <a href="https://x.example/">X</a>.</p>'
        '<p id="quay">Work on the new quay starts next month and will take about a year.</p>'
        "</article></body></html>", encoding="utf-8")
    doc = read_html(page.read_text(encoding="utf-8"), page)
    assert [a.get("href") for a in doc.body.iter("a")] == [
        "https://news.example.org/authority/",
        "https://news.example.org/harbour/statement.html",  # no such file beside the page
        "part-2.html",  # saved beside it: the reader's own copy
        "#quay",
        "https://maps.example.org/quay",
        "https://x.example/",
    ]
    assert any(c.rule == "links.site-address" for c in doc.changes)
