"""Data only: the vocabularies the normaliser's heuristics use, per language.

Phrases are matched against whole blocks (after white space is collapsed), never inside a
sentence. Add a language by adding entries; no code change is needed.
"""

from __future__ import annotations

import re

# --- list markers -------------------------------------------------------------------------
# Glyphs that mark an unordered item; "-" and "*" as typed, the rest as pasted from web pages.
BULLET_GLYPHS = "-*•–·◦▪▫■□●○‣⁃∙+"
# Glyphs that never start a prose sentence, so a single item with them is still a list.
UNAMBIGUOUS_BULLETS = "•·◦▪▫■□●○‣⁃∙"
BULLET_CLASS = "[" + re.escape(BULLET_GLYPHS) + "]"

# A scene break: "* * *", "***", "- - -", "~~~", "⁂", "• • •" (three marks or more, or the
# asterism). Never a list marker: the paragraphs pass makes it an <hr>.
SCENE_BREAK = re.compile(r"^\s*(?:([*•·~=_-])(?:\s*\1){2,}|⁂|§\s*§\s*§)\s*$")
# A lower-case roman numeral up to 39 ("i", "iv", "xii"), as "(i)" and "ii)" number items.
ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"
# A marker alone on its line: "-", "•", "1.", "1)", "a)", "(a)", "(2)", "(iv)".
DETACHED_MARKER = re.compile(
    rf"^\s*(?:(?P<bullet>{BULLET_CLASS})|(?P<num>\d{{1,3}})[.)]|\((?P<pnum>\d{{1,3}})\)"
    rf"|\(?(?P<roman>{ROMAN})\)|(?P<alpha>[a-z])\)|\((?P<palpha>[a-z])\))\s*$"
)
# A marker at the start of an item: "- text", "-text", "• text", "1. Text", "1)Text", "a) text",
# "(b) text", "(iii) text". Numbers need "." or ")" right after them, so "2026 was a hard
# year." is never an item; letters and roman numerals need a space after their bracket.
INLINE_MARKER = re.compile(
    rf"^(?P<indent>\s*)(?:(?P<bullet>{BULLET_CLASS})(?P<bsp>\s*)"
    r"|(?P<num>\d{1,3})(?P<numend>[.)])(?!\d)(?P<nsp>\s*)"
    r"|\((?P<pnum>\d{1,3})\)(?P<psp>\s*)"
    rf"|\(?(?P<roman>{ROMAN})\)(?P<rsp>\s+)"
    r"|(?P<alpha>[a-z])\)(?P<asp>\s+)"
    r"|\((?P<palpha>[a-z])\)(?P<pasp>\s+))"
    r"(?=\S)"
)
# A list item pasted from Word as plain text: its marker, then a tab. Word's bullets go "•"
# (or "·", its Symbol font's), "o", "§" (Wingdings' square) by level, its numbers "1.", "a.",
# "i."; the tab had made the lines a table of markers and items.
WORD_PASTE_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[•·▪■◦○o§Øü➢*-]|\d{1,3}[.)]|[a-z][.)]|[ivx]{2,4}[.)])"
                             r"\t++(?=\S)")
WORD_PASTE_LEVELS = {"o": 1, "◦": 1, "○": 1, "§": 2, "▪": 2, "■": 2}
# An em dash as a bullet: before a word in lower case (dialogue opens with a capital).
DASH_ITEM = re.compile(r"^(?P<indent>\s*)—\s*+(?=[^\W\d_])")
# Items run together on one line: a bullet with a space on either side ("… • …"), or
# opening the line.
BULLET_SEPARATOR = re.compile(r"(?:^|(?<=\S) )[•▪◦] (?=\S)")
RUN_ON_ITEM_MAX_WORDS = 20
# Text that follows a glued marker must look like a word, not a number or a negative value
# ("-5 degrees", "*2 for...", "--flag", "1.5 million").
GLUED_ITEM_START = re.compile(r"^[^\W\d_]", re.UNICODE)

# --- headings -----------------------------------------------------------------------------
# Words that stay lower case in title case, per language.
TITLE_CASE_SMALL_WORDS = frozenset(
    """a an and as at but by for from in into nor of on onto or over per the to up via vs
    with without yet is are was be de la le les des du et en au aux un une à sur pour par
    dans avec der die das und von zu im am mit für auf den dem ein eine el los las y del
    con para por al o""".split()
)
# Closing lines of a letter or newsletter: short, unpunctuated, but never section headings.
SIGN_OFFS = re.compile(
    r"^(best( wishes| regards)?|(kind|warm|warmest|with) regards|regards|cheers|thanks( again)?( for reading)?|"
    r"thank you( for reading)?|yours( truly| sincerely)?|sincerely|all the best|see you( next "
    r"(week|time))?|until next time|love|warmly|cordialement|bien à vous|amitiés|"
    r"mit freundlichen grüßen|viele grüße|liebe grüße|saludos|un abrazo|atentamente)\W*$",
    re.IGNORECASE,
)
# Questions that address someone: an interview's ("How did you start?"), not a FAQ's ("Do I
# need planning permission?"), which are section headings.
SECOND_PERSON = re.compile(
    r"\b(you|your|yours|yourself|vous|votre|vos|tu|ton|ta|tes|toi|te|dein|deine|deinen|dich|"
    r"dir|usted|ustedes|tú|ti|os|vosotros|vuestro|vuestra)\b|\b(?-i:Sie|Ihr|Ihre|Ihnen|Ihren)\b",
    re.IGNORECASE,
)
# "Q:", "A:", "Q.", "Interviewer:" style prefixes of interview transcripts.
QA_PREFIX = re.compile(r"^(q|a|question|answer|interviewer|réponse|frage|antwort|pregunta|respuesta)\s*[:.]\s", re.IGNORECASE)
# The text ends in its last character that is neither space nor "#". (A lazy ".*?" followed
# by "\s*#*\s*$" backtracked cubically: a 2,000-space line took seconds.)
ATX_GLUED = re.compile(r"^(?P<hashes>#{1,6})(?!#)\s*(?P<text>[^\s#\d](?:.*[^\s#])?)[\s#]*$")
DIALOGUE_START = "\"'“”‘’«»„‚—―"

# --- boilerplate (whole blocks) -------------------------------------------------------------
# The label over a run of links to other stories ("You may also like...", "More on this
# story", "Read more:"): with two linked headlines or more under it, the label and the run go
# (boilerplate._mark_link_runs). "More on the banks" over two links can be the story's own
# section, so only these fixed labels count.
RELATED_LABEL = (r"(you (may|might|will) also (like|enjoy)|more (on|about) this (story|topic|subject)|"
                 r"more( great)? [\w ]{0,30}stories|"
                 r"(related|recommended|more|further|also) (reading|stories|articles|coverage|links|topics|posts|"
                 r"episodes|videos|recipes|guides|products)|"
                 r"(see|read) also|read more|related)\s*(:|\.\.\.|…)?")
# A heading over other stories of the same author or site, to the end of the page: "More from
# Daniel Weinmann on reitschuster.de", "mehr von Daniel Weinmann auf reitschuster.de".
MORE_FROM_LABEL = re.compile(
    r"^(more (stories |articles |posts )?(from|by)|mehr (artikel |beiträge )?(von|aus)|"
    r"plus d'articles (de|du)|más (artículos )?de) \S.{0,80}$", re.IGNORECASE)
# Words of a teaser's paragraph (its title, or its summary) at most.
TEASER_MAX_WORDS = 40
# Words of one linked headline in that run at most.
RELATED_LINK_MAX_WORDS = 20
# Paywall and app prompts where a story is cut short: "Subscribe now to our eNATION edition
# for the full story.", "To view the full story, please subscribe to ...".
PAYWALL_PROMPTS = (
    (r"(subscribe|sign up|register)( now| today)? (to|for) .{1,80} (for|to (read|view|see|get)) "
     r"the (full|whole|complete|rest of the) (story|article)\W*"),
    (r"to (view|read|see|continue reading) (the|this) (full |whole |complete )?(story|article)"
     r"( in full)?,? (please )?(subscribe|sign in|log in|register).{0,120}"),
    (r"if you['’]re (seeing|reading) this( message)?,? but you['’]re already a "
     r"(subscriber|member).{0,200}"),
    r"already a (subscriber|member)\?? ?(please )?(log|sign) in.{0,120}",
)
# What the sales pitch after a paywall prompt speaks of: "When you join The Haitian Times
# family, you'll get unlimited digital access...", "First-time subscribers also receive...".
PAYWALL_PITCH = re.compile(
    r"\b(subscri\w*|members?(hip)?|join|renew\w*|sign up|premium|unlimited (digital )?access)\b",
    re.IGNORECASE,
)
# A pitch block is short: a paragraph of the story that mentions subscribers is longer.
PAYWALL_PITCH_MAX_WORDS = 80
# A way to pay named in a donation box: "Per Kreditkarte, Apple Pay etc.", "Alternativ via
# Banküberweisung, IBAN: DE30 6805 ...", "Donate with PayPal", "BTC: bc1q...". Only a short
# block counts (PAYMENT_LINE_MAX_WORDS); a section needs two of them (see boilerplate).
PAYMENT_LINE = re.compile(
    r"\b(?:iban|bic|paypal|kreditkarte|credit card|debit card|apple pay|google pay|"
    r"bank ?transfer|(?:bank)?überweisung|lastschrift|bitcoin|btc|patreon|ko-fi|liberapay|"
    r"venmo|cash ?app|virement|tarjeta de crédito|transferencia bancaria)\b",
    re.IGNORECASE,
)
PAYMENT_LINE_MAX_WORDS = 15
# What a donation box asks for, one of which it must say besides the ways to pay: a section
# of an article on paying at the market names cards and cash but asks nobody for anything.
DONATION_APPEAL = re.compile(
    r"\b(?:support|donat\w*|contribut\w*|help us|chip in|tip jar|buy me a coffee|"
    r"unterstütz\w*|spende\w*|helfen sie|soutenez|soutien|faire un don|apoya\w*|donar|donaci\w*)\b",
    re.IGNORECASE,
)
# A donation box is short: a section longer than this is an article about payments.
DONATION_BOX_MAX_WORDS = 300
# The label a site puts first in its list of tag or topic links ("More about:", "Tags").
TAG_LIST_LABEL = re.compile(r"^(more about|more on|tags?|topics?|tagged( with)?|filed under|keywords)\s*:?$",
                            re.IGNORECASE)
# Words of one tag link at most.
TAG_MAX_WORDS = 4
# Anchored patterns, matched case-insensitively against a block's collapsed text.
BOILERPLATE: dict[str, tuple[str, ...]] = {
    "en": (
        r"\d[\d,.]*k?\s+comments?",
        r"(no|one|zero)\s+comments?",
        r"comments?\s*[(\[]?\s*\d{1,3}(?:[,.]?\d{3}){0,3}\s*[)\]]?",
        r"comments?\s*\(\s*(\d+|no)\s+posted\s*\)",  # LWN: "Comments (5 posted)"
        r"comments?",
        r"\d+\s+(responses?|replies)",
        r"(leave|post|add|write) a (comment|reply)",
        (r"((did you (find|enjoy|like) this( article| post| story)?( useful| helpful)?\?|what do you think\?) )?"
         r"(leave|drop|post|share) (us )?(a comment|your (thoughts|comments))( below)?!?"),
        r"(show|view|load|see|read) (all |the )?(\d+ )?comments?",
        r"join the (conversation|discussion)",
        # An obituary site's buttons: "Sign Guest Book | Send Flowers | Share | 47 Condolences".
        (r"(?:(?:sign (?:the )?guest ?book|send flowers|plant (?:a )?tree|light a candle|share|print|"
         r"(?:leave|post) a condolence|\d{1,5} condolences?|condolences?)\s*+[|•·]?\s*+){2,6}"),
        # A video page's counters copied with its transcript: "1.2M views  3 months ago".
        r"[\d.,]{1,7}[kmb]? views?(\W{1,5}(\d{1,3}|a|an|one) (seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago)?",
        r"show (less|more)",
        # A government or help-centre page's feedback box (GOV.UK: "Is this page useful?" /
        # "Yes" / "No" / "Report a problem with this page").
        r"(is|was) this (page|article|answer|information|guide|post|tutorial) (useful|helpful)\??",
        r"(yes|no),? this page is( not)? (useful|helpful)",
        r"report a problem with this page",
        r"thank you for your feedback\W*",
        # A live blog's badge and its entries' update stamps: "LIVE", "Updated at 12.41 GMT".
        r"(?-i:LIVE)|live (updates|coverage|blog)|[●•🔴] ?live",
        r"(last )?updated( at| on)?:? \d{1,2}[:.]\d{2}( ?(am|pm))?( [a-z]{2,5})?",
        r"(share|tweet|post|email|print|save)( this)?( (article|story|post|page))?",
        r"share (this|on|via|to) .{0,60}",
        # WordPress's sharing widget: "Share this:", "Like this:", "Like Loading...".
        r"(share|like) this:",
        r"like loading\W*",
        (r"(share|follow)( us)? on (facebook|twitter|x|linkedin|whatsapp|reddit|instagram|"
         r"threads|bluesky|mastodon|pinterest|telegram)(( and |, | or )\w+)*"),
        r"follow us( on .{0,60})?",
        r"click to share on .{0,60}",
        r"advertisement|advertisment|advertising|advert|sponsored( content)?|ad",
        # What a page shows where its script did not run: Jetpack's slideshow, a video.
        (r"(this|the) (slideshow|gallery|video|content|page|feature|interactive|map|chart) "
         r"requires javascript.{0,80}"),
        r"(please )?(enable|turn on|activate) javascript.{0,100}",
        # The heading over a comment form, and a magazine's subscription offer under the story.
        r"(tell us|let us know) what you think.{0,60}",
        r"have your say\W*",
        # A newsletter promo set in brackets inside the story: "[What you need to know to
        # start the day: Get New York Today in your inbox.]"
        r"\[[^\]]{0,80}(get|sign up for|subscribe to) [^\]]{1,60} in your inbox\.?\]",
        # Calls to action in a news site's own voice: Fox's "READ MORE ON FOX BUSINESS BY
        # CLICKING HERE", RT's "Also on rt.com: <headline>" and "Like this story? Share it".
        r"(get|read|watch|see|listen to|download) .{1,60} by clicking here\W*",
        r"subscribe to .{1,40} and (stay|get|never miss|keep up).{0,100}",
        r"our standards\s*:.{0,80}",
        r"also on [\w-]+(\.[\w-]+)*\.[a-z]{2,}\s*:?\s.{0,200}",
        r"(like|enjoy(ed)?|liked) this (story|article|post)\?? share it with (a|your) friends?\W*",
        r"get .{1,60} delivered (to|through) your (door|letterbox|letter box|inbox|mailbox).{0,160}",
        r"you (may|might|will) also (like|enjoy)\W*",
        r"(story|article) continues below( (the )?advertisement)?",
        r"related( articles| stories| posts| reading)?:.{0,200}",
        r"related( articles| stories| posts| reading)?",
        r"tags?:.{0,200}",
        r"(more about|topics?|tagged( with)?):.{0,200}",
        # A syndication or reprint link under the story.
        r"(reuse (this )?content|order (a )?reprints?|reprints? (and|&) permissions)\W*",
        r"labels?:.{0,200}",
        # "Category: Press Releases", also after a short "News date : 04/21/2022" on its line.
        r"([\w ]{1,20}:[^:]{0,40}\s)?categor(y|ies)\s*:.{0,200}",
        # A photo gallery's label, left when its script-driven carousel is not there.
        r"(photo )?gallery:? .{0,100}\b\d+ (photos|images|pictures|slides)\W*",
        r"(view|see|open) (the )?(full )?(photo )?gallery\W*",
        # A site's own shop, advertised under the story.
        r"(new!?\s*)?visit our .{0,30}(shop|store)\W*",
        # Blogger's pager under a post.
        r"(newer|older) posts?( (newer|older) posts?)?( home)?",
        r"(filed|posted) under:.{0,200}",
        r"read more( stories| articles)?( here)?\W*",
        r"read more:.{0,200}",
        r"(read|up) next:.{0,200}",
        r"(continue|keep) reading( below| after (the )?(ad|advertisement))?\W*",
        r"(most (read|popular|viewed)|trending( now)?|recommended( for you)?)",
        r"(sign up|subscribe)( now| today)?( for| to) (our|the) .{0,60}newsletter.{0,120}",
        r"(click|tap) here to (subscribe|sign up)( to| for) (our|the) .{1,60}",
        r"(get|want) (our|the) .{0,40}newsletter.{0,120}",
        r"subscribe( now| today| here)?\W*",
        r"view (this|the) (e-?mail|newsletter|message) (in|on) (your|a|the) (web )?browser\.?",
        r"subscribe to .{1,60} wherever you (get|listen to) (your )?podcasts\W*",
        *PAYWALL_PROMPTS,
        # A newspaper's call for letters, and a site's disclaimer for what contributors post.
        r"submit (your|a) letter to the editor.{0,120}",
        (r".{1,60} (is|are) not responsible for the (opinions|views|content|statements)\b.{0,80}"
         r"\b(contributors|users|readers|commenters|third parties)\b.{0,160}"),
        # A magazine's call for letters under the article.
        (r"we want to hear what you think( about this (article|story|piece))?\. .{0,40}"
         r"(letter to the editor|write to|e-?mail us).{0,120}"),
        (r"(for the latest .{1,80})?download (the|our) .{1,60} apps? (for|on) (ios|android|iphone)"
         r"( and (ios|android))?\W*"),
        # The "-- " line that opens an e-mail signature or footer (a lone "-" is a list marker,
        # "---" a scene break).
        r"--(?!-)",
        r"(having trouble viewing|can'?t see) this e-?mail\??.{0,80}",
        r"unsubscribe\W*",
        r".{0,80}\bunsubscribe\b.{0,160}(preferences|list|e-?mails?|here)\W*",
        r".{0,80}\bto unsubscribe\b.{0,160}",
        r"(you (are|were) receiving|you received) this e-?mail because .{0,200}",
        r"(update|manage) (your )?(e-?mail )?preferences.{0,80}",
        r"(this|our) (web)?site uses cookies.{0,300}",
        r"we use cookies.{0,300}",
        r"(accept|allow|reject|manage) (all )?cookies.{0,60}",
        r"cookie (settings|preferences|policy)",
        r"(photo|image) credit:.{0,80}",
        r"(back|return) to top\W*",
        # A reading time on its own line: "5 min read", "Reading time: 4 minutes".
        # (after a section label: "Travel · 6 min read")
        r"([\w&'’ -]{1,30} [·|•] )?(\d{1,3}[ -]?(min|mins|minutes?)\.? read|(estimated )?reading time:? (about )?\d{1,3} ?(min|mins|minutes?))",
        r"skip to (main )?content",
        # A newspaper's jump line, copied with the text from its print edition.
        r"\(?(continued|cont'?d\.?) (on|from) (page|p\.) ?\d{1,4}\)?\W*",
        # Its keyword over the story's continuation ("LOOM from Page 1", "See LOOM, Page 4"),
        # and the index of the other pages' pieces ("■ Editorial, Page 12").
        r"(?-i:([Ss]ee )?[A-Z][A-Z'’-]{1,30}),? (from |on )?page \d{1,4}\W*",
        r"[■▪●►]\s*[^\W\d_][\w'’ -]{0,40},? page \d{1,4}\W*",
        # A recipe blog's buttons and its call to post a photo of the dish.
        r"(?:(?:jump to|print|pin|save|rate|review)( this| the)? (recipe|video|comments|reviews)\W*){1,4}",
        r"(did you|have you) (make|made|try|tried|cook|cooked|bake|baked) this( recipe)?\?.{0,160}",
        # Its rating's score with its count ("4.8 from 112 votes", "4.5 out of 5 stars (86
        # ratings)", "No ratings yet"). (The stars alone go only beside these: see RATING.)
        (r"(\d(\.\d{1,2})? (from|out of 5( stars)?|stars?) (from )?\(?\d[\d,]{0,8} (votes?|ratings?|reviews?)\)?"
         r"|\d[\d,]{0,8} (votes?|ratings?|reviews?)|no (ratings|reviews) yet)\W*"),
        # A social post's counters and hashtags, copied with it.
        (r"(?:\d[\d,.]{0,9}k? (?:likes?|comments?|shares?|views?|retweets?|reposts?|reactions?|replies|"
         r"quotes?|bookmarks?|restacks?|claps?|upvotes?)\W{0,3}){1,5}"),
        # Its reactions ("👍❤️👏 1,204", "❤️ 142") and its buttons, one to a line as they
        # copy: "Like" / "Comment" / "Repost" / "Send", "…see more".
        "[\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u200d]{1,12} ?\\d[\\d,.]{0,9}[km]?",
        r"(like|repost|reply|retweet|restack|send|bookmark|follow|(…|\.\.\.) ?(see )?more)",
        # A mail scanner's banner over or under a forwarded e-mail.
        (r"((caution|warning|attention|notice)\W{0,3})?(\[?external( e-?mail| sender| message)?\]?\W{0,3})?"
         r"(this|the) (e-?mail|message) (originated|came|comes|was sent|is) from (outside|an external)"
         r".{0,300}"),
        r"\[external( e-?mail| sender| message)?\]:?|external (e-?mail|sender|message):?",
        r"(?:#[^\W\d_][\w-]{0,60}\s*){2,30}",
        # An article's audio player and an e-mail's footer links.
        r"listen to this (article|story)\W*",
        # A Wikipedia article copied from its page: the tagline, the skip links, the
        # coordinates from its infobox and the page's footer.
        r"from wikipedia, the free encyclopedia",
        r"(jump|skip) to (navigation|search|content|main content|sidebar)",
        r"coordinates\s*:\s*\d{1,3}°.{0,80}",
        r"this page was last (edited|modified) on .{0,80}",
        r"text is available under the creative commons .{0,300}",
        r"retrieved from\s*[\"“]?https?://\S{1,300}",
        r"(forward|send) (this )?(e-?mail |newsletter |issue )?to a friend\W*",
        # A running header or footer copied from a PDF with the text: "Page 2 of 4", after
        # the document's title on the same line (a sentence ending "…on page 3 of 4." stays).
        r"(?![^\n]{0,300}[.!?]\W{0,3}$)(.{0,120}\s)?page \d{1,4} ?(of|/) ?\d{1,4}(\s++(?=[^\s\d(/-]{0,19}[\d(/-])\S{1,20}){0,3}",  # (a form's code: "HM-TC-v7 (04/24)")
        # "Copyright law is changing fast." is article text: require the sign or the formula.
        # A newspaper's print-edition note under the web article.
        r"a version of this (article|story|review|essay|column) appear(s|ed) in print on .{0,300}",
        r"(©|\(c\)|copyright ©) ?.{0,100}",
        r".{0,100}\ball rights reserved\W*",
    ),
    "fr": (
        r"\d+\s+commentaires?",
        r"(?![^\n]{0,300}[.!?]\W{0,3}$)(.{0,120}\s)?page \d{1,4} ?(sur|/) ?\d{1,4}",
        r"(aucun|pas de) commentaires?",
        r"commentaires?\s*[(\[]?\s*\d*\s*[)\]]?",
        r"(laisser|ajouter|écrire) un commentaire",
        r"partager( sur| via) .{0,60}",
        r"partager( cet article)?",
        r"suivez-nous( sur .{0,60})?",
        r"publicité",
        r"un article de wikipédia, l'encyclopédie libre",
        r"aller (à|au) (la navigation|la recherche|contenu)",
        r"la dernière modification de cette page a été faite le .{0,80}",
        r"lire aussi\s*:?.{0,200}",
        r"catégories?\s*:.{0,200}",
        r"visitez notre .{0,30}boutique\W*",
        r"(à lire|voir) aussi\s*:?.{0,200}",
        r"lire la suite\W*",
        r"(inscrivez-vous|abonnez-vous) à (notre|la) (newsletter|lettre d'information).{0,120}",
        r"se désabonner\W*|(se )?désinscri(re|ption)\W*",
        (r"(voir|afficher|consulter) (ce|cet|la) (message|courriel|e-?mail|mail|lettre|newsletter) "
         r"(dans|sur) (votre|le|un) navigateur\.?"),
        r"vous recevez (ce|cet|cette) (message|courriel|e-?mail|mail|lettre|newsletter)\b.{0,300}",
        r"(ce site|nous) utilis(e|ons) des cookies.{0,300}",
        r"(accepter|refuser) (tous )?les cookies.{0,60}",
    ),
    "de": (
        r"\d+\s+kommentare?",
        r"(.{0,120}\s)?seite \d{1,4} ?(von|/) ?\d{1,4}",
        r"(keine|kein) kommentare?",
        r"kommentare?\s*[(\[]?\s*\d*\s*[)\]]?",
        r"(kommentar (schreiben|verfassen)|jetzt kommentieren)",
        r"(teilen|teile) (auf|via|bei) .{0,60}",
        r"(artikel )?teilen",
        r"folgen sie uns( auf .{0,60})?",
        r"anzeige|werbung",
        r"aus wikipedia, der freien enzyklopädie",
        r"zur (navigation|suche) springen",
        r"diese seite wurde zuletzt am .{0,80} bearbeitet\W*",
        r"mehr zum thema\s*:?.{0,200}",
        r"kategorien?\s*:.{0,200}",
        r"(jetzt neu!?\s*)?besuchen sie unseren .{0,30}shop\W*",
        r"(lesen sie auch|auch interessant)\s*:?.{0,200}",
        r"weiterlesen( nach (der|dem) (anzeige|werbung|video|werbeblock))?\W*",
        r"(newsletter abonnieren|jetzt (für den|zum) newsletter anmelden).{0,120}",
        r"(abmelden|abbestellen)\W*",
        (r"(diese (e-?mail|nachricht|newsletter) )?(im|in ihrem) (web)?browser (ansehen|anzeigen|"
         r"öffnen)\.?"),
        r"sie erhalten (diese|diesen) (e-?mail|nachricht|newsletter)\b.{0,300}",
        r"(diese (web)?seite|wir) (verwendet|verwenden|nutzt|nutzen) cookies.{0,300}",
        r"(alle )?cookies (akzeptieren|ablehnen).{0,60}",
        r"(lesezeit:? (ca\. )?\d{1,3} ?(min|minuten?)|\d{1,3} ?(min|minuten?)\.? lesezeit)",
    ),
    "es": (
        r"\d+\s+comentarios?",
        r"(.{0,120}\s)?página \d{1,4} ?(de|/) ?\d{1,4}",
        r"(sin|ningún) comentarios?",
        r"comentarios?\s*[(\[]?\s*\d*\s*[)\]]?",
        r"(deja|dejar|escribe) (un|tu) comentario",
        r"compartir (en|vía|por) .{0,60}",
        r"compartir( este artículo)?",
        r"comparte (esta|la|este) (noticia|nota|historia|artículo|publicación)",
        r"síguenos( en .{0,60})?",
        r"publicidad|anuncio",
        r"de wikipedia, la enciclopedia libre",
        r"ir a la (navegación|búsqueda)",
        r"esta página se editó por última vez el .{0,80}",
        r"(lee|leer) también\s*:?.{0,200}",
        r"categorías?\s*:.{0,200}",
        r"visita nuestra .{0,30}tienda\W*",
        r"(te puede interesar|relacionado)\s*:?.{0,200}",
        r"(leer|seguir leyendo) más\W*",
        r"(suscríbete|suscríbase) (a|al) (nuestro|nuestra|el|la) (boletín|newsletter).{0,120}",
        r"(darse de baja|cancelar (la )?suscripción)\W*",
        r"ver (este|el) (correo|mensaje|e-?mail|boletín) en (tu|su|el) navegador\.?",
        r"(recibes|recibe|has recibido) este (correo|mensaje|e-?mail|boletín)\b.{0,300}",
        r"(este sitio|utilizamos|usamos) (web )?(utiliza|usa)? ?cookies.{0,300}",
        r"(aceptar|rechazar) (todas )?(las )?cookies.{0,60}",
    ),
    # Chinese, Japanese and Korean: no spaces between the words, so none in the phrases.
    "ja": (
        r"\d+\s*件の(コメント|返信|反応)",
        r"コメント\s*[(（]?\s*\d*\s*[)）]?",
        r"コメント(する|を書く|を残す|を投稿する|欄)",
        r"(この記事を)?(シェア|共有)(する|しよう)?",
        r"ツイート(する)?|いいね[!！]?",
        r"広告|スポンサーリンク|プロモーション",
        r"関連記事\s*[:：]?.{0,200}",
        r"(続きを読む|もっと見る|もっと読む)",
        r"(タグ|カテゴリー?)\s*[:：].{0,200}",
        r"(フォローする|フォローしてね)",
    ),
    "zh": (
        r"\d+\s*[条則则]?\s*(评论|評論|留言)",
        r"(评论|評論|留言)\s*[(（]?\s*\d*\s*[)）]?",
        r"(发表|發表|写|寫)(评论|評論|留言)",
        r"(分享|转发|轉發)(到|至)?.{0,20}",
        r"广告|廣告|赞助内容|贊助內容",
        r"(相关|相關)(文章|阅读|閱讀|新闻|新聞|推荐|推薦)\s*[:：]?.{0,200}",
        r"(阅读|閱讀|查看)(全文|更多)",
        r"(标签|標籤|分类|分類)\s*[:：].{0,200}",
    ),
    "ar": (
        r"\d+\s+(تعليق|تعليقات|تعليقا)",
        r"(لا |بدون )?(تعليق|تعليقات)(\s*[(]\s*\d+\s*[)])?",
        r"(أضف|اكتب|اترك) (تعليقا|تعليقك)",
        r"(شارك|شاركها|مشاركة|انشر)( المقال| الخبر)?( على .{0,30}| عبر .{0,30})?",
        r"إعلان|اعلان|محتوى (ممول|مدفوع)",
        r"(اقرأ|إقرأ) (أيضا|أيضاً|ايضا)\s*:?.{0,200}",
        r"(مقالات|أخبار|مواضيع) (ذات صلة|متعلقة|مشابهة)\s*:?.{0,200}",
    ),
    "he": (
        r"\d+\s+תגובות",
        r"(אין )?תגובות",
        r"(שתף|שתפו)( ב.{0,30})?",
        r"פרסומת|תוכן ממומן",
        r"(כתבות נוספות|עוד כתבות|קראו גם)\s*:?.{0,200}",
    ),
    "ru": (
        r"\d+\s+комментари(й|я|ев)",
        r"комментарии\s*[(]?\s*\d*\s*[)]?",
        r"(оставить|написать|добавить) комментарий",
        r"поделиться( в .{0,30})?",
        r"реклама",
        r"читайте (также|еще|ещё)\s*:?.{0,200}",
    ),
    "ko": (
        r"댓글\s*\d*\s*개?",
        r"공유(하기)?",
        r"광고",
        r"관련\s*기사\s*[:：]?.{0,200}",
        r"더\s*보기",
    ),
}
# Share-bar buttons left behind as lines of their own: "Share this:", "Facebook", "Twitter".
# A section about Facebook may be headed "Facebook", so these go only beside other boilerplate
# or in a run of two or more.
SHARE_TARGETS = re.compile(
    r"^(facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|instagram|telegram|threads|bluesky|"
    r"mastodon|e-?mail|print|copy link|flipboard|pocket|messenger|tumblr|xing|meneame|"
    r"微信|微博|QQ空间|QQ|豆瓣|LINE|はてなブックマーク|카카오톡|카카오스토리|네이버 블로그)\W*$",
    re.IGNORECASE,
)
# A site's menu left as a line above the story: "HOME | NEWS | SPORT | WEATHER". Items of one
# to three words, each capitalised, set off by a bar or a bullet; three items or more.
# (The lookbehind starts a try only where a run of spaces starts: see SEPARATORS.)
MENU_SEPARATOR = re.compile(r"(?<!\s)\s+[|•·]\s+")
MENU_MIN_ITEMS = 3
# The end of an automatic excerpt: "… [&hellip;]", "[...]", "(more…)".
EXCERPT_CUT = re.compile(r"(?:\[(?:…|\.\.\.)\]|\(more\s?…\))$")
# The link under another story's teaser.
READ_THE_REST = re.compile(
    r"^(read (the rest|more|on|the full (story|article))|continue reading|weiterlesen|lire la suite|leer más|seguir leyendo)\W*$",
    re.IGNORECASE)

# A paragraph that numbers itself as a step: "Step 1: Heat the oven", "Schritt 2 – ...".
STEP_PREFIX = re.compile(r"^(?:step|schritt|étape|etape|paso|passo|stap)\s+(?P<n>\d{1,3})\s*[:.)–—-]\s*(?=\S)",
                         re.IGNORECASE)
# Lines under a label in plain text that make a list without markers (ingredients, kit).
LABELLED_RUN_MIN_ITEMS = 3
LABELLED_ITEM_MAX_WORDS = 8
# Inside such a run, a line naming a part of what the list is for starts a list of its own
# under it ("For the mash" / "1 kg floury potatoes"); a recipe's next section ("Method")
# ends the list.
SUBLIST_LABEL = re.compile(r"^(?:for (?:the )?[^\W\d_]+(?: [^\W\d_]+)?|to (?:serve|finish|decorate)|"
                           r"für (?:den|die|das) [^\W\d_]+|pour (?:la|le|les) [^\W\d_]+|para (?:la|el) [^\W\d_]+)\s?:?$",
                           re.IGNORECASE)
LIST_SECTION_END = re.compile(r"^(?:method|directions|instructions|preparation|steps|notes?|cooking notes|"
                              r"zubereitung|anleitung|préparation|preparación|preparazione|bereiding)\s?:?$",
                              re.IGNORECASE)
# In text whose paragraphs are set apart by blank lines, one-line sentences that follow a
# sentence ending in ":" in its own block are a list ("Folgende Dinge ändern sich:" / "Die
# Öffnungszeiten werden verlängert." / "Der Ausweis kostet 15 Euro."), unless the lead-in
# introduces speech.
LEAD_IN_RUN_MIN_ITEMS = 2
LEAD_IN_ITEM_MAX_WORDS = 20
SPEECH_LEAD_IN = re.compile(
    r"\b(said|says|say|wrote|writes|told|tells|asked|asks|explained|added|replied|"
    r"sagte|sagt|schrieb|schreibt|erklärte|fragte|antwortete|dit|a dit|écrit|a déclaré|"
    r"déclare|dijo|dice|escribió|explicó|preguntó)\s*:$", re.IGNORECASE)
# Paragraphs starting in lower case under a line ending in ":" that make a list.
COLON_RUN_MIN_ITEMS = 2
COLON_ITEM_MAX_WORDS = 25
# ... unless this share of a document's paragraphs or more start in lower case.
LOWER_CASE_PARAGRAPHS_MAX = 0.25

# A breadcrumb trail: "Startseite › Politik › Kommunales", "Home > News" (two items will do).
BREADCRUMB_SEPARATOR = re.compile(r"(?<!\s)\s+[›»>→]\s+")
BREADCRUMB_MIN_ITEMS = 2
MENU_ITEM_MAX_WORDS = 3
# Where a menu line is looked for: among the first and the last blocks of the text, when a
# paragraph of at least this many words says there is a story around it.
MENU_EDGE_BLOCKS = 4
MENU_STORY_MIN_WORDS = 12
# An encyclopedia's tagline under its article's title: the line above it is the title, never
# a menu entry, however many of the page's controls follow.
SOURCE_TAGLINE = re.compile(
    r"^(from wikipedia, the free encyclopedia|aus wikipedia, der freien enzyklopädie|"
    r"un article de wikipédia, l'encyclopédie libre|de wikipedia, la enciclopedia libre)$",
    re.IGNORECASE)
# A newsletter's unsubscribe line, or an encyclopedia page's "last edited" line, among its
# last blocks: the short lines under it (postal address, "Privacy policy", "Disclaimers")
# are its footer too.
MAIL_FOOTER = re.compile(r"\bunsubscribe\b|\byou (are|were) receiving\b|\byou received this\b|"
                         r"\babbestellen\b|\bdésabonner\b|\bdarse de baja\b|"
                         r"^this page was last (edited|modified)\b|^text is available under the creative commons\b|"
                         r"^diese seite wurde zuletzt\b|^la dernière modification de cette page\b|"
                         r"^esta página se editó\b", re.IGNORECASE)
MAIL_FOOTER_BLOCKS = 10
MAIL_FOOTER_LINE_WORDS = 20
# A status badge's picture: shields.io, a CI service's "badge.svg", a coverage service's.
BADGE_IMAGE = re.compile(
    r"(?:img\.shields\.io|badge\.fury\.io|badgen\.net|/badges?/|badge\.svg|/badge(?:\?|$)|"
    r"travis-ci\.(?:org|com)/.+\.svg|codecov\.io/.+/graph/|coveralls\.io/repos/|pepy\.tech/badge)",
    re.IGNORECASE)
# An e-mail's signature under its "--" line: a few short lines (name, role, organisation,
# address) at the very end.
SIGNATURE_MAX_LINES = 6
SIGNATURE_LINE_WORDS = 8
# A page's own controls left as lines: like SHARE_TARGETS, they go only beside boilerplate or
# in a run ("Menu" can head a restaurant review's section; "No." can answer a question).
CONTROL_LABELS = re.compile(
    r"^(menu|main menu|open menu|close( menu)?|search|toggle navigation|navigation|home|yes|no|maybe|"
    r"menü|suche|recherche|buscar)\W*$",
    re.IGNORECASE,
)
# A picture's credit left on a line of its own: "Image: ÖBB/Harald Eisenberger", "Photograph:
# Tim Robberts/Getty Images", "Photo by Jane Doe on Unsplash". It goes unless a picture is
# right before it (boilerplate._is_credit_line): there it is the picture's attribution.
CREDIT_LINE = re.compile(
    r"^(?:(?:image|photo|picture|photograph)s?: [^\s/]{1,40}(?: [^\s/]{1,40}){0,3} ?/ ?[^/]{1,60}"
    r"|(?:photo|image|picture)(?: credit)? by [^\s]{1,40}(?: [^\s]{1,40}){0,4} on "
    r"(?:unsplash|pexels|pixabay|flickr|shutterstock|istock)\.?"
    r"|\((?:photo|image|picture|photograph)s?(?: credit)?: [^()]{1,80}\))$",
    re.IGNORECASE,
)
# Symbols a line may start with before its words: an emoji pointing at a prompt
# ("👉 Read more: ..."), a check mark. (The sign ©, ® and ™ belong to what follows.)
LEADING_SYMBOLS = re.compile(r"^(?:[^\w\s\"'“‘«(©®™\[\]#*+\-–—•·.,;:!?¿¡/\\<>|&%$€£@^~`=])+\s*")
# Boilerplate blocks are short; a long paragraph that merely starts like one is article text.
BOILERPLATE_MAX_WORDS = 45

# A pull quote: words at least, and how many blocks away the paragraph it repeats may be.
PULL_QUOTE_MIN_WORDS = 6
PULL_QUOTE_REACH = 4
# Words of a PDF's running header or footer line at most (its page number aside).
RUNNING_LINE_MAX_WORDS = 12
RUNNING_LINE_MIN_WORDS = 3
# Words before a number that counts an article's parts, not its pages ("day 2", "Teil 3").
PART_WORDS = frozenset(
    """part day chapter step week month year episode round stage level act scene book volume vol no
    number issue lesson session letter teil tag kapitel woche folge schritt jour partie chapitre
    épisode étape semaine día parte capítulo semana paso episodio""".split()
)
# Words at least of a paragraph whose open end the next one finishes.
OPEN_SENTENCE_MIN_WORDS = 8
# Characters at least of a line that a line in lower case below it may finish (verse is shorter).
BROKEN_LINE_MIN_CHARS = 40
# …and that a line below it finishes whatever its case when it ends with a comma (no
# paragraph does; a verse line that does is shorter).
COMMA_BROKEN_LINE_MIN_CHARS = 60
# Words a sentence does not end on: a paragraph ending with one was cut mid-sentence (by an
# advertisement line copied with the text), and the next paragraph finishes it.
OPEN_ENDING_WORDS = frozenset(
    """a an the and or but of in on at to for from with by as that which who whose than into
    onto about between during under over after before because while if when where our their
    its his her your my this these those
    der die das den dem des ein eine einen und oder aber von zu mit für auf im am bei nach
    le la les un une des du de et ou mais à au aux pour par avec dans sur que qui
    el los las una unos y o pero en con por para del al que""".split()
)
# The same label in the other languages (already boilerplate on its own line there).
RELATED_LABEL_ELSEWHERE = re.compile(
    r"^(mehr zum thema|lesen sie auch|auch interessant|das könnte sie auch interessieren|lire aussi|"
    r"à lire aussi|voir aussi|sur le même sujet|te puede interesar|relacionado|lee también|"
    r"más información)\s*:?$", re.IGNORECASE)
# Labels of the author's own reading list, which stays where other stories' links go.
READING_LIST_LABEL = re.compile(r"^(further|recommended|related|more|also) reading\b|^(see|read) also\b|"
                                r"^external links\b|^siehe auch\b|^weblinks\b|^voir aussi\b|^liens externes\b|"
                                r"^véase también\b|^enlaces externos\b", re.IGNORECASE)
# The headings of a reference work's own last sections, whose lists are links by nature (a
# Wikipedia article's "See also" and "External links"): the article's, where the labels over
# other stories ("Read also", "Related reading") head a site's widget.
REFERENCE_SECTION_LABEL = re.compile(
    r"^(see also|further reading|external links|siehe auch|weblinks|weiterführende literatur|"
    r"voir aussi|liens externes|véase también|enlaces externos|vedi anche|collegamenti esterni|"
    r"zie ook|externe links)\s*:?$", re.IGNORECASE)

# Editorial notes are article content even when they look like footer text.
EDITORIAL_NOTE = re.compile(
    r"^(correction|clarification|update|editor'?s note|note|this (article|story|interview) "
    r"(has been|was) (edited|condensed|updated|corrected)|rectificatif|correctif|"
    r"berichtigung|korrektur|fe de erratas|corrección)\b",
    re.IGNORECASE,
)

# --- metadata -----------------------------------------------------------------------------
# A field on a line of its own: a capitalised name of one to three words, a colon, a value.
FIELD_LINE = re.compile(r"^[A-ZÀ-Þ][\w’'-]{0,20}(?: [\w’'-]{1,20}){0,2}\s?:\s+\S")
# The fields of an e-mail's header, and a note-taking app's page properties, that name the
# document's title, author and date; the others ("To", "Tags", "Status") are dropped with them.
HEADER_FIELDS = {
    "title": ("subject", "betreff", "objet", "asunto", "oggetto", "title"),
    "author": ("from", "von", "de", "da", "author", "created by", "written by", "owner"),
    "date": ("date", "sent", "datum", "gesendet", "envoyé", "enviado", "fecha", "created", "published",
             "date created"),
    "other": ("to", "cc", "bcc", "reply-to", "an", "à", "para", "tags", "status", "type", "category",
              "last edited", "last edited time", "last edited by", "updated", "property", "assignee"),
}
# The line over a forwarded e-mail's header.
FORWARD_LINE = re.compile(
    r"^(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|ursprüngliche nachricht|"
    r"message transféré|message d'origine|mensaje reenviado|mensaje original)\s*-{2,}|begin forwarded message:)$",
    re.IGNORECASE)
BYLINE = re.compile(
    r"^(?:by|words by|written by|story by|reporting by|reported by|posted by|text by|prepared by|compiled by|"
    r"words and photos by|interview by|interviewed by|par|de|von|por|texto de|text:|"
    r"propos recueillis par|entretien réalisé par|interview von|das gespräch führte|"
    r"entrevista de|entrevista realizada por|autor:?|автор:?|текст:?|"
    r"بقلم:?|كتب:|كتبت:|بواسطة:?|מאת:?)"
    r"\s+(?P<name>[^\W\d_][\w.'’\-]*(?:\s+(?:[^\W\d_][\w.'’\-]*|and|&|et|und|y|,)){0,8})"
    r"(?P<rest>\s*(?:[|,•·—–-]\s*.*)?)$",
    re.IGNORECASE | re.UNICODE,
)
# A Chinese, Japanese or Korean byline, which has no "By" and no capitals: a label before the
# name ("文：山田花子", "記者 王小明", "글 김민지") or "reporter" after it ("김민지 기자").
CJK_BYLINE = re.compile(
    r"^(?:(?:文|著|著者|筆者|執筆|記者|记者|作者|撰文|編集|编辑|글|취재)(?:\s*[：:・/／|｜]\s*|[ \u3000]+)"
    r"(?P<name>[^\W\d_]{1,10}(?:[ \u3000・][^\W\d_]{1,10})?)"
    r"|(?P<name2>[^\W\d_]{2,10}(?:[ \u3000][^\W\d_]{1,10})?)\s*(?:記者|记者|기자|特派員|特派员))$")
# A paper's author list, each name marked with its affiliations' numbers or a corresponding
# author's star: "Marta Iglesias1, Daniel Okafor2 and Lena Fischer1,*". The marks go; a list
# with none is not told from a line of capitalised words.
_AUTHOR_MARK_CHAR = r"[\d*†‡§¹²³\u2074-\u2079]"
_NAME_WORD = r"[A-ZÀ-Þ][^\W\d_]*+(?:[.'’-][^\W\d_]++)*+\.?"
_MARKED_NAME = (rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}"
                rf"(?:{_AUTHOR_MARK_CHAR}++(?:,{_AUTHOR_MARK_CHAR}++)*+)?")
MARKED_AUTHORS = re.compile(
    rf"^(?P<names>{_MARKED_NAME}(?:,\s*{_MARKED_NAME}){{0,11}}(?:,?\s+(?:and|&|und|et|y)\s+{_MARKED_NAME})?)$")
AUTHOR_MARK = re.compile(r"(?<=[^\W\d_.])(?:[\d*†‡§¹²³\u2070-\u2079](?:,(?=[\d*†‡§]))?)+")
# The terms of a list of a page's facts under its title (GOV.UK: "From:", "Published", "Last
# updated"), and those that name who published it.
META_FIELD_LABEL = re.compile(r"^(?:from|by|author|authors|written by|published|first published|updated|last updated|"
                              r"date|posted|published by|issued by|veröffentlicht|aktualisiert|publié le|mis à jour)"
                              r"\s?:?$", re.IGNORECASE)
META_AUTHOR_LABEL = re.compile(r"^(?:from|by|authors?|written by|published by|issued by)\s?:?$", re.IGNORECASE)
# A health page's review dates under the article (the NHS): "Page last reviewed: 12 March
# 2024", "Next review due: 12 March 2027" (no publication date).
LAST_REVIEWED_LINE = re.compile(r"^(?:page )?last reviewed:?\s(?P<date>\S.{4,40})$", re.IGNORECASE)
REVIEW_DUE_LINE = re.compile(r"^next review due:?\s(?P<date>\S.{4,40})$", re.IGNORECASE)
# The writer's role on the line under the byline: "Business Correspondent", "Food writer",
# "Political Editor", "Staff Reporter".
BYLINE_ROLE = re.compile(r"^(?:[^\W\d_][\w&'’-]*\s){0,3}(?:correspondent|reporter|editor|writer|columnist|critic|"
                         r"contributor|journalist|redakteur(?:in)?|korrespondent(?:in)?|rédacteur|rédactrice)$",
                         re.IGNORECASE)
# The platform a copied page's title names after it: "Why Your Bread Is Dense - YouTube".
PLATFORM_SUFFIX = re.compile(r"\s[-|–—]\s(?:YouTube|Vimeo|TikTok|Instagram|Facebook|LinkedIn|Twitter|X|Reddit|"
                             r"Medium|Substack|SoundCloud|Spotify)$")
# "Posted by Siobhan Kelly on March 3, 2009": a byline joined to its date by a word.
# Both sides start and end at a non-space, so a long run of (no-break) spaces is crossed once,
# not once per position: ".+?\s+" made such a line quadratic.
BYLINE_DATE_JOINER = re.compile(
    r"^(?P<byline>.*?\S)\s+(?:on|le|am|el|the)\s+(?P<date>\S.*)$", re.IGNORECASE
)
# "Posted on June 3, 2023 by Tom Eriksen": a blog's byline with its date first.
BYLINE_DATE_FIRST = re.compile(
    r"^(?:posted|published|written|geschrieben|publié)\s+(?:on\s+|am\s+|le\s+)?(?P<date>\S.*?\S)\s+"
    r"(?:by|von|par)\s+(?P<name>\S.*)$",
    re.IGNORECASE,
)
# Title separators that introduce a site name: "Story title | The Daily Paper".
TITLE_SITE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " • ", " « ", " » ")
DATELINE_PREFIX = re.compile(
    r"^(?:published|posted|updated|last updated|date|publié le|mis à jour le|veröffentlicht"
    r"(?: am)?|aktualisiert(?: am)?|publicado(?: el)?|actualizado(?: el)?)\s*:?\s*",
    re.IGNORECASE,
)
MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), 1)},
    **{m: i for i, m in enumerate(
        "januar februar märz april mai juni juli august september oktober november dezember".split(), 1)},
    **{m: i for i, m in enumerate(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(), 1)},
    **{m: i for i, m in enumerate(
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(), 1)},
    **{m: i for i, m in enumerate(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(), 1)},
    **{m: i for i, m in enumerate(
        "januari februari maart april mei juni juli augustus september oktober november december".split(), 1)},
    # Russian and Polish dates name the month in the genitive ("3 марта 2026", "3 marca 2026").
    **{m: i for i, m in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(), 1)},
    **{m: i for i, m in enumerate(
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada "
        "grudnia".split(), 1)},
    **{m: i for i, m in enumerate(
        "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık".split(), 1)},
    # Arabic: the names used in Egypt and the Gulf, and the Levant's ("3 مارس 2026", "3 آذار 2026").
    **{m: i for i, m in enumerate(
        "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split(), 1)},
    "إبريل": 4, "ابريل": 4, "يونيه": 6, "يوليه": 7, "اغسطس": 8, "اكتوبر": 10,
    **{m: i for i, m in enumerate("شباط آذار نيسان أيار حزيران تموز آب أيلول".split(), 2)},
    "كانون الثاني": 1, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
}  # fmt: skip
WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|tues|wed|thu|thurs|fri|sat|sun)\.?|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo),?\s+"
)

# --- plain-text structure (read by converter.readers.text) ---------------------------------
# Text selected in a chat assistant's window keeps the code block's toolbar: the language,
# then the copy button ("python" / "Copy code" / "import csv"). The code follows it.
CODE_LANGUAGES = frozenset(
    """python py bash sh shell zsh console powershell ps1 cmd batch javascript js jsx
    typescript ts tsx json html xml css scss sass sql yaml yml toml ini java kotlin swift c
    cpp c++ csharp c# go rust ruby php perl lua r scala haskell elixir dart vba vbnet
    dockerfile makefile diff graphql markdown md plaintext text latex tex matlab julia
    nginx apache""".split()
)
COPY_BUTTON = re.compile(r"^\s*(?:copy code|copy to clipboard|copyedit|copy|copy edit)\s*$", re.IGNORECASE)
# The button on its own names what it does; a bare "Copy" counts only after a language line.
COPY_CODE_BUTTON = re.compile(r"^\s*(?:copy code|copy to clipboard|copyedit)\s*$", re.IGNORECASE)
# What a line of code has and a sentence seldom does: an operator, a brace, a call "f(x)".
CODE_SIGNS = re.compile(r"[={}<>\[\]$\\|]|\w\(|;\s*$|^[A-Z]{2,}\b")

# --- links --------------------------------------------------------------------------------
# Redirects that carry their target in a query parameter: (host, path or None, parameter).
REDIRECT_WRAPPERS = [
    (re.compile(r"(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?"), "/url", "q"),
    (re.compile(r"(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?"), "/url", "url"),  # a search result's
    (re.compile(r"(?<![a-z0-9])[a-z0-9]+\.safelinks\.protection\.outlook\.com"), None, "url"),
    (re.compile(r"l[m]?\.facebook\.com"), "/l.php", "u"),
    (re.compile(r"(?:www\.)?youtube\.com"), "/redirect", "q"),
    (re.compile(r"(?:www\.)?linkedin\.com"), "/redir/redirect", "url"),
    (re.compile(r"slack-redir\.net"), "/link", "url"),
    (re.compile(r"out\.reddit\.com"), None, "url"),
]

# --- notes in plain text ----------------------------------------------------------------
# A Wikipedia heading copied with its edit link: "History[edit]", "Geschichte[Bearbeiten |
# Quelltext bearbeiten]", "Histoire[modifier | modifier le code]".
EDIT_LINK = re.compile(
    r"\[\s*(?:edit|edit source|bearbeiten|quelltext bearbeiten|modifier|modifier le code|editar|"
    r"editar código)(?:\s*\|\s*(?:edit source|quelltext bearbeiten|modifier le code|editar código))?\s*\]\s*$",
    re.IGNORECASE)
# Its note references ("…in 1831.[3]") and its maintenance tags, which go.
NOTE_REF = re.compile(r"(?<=[^\s\[])\[(\d{1,3})\]")
MAINTENANCE_TAG = re.compile(
    r"(?<=\S)\[(?:citation needed|clarification needed|dubious(?: – discuss)?|when\?|who\?|"
    r"according to whom\?|better source needed|failed verification|page needed|"
    r"full citation needed|unreliable source\?|Belege fehlen|Quelle fehlt|réf\. nécessaire|"
    r"référence nécessaire|cita requerida|sin referencias)\]", re.IGNORECASE)
# Its notes, in order, each opening with "^" (and "a b" for the places citing it twice).
NOTE_LINE = re.compile(r"^\s*[\^↑]\s*(?:a(?:\s+[b-z]){1,9}\s+)?(?=\S)")
# A report copied from a PDF or a word processor: superscript figures after a word ("…in
# 2016.¹"), and at the end a line per note opening with its figure ("¹ Millbrook Tree Survey").
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_REF = re.compile(r"(?<=[^\s⁰¹²³⁴⁵⁶⁷⁸⁹])([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
SUPERSCRIPT_NOTE = re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s+(?=\S)")
# A blog post's or a report's numbered references in square brackets, after a space or not
# ("…more economic than mechanical [1]."), and at the end a line per reference opening with
# its number ("[1] Wailes, R. (1979). Tide Mills."). The space goes with the reference.
BRACKET_REF = re.compile(r"(?<=[^\s\[])[ \u00a0]?\[(\d{1,3})\](?![(\[])")
BRACKET_NOTE = re.compile(r"^\s*\[(\d{1,3})\]\s+(?=\S)")

# A page title that names a newsletter's issue rather than its story: "The Riverside Weekly —
# Issue 48", "Gartenbrief Nr. 12". Its one <h1>, sharing none of its words, is the story's.
ISSUE_TITLE = re.compile(
    r"\b(?:issue|edition|ausgabe|numéro|número|newsletter|digest|bulletin|roundup|rundbrief)\b|"
    r"\b(?:no|nr|n°)\.? ?\d{1,4}\b|#\d{1,4}\b", re.IGNORECASE)

# --- press releases -----------------------------------------------------------------------
# The release's status over its headline ("FOR IMMEDIATE RELEASE", "Press release"), which
# goes from the first blocks of a document; and the mark under its story ("ENDS", "-30-",
# "###"), which goes wherever it stands. "Ends" in lower case is a word, not the mark.
RELEASE_LABEL = re.compile(
    r"^(?:(?:for immediate release|(?:press|news|media) release|pressemitteilung|presseinformation|"
    r"communiqué de presse|nota de prensa|comunicado de prensa)\s*[-–—:|/]?\s*){1,2}$",
    re.IGNORECASE)
RELEASE_END = re.compile(r"^(?:ENDS|-\s?(?:ENDS|[Ee]nds)\s?-|[–—]\s?(?:ENDS|[Ee]nds)\s?[–—]|#\s?#\s?#|-\s?30\s?-)$")
# Its embargo line, which gives the date it may be published: "EMBARGOED UNTIL 00:01
# THURSDAY 5 MARCH 2026", "Embargo: 10:00 GMT, 5 March 2026", "Sperrfrist: 5. März 2026".
EMBARGO_PREFIX = re.compile(
    r"^(?:(?:strictly |under (?:strict )?)?embargo(?:ed)?(?: until| till| to)?|not for (?:publication|release|broadcast)"
    r"(?: or broadcast)? (?:before|until)|sperrfrist(?: bis)?|embargo jusqu'au|sous embargo jusqu'au)"
    r"\s*:?\s*(?:(?:not for (?:publication|release)|until|before)\s+)?", re.IGNORECASE)
# The time before its date: "00:01", "10am", "10.00 GMT", "00:01 hrs,".
EMBARGO_TIME = re.compile(r"^\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|hrs|h)?\s*(?:[A-Z]{2,5}\b)?\s*,?\s*(?:on\s+)?",
                          re.IGNORECASE)
# The dateline that opens its story: the place in capitals, the date, a wire's name, a dash.
# "WOODBRIDGE, England, March 3, 2026 /PRNewswire/ -- The Trust ...", "LONDON, 5 March 2026 – ".
# (metadata.press_dateline_date reads the date between the place and the rest.)
PRESS_DATELINE_PLACE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,30}(?:,\s*[A-ZÀ-Þ][^\W\d_]{1,20}(?:[ .][^\W\d_]{1,20}){0,2}\.?){0,2},\s*")
PRESS_DATELINE_END = re.compile(r"(?<!\s)\s*+(?:/[^/\n]{2,40}/|\([^()\n]{2,40}\))?\s*+(?:--|[–—-])\s++(?=\S)")
# The label over its press contact's lines: "Media Contact:", "For more information contact:".
CONTACT_LABEL = re.compile(
    r"^(?:(?:media|press|news|pr)\s+(?:contacts?|enquiries|inquiries)|contacts?|"
    r"for (?:more|further) information(?:,)?(?: please)?(?: contact)?|pressekontakt|kontakt|"
    r"contact presse|contacto de prensa|contacto)\s*:$", re.IGNORECASE)
CONTACT_MAX_LINES = 8
CONTACT_LINE_MAX_WORDS = 10

# --- a report's contents, copied from a PDF ----------------------------------------------
# Its label, and its entries: a title, dot leaders (or a tab, or a run of spaces) and a page.
CONTENTS_LABEL = re.compile(r"^(?:(?:table of )?contents|inhalt(?:sverzeichnis)?|sommaire|table des matières|"
                            r"índice|contenidos?)\s*:?$", re.IGNORECASE)
CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.{0,150}?)(?:\s{0,200}+(?:\.\s?){3,200}+|\s{0,200}+…{1,200}+|\s{0,200}+(?:·\s?){3,200}+|\s{0,200}+_{3,200}+|\t{1,20}+|\s{3,200}+)\s{0,20}+"
                            r"(?P<page>\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
CONTENTS_MIN_ENTRIES = 2
# Characters at most of a contents entry's line.
CONTENTS_ENTRY_MAX_CHARS = 200
# Words at most of a section title an entry may name.
CONTENTS_TITLE_MAX_WORDS = 20
# A section's number before its title: "2 ", "1.1 ", "3.2.1. ", "IV. ".
SECTION_NUMBER = re.compile(r"^\s*(?:(?P<figures>\d{1,2}(?:\.\d{1,2}){0,3})\.?|[IVX]{1,5}\.)\s+(?=\S)")

# --- social posts -------------------------------------------------------------------------
# Under the author's name of a post copied from a social network: the handle ("@samokoye"),
# or the post's age ("2d • Edited •", "3h ·", "1w • 🌐"); and the time stamp under a post on X.
PROFILE_HANDLE = re.compile(r"^@\w{1,30}$")
POST_AGE = re.compile(r"^\d{1,2} ?(?:s|m|min|h|hr|d|w|mo|y|yr)s?\b(?:\W{0,3}(?:edited|bearbeitet|modifié|editado))?[\W]{0,6}$",
                      re.IGNORECASE)
POST_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2} ?(?:am|pm)? · (?P<date>\w{3,9} \d{1,2}, \d{4}|\d{1,2} \w{3,9} \d{4})$",
                            re.IGNORECASE)

# A forum post's header: its community ("r/bikecommuting") over its poster ("Posted by
# u/rainy_rider 6 hr. ago").
FORUM_COMMUNITY = re.compile(r"^r/\w{2,30}$")
FORUM_POSTER = re.compile(r"^posted by (?P<user>u/[\w-]{3,30})\b.{0,40}$", re.IGNORECASE)
# A bulletin board's post header (phpBB, vBulletin): "Post by millwright_dan » Tue Mar 03, 2026 7:12 pm",
# "by Ann Marsh » 3 March 2026, 19:12". A user name may be any word, lower case or with "_".
FORUM_POST_BY = re.compile(r"^(?:(?:originally )?posted by|post by|by)\s+(?P<user>[^\s»]{1,30}(?: [^\s»]{1,30}){0,2})"
                           r"\s+»\s+(?P<date>\S.{4,60})$", re.IGNORECASE)
# The link back to the page's top that a board prints under every post ("Back to top" is
# boilerplate anywhere; "Top" alone only ends a post).
FORUM_TOP_LINK = re.compile(r"^(?:top|nach oben)\s?[↑⬆^]?$", re.IGNORECASE)
# Its comments, where the copy numbers their depth ("level 1"): from the first to the end.
FORUM_COMMENT_LEVEL = re.compile(r"^level \d{1,2}$", re.IGNORECASE)
# A rating on a line of its own ("★★★★☆", "4.5 out of 5"): a review's verdict, or a recipe
# blog's rating widget when it stands beside the widget's other lines ("Rate this recipe").
RATING = re.compile(r"^(?:[★☆✩✪⭐\u2BE8-\u2BEA ]{3,20}(?: ?\(?\d(?:\.\d{1,2})?\)?)?|\d(?:\.\d{1,2})? (?:out of 5|/ ?5)(?: stars)?)$")
# A score on a line of its own beside the post's buttons: "412", "1.2k".
VOTE_COUNT = re.compile(r"^\d{1,3}(?:[.,]\d{1,3})?[km]?$", re.IGNORECASE)
# A keycap emoji numbering a post's points: "1️⃣ Turn the thermostat down", "🔟 ...".
KEYCAP_NUMBER = re.compile(r"^\s*(?:(?P<digit>\d)\ufe0f?\u20e3|(?P<ten>🔟))\s*(?=\S)")
# A thread's posts number themselves "1/", "2/8" (three in a row at least, counting up);
# the first may end with a sign that a thread follows.
THREAD_NUMBER = re.compile(r"^(?P<n>\d{1,3})/(?P<of>\d{1,3})?\s+(?=\S)")
THREAD_MIN_POSTS = 3
THREAD_SIGN = re.compile(r"(?:🧵|👇|⬇️?|\((?:a )?thread\)|\bthread:?)\s*$", re.IGNORECASE)

# --- hyphenation ----------------------------------------------------------------------------
# First parts of compounds that keep their hyphen when a line break falls right after it.
COMPOUND_PREFIXES = frozenset(
    """self well long short high low non co ex full part one two three four five half
    anti pro post pre multi semi cross all so-called state world year day time
    first second third mid over under long-term follow
    twenty thirty forty fifty sixty seventy eighty ninety""".split()
)

# --- typography -----------------------------------------------------------------------------
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
# French puts a non-breaking space before high punctuation and inside guillemets: a narrow one
# before ; ! ? (Imprimerie nationale), a full one before : and inside « ».
FRENCH_SPACE_BEFORE = {";": NARROW_NBSP, "!": NARROW_NBSP, "?": NARROW_NBSP, ":": NBSP, "»": NBSP}
FRENCH_SPACE_AFTER = {"«": NBSP}
# Curly quotes per language: (open double, close double, open single, close single). The
# apostrophe is always "’".
QUOTE_MARKS: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "fr": ("«", "»", "“", "”"),
    "de": ("„", "“", "‚", "‘"),
    "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "nl": ("“", "”", "‘", "’"),
    "pt": ("“", "”", "‘", "’"),
}
# A quote after one of these (or at the start of a text) opens; anywhere else it closes.
OPENS_AFTER = " \t\n\u00a0\u202f([{<“‘«„‚—–-/"
